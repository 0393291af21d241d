// What the views ask of a call snapshot, in one place, so components stay free of state names
// and the words for each step live beside the machine they describe.
import type { ActorRefFrom, SnapshotFrom } from 'xstate';
import type { CallMachine } from './call.machine.ts';
import { streamActorId, type Layout, type ParticipantInfo, type RemoteStreamInfo } from './call.types.ts';
import type { devicesMachine } from './devices.machine.ts';
import type { streamMachine } from './stream.machine.ts';

export type CallSnapshot = SnapshotFrom<CallMachine>;
export type StreamActorRef = ActorRefFrom<typeof streamMachine>;
export type DevicesActorRef = ActorRefFrom<typeof devicesMachine>;
export type DevicesSnapshot = SnapshotFrom<typeof devicesMachine>;

/** Which screen a person sees. */
export type CallScreen = 'form' | 'joining' | 'call' | 'failed' | 'ended';

export function screenOf(snapshot: CallSnapshot): CallScreen {
  if (snapshot.matches('fetchingToken')) return 'joining';
  if (snapshot.matches({ session: 'connecting' }) || snapshot.matches({ session: 'publishing' })) return 'joining';
  if (snapshot.matches('session')) return 'call';
  if (snapshot.matches('failed')) return 'failed';
  if (snapshot.matches('ended')) return 'ended';
  return 'form';
}

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
  return joining && snapshot.context.media.video;
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
export function mainVideoOf(snapshot: CallSnapshot): { key: 'self' | string; nickname: string; pinned: boolean } | null {
  const { mainStreamId, ownStreamId, remoteStreams, nickname, activeSpeaker } = snapshot.context;
  const remote = (s: RemoteStreamInfo | undefined, pinned = false) => (s ? { key: s.streamId, nickname: s.nickname, pinned } : null);
  if (mainStreamId !== null && mainStreamId === ownStreamId) return { key: 'self', nickname, pinned: true };
  return (
    remote(remoteStreams.find((s) => s.streamId === mainStreamId), true) ??
    remote(sharedScreenOf(remoteStreams)) ??
    remote(remoteStreams.find((s) => s.connectionId === activeSpeaker)) ??
    remote(remoteStreams[0]) ??
    (ownStreamId ? { key: 'self', nickname, pinned: false } : null)
  );
}

/**
 * The hook for screen sharing: a remote shared screen is large unless something is pinned. Until
 * streams say what they carry, there is none.
 */
export function sharedScreenOf(_remoteStreams: readonly RemoteStreamInfo[]): RemoteStreamInfo | undefined {
  return undefined;
}

/** Grid or speaker view. */
export const layoutOf = (snapshot: CallSnapshot): Layout => snapshot.context.layout;

/** Everyone else in the call who publishes nothing: they get a name card instead of a video. */
export function participantsWithoutStreams(snapshot: CallSnapshot): ParticipantInfo[] {
  const { participants, remoteStreams } = snapshot.context;
  return participants.filter((p) => !remoteStreams.some((s) => s.connectionId === p.connectionId));
}

/** How many people are in the call, you included. */
export function peopleInCall(snapshot: CallSnapshot): number {
  const { participants, remoteStreams } = snapshot.context;
  // A stream whose connection was not (yet) announced is still a person.
  const unannounced = new Set(
    remoteStreams.filter((s) => !participants.some((p) => p.connectionId === s.connectionId)).map((s) => s.connectionId),
  );
  return 1 + participants.length + unannounced.size;
}

/** The actor that owns your microphone and camera, while you are in the call. */
export function devicesActorOf(snapshot: CallSnapshot): DevicesActorRef | undefined {
  return (snapshot.children as Record<string, unknown>).devices as DevicesActorRef | undefined;
}

/** Whether your microphone and camera are on, as the devices actor has them. */
export function deviceStatus(devices: DevicesSnapshot): { microphone: boolean; camera: boolean } {
  return { microphone: devices.matches({ microphone: 'on' }), camera: devices.matches({ camera: 'on' }) };
}
