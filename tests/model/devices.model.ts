// The model of the devices actor (machines/devices.machine.ts), the call machine's child that
// owns your microphone and camera in the call. It has no paths of its own: the call model's
// paths reach it (the call machine forwards the person's toggles), and the live runs, on the
// machine and on the page, record the states it was in and the transitions it took.
import type { AnyActorRef, SnapshotFrom } from 'xstate';
import { devicesMachine, type DevicesMachine } from '../../machines/devices.machine.ts';

type DevicesSnapshot = SnapshotFrom<DevicesMachine>;

/** Every state of the devices actor, prefixed with its machine id; the keys are checked against it. */
export const DEVICE_STATES = {
  'devices.microphone': 'your microphone',
  'devices.microphone.on': 'published (publishAudio true)',
  'devices.microphone.off': 'muted (publishAudio false)',
  'devices.microphone.switching': 'another microphone opening (replaceTrack)',
  'devices.microphone.unavailable': 'unplugged, or the one picked could not start',
  'devices.camera': 'your camera',
  'devices.camera.on': 'published (publishVideo true)',
  'devices.camera.off': 'off and released (publishVideo(false, true))',
  'devices.camera.switching': 'another camera opening, the old one stopped first (replaceTrack)',
  'devices.camera.unavailable': 'unplugged, or the one picked could not start',
} as const;

export type DeviceStatePath = keyof typeof DEVICE_STATES;
export const DEVICE_STATE_PATHS = Object.keys(DEVICE_STATES) as DeviceStatePath[];

/** The devices actor's states in a call snapshot (none outside the call). */
export function deviceStatePathsOf(callSnapshot: { children: Record<string, AnyActorRef | undefined> }): DeviceStatePath[] {
  const child = callSnapshot.children.devices;
  if (!child) return [];
  const snapshot = child.getSnapshot() as DevicesSnapshot;
  return DEVICE_STATE_PATHS.filter((path) => snapshot.matches(toStateValue(path.slice('devices.'.length)) as never));
}

/** Every transition of the devices machine, keyed as the call model keys its own. */
export function allDeviceTransitions(): string[] {
  const keys: string[] = [];
  const walk = (node: typeof devicesMachine.root) => {
    for (const [eventType, candidates] of node.transitions) candidates.forEach((_, i) => keys.push(`${node.id} ${eventType}#${i}`));
    for (const child of Object.values(node.states)) walk(child);
  };
  walk(devicesMachine.root);
  return keys;
}

/** Every state node path of the devices machine, for the check of DEVICE_STATES. */
export function deviceStateIds(): string[] {
  const ids: string[] = [];
  const walk = (node: typeof devicesMachine.root) => {
    if (node !== devicesMachine.root) ids.push(`devices.${node.path.join('.')}`);
    for (const child of Object.values(node.states)) walk(child);
  };
  walk(devicesMachine.root);
  return ids;
}

/** Whether a transition (from the inspection stream) belongs to the devices machine. */
export const isDeviceTransition = (sourceId: string): boolean => sourceId === 'devices' || sourceId.startsWith('devices.');

function toStateValue(path: string): unknown {
  const parts = path.split('.');
  let value: unknown = parts.pop();
  while (parts.length) value = { [parts.pop() as string]: value };
  return value;
}
