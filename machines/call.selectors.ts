// What the views ask of a call snapshot, in one place, so components stay free of state names
// and the words for each step live beside the machine they describe.
import type { ActorRefFrom, SnapshotFrom } from 'xstate';
import type { CallMachine } from './call.machine.ts';
import { streamActorId, type ParticipantInfo } from './call.types.ts';
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
 * The stream shown large: the one picked, else your own, else (if you publish nothing) the first
 * remote one. `'self'` stands for your own camera.
 */
export function mainVideoOf(snapshot: CallSnapshot): { key: 'self' | string; nickname: string } | null {
  const { mainStreamId, ownStreamId, remoteStreams, nickname } = snapshot.context;
  const picked = mainStreamId ? remoteStreams.find((s) => s.streamId === mainStreamId) : undefined;
  if (picked) return { key: picked.streamId, nickname: picked.nickname };
  if (ownStreamId) return { key: 'self', nickname };
  const first = remoteStreams[0];
  return first ? { key: first.streamId, nickname: first.nickname } : null;
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
