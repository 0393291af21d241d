// Your microphone and camera in the call: one actor, invoked by the call machine's `inCall`
// state (so it lives exactly as long as you are in the call and starts afresh on a rejoin), with
// one region per device. The person's toggles and choices come through the call machine; this
// actor turns them into commands for the OpenVidu session actor, its sibling (the call machine's
// `openvidu`), whose reports (`device.switched`, `device.lost`) come back the same way.
//
//   camera:      on ⇄ off          publishVideo(false, true) frees the camera (its light goes out);
//                                   publishVideo(true) opens it again
//                on → switching    another camera picked: its track replaces the old one
//                                   (Publisher.replaceTrack; the old track is stopped first)
//                * → unavailable   unplugged, or the one picked could not start: shown off, with
//                                   a notice; picking one (or the toggle: the default) tries again
//   microphone:  the same, and a muted microphone can be unplugged too.
//
// Each starts as the person chose on the join form (its input): a device chosen off was published
// off, so its region goes straight from `on` to `off` without a command.
import { assign, enqueueActions, setup, type AnyActorRef } from 'xstate';
import type { DeviceKind, DevicesAtJoin, DevicesEvent, SessionCommand } from './call.types.ts';

/** The id under which the call machine invokes the OpenVidu session actor. */
export const OPENVIDU_ACTOR_ID = 'openvidu';

export interface DevicesContext {
  /** The device in use, once a switch said which (before that, the one the call started with). */
  cameraId: string | null;
  microphoneId: string | null;
  /** Which device went away, in words a person can act on; cleared when that kind works again. */
  notice: { kind: DeviceKind; text: string } | null;
  /** Devices published off (chosen off on the form) whose region has not yet taken that state. */
  startOff: DeviceKind[];
}

/**
 * Sends a command to the session actor beside this one. Not a system id: the model walks the
 * call machine without stopping actors, and a system id may be registered only once.
 */
function openviduOf(self: AnyActorRef): AnyActorRef | undefined {
  const parent = self._parent?.getSnapshot() as { children?: Record<string, AnyActorRef | undefined> } | undefined;
  return parent?.children?.[OPENVIDU_ACTOR_ID];
}

const NAMES: Record<DeviceKind, string> = { camera: 'camera', microphone: 'microphone' };

/** The notice for a device that went away: which one, and what to do. */
export function lostNotice(kind: DeviceKind, label: string, why: 'disconnected' | 'failed'): string {
  const name = label ? `${NAMES[kind]} (${label})` : NAMES[kind];
  const what = why === 'disconnected' ? 'was disconnected' : 'could not start';
  return `Your ${name} ${what}. Pick another ${NAMES[kind]}.`;
}

/** The command for a device event: the device picked, or (a toggle) the default one. */
const switchCommand = (kind: DeviceKind, event: DevicesEvent): SessionCommand => ({
  type: 'switchDevice',
  kind,
  deviceId: event.type === 'user.selectDevice' ? event.deviceId : '',
});

const MUTE = () => ({ type: 'publishAudio', enabled: false }) as const;
const UNMUTE = () => ({ type: 'publishAudio', enabled: true }) as const;
const CAMERA_OFF = () => ({ type: 'publishVideo', enabled: false }) as const;
const CAMERA_ON = () => ({ type: 'publishVideo', enabled: true }) as const;
const SWITCH_MICROPHONE = (event: DevicesEvent) => switchCommand('microphone', event);
const SWITCH_CAMERA = (event: DevicesEvent) => switchCommand('camera', event);

export const devicesMachine = setup({
  types: {
    context: {} as DevicesContext,
    events: {} as DevicesEvent,
    input: {} as DevicesAtJoin | undefined,
  },
  guards: {
    startsOff: ({ context }, params: { kind: DeviceKind }) => context.startOff.includes(params.kind),
    isCamera: ({ event }) => 'kind' in event && event.kind === 'camera',
    isMicrophone: ({ event }) => 'kind' in event && event.kind === 'microphone',
  },
  actions: {
    // Once: a later toggle back on must stay on.
    startedOff: assign({ startOff: ({ context }, params: { kind: DeviceKind }) => context.startOff.filter((k) => k !== params.kind) }),
    command: enqueueActions(({ self, event, enqueue }, make: (event: DevicesEvent) => SessionCommand) => {
      const openvidu = openviduOf(self);
      if (openvidu) enqueue.sendTo(openvidu, make(event));
    }),
    noteSwitched: assign(({ context, event }) => {
      if (event.type !== 'device.switched') return {};
      return {
        ...(event.kind === 'camera' ? { cameraId: event.deviceId } : { microphoneId: event.deviceId }),
        notice: context.notice?.kind === event.kind ? null : context.notice,
      };
    }),
    noteLost: assign({
      notice: ({ context, event }) =>
        event.type === 'device.lost' ? { kind: event.kind, text: lostNotice(event.kind, event.label, event.why) } : context.notice,
    }),
  },
}).createMachine({
  id: 'devices',
  type: 'parallel',
  context: ({ input }) => ({
    cameraId: null,
    microphoneId: null,
    notice: null,
    startOff: (['camera', 'microphone'] as const).filter((kind) => input?.[kind] === 'off'),
  }),
  states: {
    microphone: {
      initial: 'on',
      states: {
        // Published and sending.
        on: {
          always: {
            guard: { type: 'startsOff', params: { kind: 'microphone' } },
            target: 'off',
            actions: { type: 'startedOff', params: { kind: 'microphone' } },
          },
          on: {
            'user.toggleMicrophone': { target: 'off', actions: { type: 'command', params: () => MUTE } },
            'user.selectDevice': { guard: 'isMicrophone', target: 'switching', actions: { type: 'command', params: () => SWITCH_MICROPHONE } },
            'device.lost': { guard: 'isMicrophone', target: 'unavailable', actions: 'noteLost' },
          },
        },
        // Muted (still open: a muted microphone can be unplugged too). Unmute to pick another: a
        // choice never turns a device on by surprise.
        off: {
          on: {
            'user.toggleMicrophone': { target: 'on', actions: { type: 'command', params: () => UNMUTE } },
            'device.lost': { guard: 'isMicrophone', target: 'unavailable', actions: 'noteLost' },
          },
        },
        // The old track is stopped and the new one opening; the session actor answers.
        switching: {
          on: {
            'device.switched': { guard: 'isMicrophone', target: 'on', actions: 'noteSwitched' },
            'device.lost': { guard: 'isMicrophone', target: 'unavailable', actions: 'noteLost' },
          },
        },
        // Gone: shown off (others see it muted), with a notice; pick another, or the toggle tries
        // the default one. The person stays in the call.
        unavailable: {
          on: {
            'user.toggleMicrophone': { target: 'switching', actions: { type: 'command', params: () => SWITCH_MICROPHONE } },
            'user.selectDevice': { guard: 'isMicrophone', target: 'switching', actions: { type: 'command', params: () => SWITCH_MICROPHONE } },
          },
        },
      },
    },
    camera: {
      initial: 'on',
      states: {
        on: {
          always: {
            guard: { type: 'startsOff', params: { kind: 'camera' } },
            target: 'off',
            actions: { type: 'startedOff', params: { kind: 'camera' } },
          },
          on: {
            'user.toggleCamera': { target: 'off', actions: { type: 'command', params: () => CAMERA_OFF } },
            'user.selectDevice': { guard: 'isCamera', target: 'switching', actions: { type: 'command', params: () => SWITCH_CAMERA } },
            'device.lost': { guard: 'isCamera', target: 'unavailable', actions: 'noteLost' },
          },
        },
        // Off and released: no track, nothing to unplug. Turn it on to pick another.
        off: {
          on: { 'user.toggleCamera': { target: 'on', actions: { type: 'command', params: () => CAMERA_ON } } },
        },
        // The old track is stopped first (a phone may not open a second camera while one is open).
        switching: {
          on: {
            'device.switched': { guard: 'isCamera', target: 'on', actions: 'noteSwitched' },
            'device.lost': { guard: 'isCamera', target: 'unavailable', actions: 'noteLost' },
          },
        },
        // Others see the name card; pick another, or the toggle tries the default camera.
        unavailable: {
          on: {
            'user.toggleCamera': { target: 'switching', actions: { type: 'command', params: () => SWITCH_CAMERA } },
            'user.selectDevice': { guard: 'isCamera', target: 'switching', actions: { type: 'command', params: () => SWITCH_CAMERA } },
          },
        },
      },
    },
  },
});

export type DevicesMachine = typeof devicesMachine;
