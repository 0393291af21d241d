// What the views ask of a call snapshot, in one place, so components stay free of state names
// and the words for each step live beside the machine they describe.
import type { ActorRefFrom, SnapshotFrom } from 'xstate';
import type { CallMachine } from './call.machine.ts';
import { streamActorId, type Layout, type ParticipantInfo, type RemoteStreamInfo } from './call.types.ts';
import type { devicesMachine } from './devices.machine.ts';
import type { ScreenShareMachine } from './screen-share.machine.ts';
import type { streamMachine } from './stream.machine.ts';

export type CallSnapshot = SnapshotFrom<CallMachine>;
export type StreamActorRef = ActorRefFrom<typeof streamMachine>;
export type DevicesActorRef = ActorRefFrom<typeof devicesMachine>;
export type DevicesSnapshot = SnapshotFrom<typeof devicesMachine>;
export type ScreenShareActorRef = ActorRefFrom<ScreenShareMachine>;
export type ScreenShareSnapshot = SnapshotFrom<ScreenShareMachine>;

// Which screen a person sees: in a module of its own, which the page needs before the others.
export { devicesAtJoinOf, screenOf, type CallScreen } from './call.screen.ts';

/** The progress line while joining, worded from the state. */
export function joiningStep(snapshot: CallSnapshot): string | null {
  if (snapshot.matches('fetchingToken')) return 'Getting a token…';
  if (snapshot.matches({ session: 'connecting' })) return 'Connecting…';
  if (snapshot.matches({ session: 'publishing' })) return 'Starting your camera…';
  return null;
}

/**
 * Whether the joining screen shows your camera's preview: from the moment a Session exists the
 * camera may be starting, so its tile waits for the picture (it appears when the camera is on).
 */
export function showsPreview(snapshot: CallSnapshot): boolean {
  const joining = snapshot.matches({ session: 'connecting' }) || snapshot.matches({ session: 'publishing' });
  // A camera chosen off on the form is not started: there is no picture to wait for.
  return joining && snapshot.context.media.video && snapshot.context.atJoin.camera === 'on';
}

export const isLeaving = (snapshot: CallSnapshot): boolean => snapshot.matches({ session: 'leaving' });
export const isReconnecting = (snapshot: CallSnapshot): boolean =>
  snapshot.matches({ session: { inCall: 'reconnecting' } });
export const isPublishFailed = (snapshot: CallSnapshot): boolean => snapshot.matches({ session: 'publishFailed' });

/** The actor that owns a remote stream, while it exists. */
export function streamActorOf(snapshot: CallSnapshot, streamId: string): StreamActorRef | undefined {
  return (snapshot.children as Record<string, unknown>)[streamActorId(streamId)] as StreamActorRef | undefined;
}

/**
 * The stream shown large in the speaker view: the one pinned (yours or a remote one), else a shared
 * screen, else the active speaker's, else the first remote one, else your own. A remote person is
 * large by default, not your own camera. `'self'` stands for your own camera.
 */
export function mainVideoOf(snapshot: CallSnapshot): { key: 'self' | string; nickname: string; pinned: boolean; screen: boolean } | null {
  const { mainStreamId, ownStreamId, remoteStreams, nickname, activeSpeaker } = snapshot.context;
  const remote = (s: RemoteStreamInfo | undefined, pinned = false) =>
    s ? { key: s.streamId, nickname: s.nickname, pinned, screen: s.screen === true } : null;
  if (mainStreamId !== null && mainStreamId === ownStreamId) return { key: 'self', nickname, pinned: true, screen: false };
  return (
    remote(remoteStreams.find((s) => s.streamId === mainStreamId), true) ??
    remote(sharedScreenOf(remoteStreams)) ??
    remote(remoteStreams.find((s) => s.connectionId === activeSpeaker)) ??
    remote(remoteStreams[0]) ??
    (ownStreamId ? { key: 'self', nickname, pinned: false, screen: false } : null)
  );
}

/** The latest screen someone shares: large unless something is pinned. */
export function sharedScreenOf(remoteStreams: readonly RemoteStreamInfo[]): RemoteStreamInfo | undefined {
  return [...remoteStreams].reverse().find((s) => s.screen === true);
}

/** Grid or speaker view. */
export const layoutOf = (snapshot: CallSnapshot): Layout => snapshot.context.layout;

/**
 * The remote streams in tile order: arrival order, but a shared screen right after the camera of
 * the person who shares it (same participantId), so the two read as one person's.
 */
export function remoteStreamsGrouped(snapshot: CallSnapshot): RemoteStreamInfo[] {
  const { remoteStreams } = snapshot.context;
  const owner = (screen: RemoteStreamInfo) =>
    screen.participantId
      ? remoteStreams.find((s) => !s.screen && s.participantId === screen.participantId)
      : undefined;
  const ordered = remoteStreams.filter((s) => !s.screen || !owner(s));
  for (const screen of remoteStreams.filter((s) => s.screen && owner(s))) {
    const at = ordered.indexOf(owner(screen) as RemoteStreamInfo);
    ordered.splice(at + 1, 0, screen);
  }
  return ordered;
}

/** Everyone else in the call who publishes nothing: they get a name card instead of a video. */
export function participantsWithoutStreams(snapshot: CallSnapshot): ParticipantInfo[] {
  const { participants, remoteStreams } = snapshot.context;
  return participants.filter((p) => !remoteStreams.some((s) => s.connectionId === p.connectionId));
}

/** How many people are in the call, you included. */
export function peopleInCall(snapshot: CallSnapshot): number {
  const { participants, remoteStreams } = snapshot.context;
  // A stream whose connection was not (yet) announced is still a person.
  // A shared screen is someone's second connection, not a person.
  const unannounced = new Set(
    remoteStreams
      .filter((s) => !s.screen && !participants.some((p) => p.connectionId === s.connectionId))
      .map((s) => s.connectionId),
  );
  return 1 + participants.length + unannounced.size;
}

/** The actor that owns your microphone and camera, while you are in the call. */
export function devicesActorOf(snapshot: CallSnapshot): DevicesActorRef | undefined {
  return (snapshot.children as Record<string, unknown>).devices as DevicesActorRef | undefined;
}

/** The actor that shares your screen, while you are in the call. */
export function screenShareActorOf(snapshot: CallSnapshot): ScreenShareActorRef | undefined {
  return (snapshot.children as Record<string, unknown>).screenShare as ScreenShareActorRef | undefined;
}

/** What the Share screen button shows: off, on its way (picker to publish), shared, or stopping. */
export type ScreenShareStatus = { phase: 'off' | 'starting' | 'sharing' | 'stopping'; error: string | null };

export function screenShareStatus(screen: ScreenShareSnapshot): ScreenShareStatus {
  const error = screen.context.error;
  if (screen.matches({ active: 'sharing' })) return { phase: 'sharing', error };
  if (screen.matches({ active: 'stopping' })) return { phase: 'stopping', error };
  if (screen.matches('active')) return { phase: 'starting', error };
  return { phase: 'off', error: screen.matches('failed') ? error : null };
}

/** Where a device of yours is in its lifecycle (machines/devices.machine.ts). */
export type DeviceState = 'on' | 'off' | 'switching' | 'unavailable';

export interface OwnDevices {
  microphone: DeviceState;
  camera: DeviceState;
  /** The device in use, once a switch said which. */
  microphoneId: string | null;
  cameraId: string | null;
  /** Which device went away, and what to do. */
  notice: string | null;
}

/** Your devices as the control bar shows them. */
export function ownDevices(devices: DevicesSnapshot): OwnDevices {
  const value = devices.value as { microphone: DeviceState; camera: DeviceState };
  const { cameraId, microphoneId, notice } = devices.context;
  return { microphone: value.microphone, camera: value.camera, microphoneId, cameraId, notice: notice?.text ?? null };
}
