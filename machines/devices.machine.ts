// Your microphone and camera in the call: one actor, invoked by the call machine's `inCall`
// state (so it lives exactly as long as you are in the call and starts afresh on a rejoin), with
// one region per device. The person's toggles come through the call machine; this actor turns
// them into commands for the OpenVidu session actor, its sibling (the call machine's `openvidu`).
//
//   microphone: on ⇄ off      publishAudio(true / false)
//   camera:     on ⇄ off      publishVideo(false, true) frees the camera (its light goes out);
//                              publishVideo(true) opens it again
import { enqueueActions, setup, type AnyActorRef } from 'xstate';
import type { DevicesEvent, SessionCommand } from './call.types.ts';

/** The id under which the call machine invokes the OpenVidu session actor. */
export const OPENVIDU_ACTOR_ID = 'openvidu';

/**
 * Sends a command to the session actor beside this one. Not a system id: the model walks the
 * call machine without stopping actors, and a system id may be registered only once.
 */
function openviduOf(self: AnyActorRef): AnyActorRef | undefined {
  const parent = self._parent?.getSnapshot() as { children?: Record<string, AnyActorRef | undefined> } | undefined;
  return parent?.children?.[OPENVIDU_ACTOR_ID];
}

export const devicesMachine = setup({
  types: {
    events: {} as DevicesEvent,
  },
  actions: {
    muteMicrophone: enqueueActions(({ self, enqueue }) => {
      const openvidu = openviduOf(self);
      if (openvidu) enqueue.sendTo(openvidu, { type: 'publishAudio', enabled: false } satisfies SessionCommand);
    }),
    unmuteMicrophone: enqueueActions(({ self, enqueue }) => {
      const openvidu = openviduOf(self);
      if (openvidu) enqueue.sendTo(openvidu, { type: 'publishAudio', enabled: true } satisfies SessionCommand);
    }),
    stopCamera: enqueueActions(({ self, enqueue }) => {
      const openvidu = openviduOf(self);
      if (openvidu) enqueue.sendTo(openvidu, { type: 'publishVideo', enabled: false } satisfies SessionCommand);
    }),
    startCamera: enqueueActions(({ self, enqueue }) => {
      const openvidu = openviduOf(self);
      if (openvidu) enqueue.sendTo(openvidu, { type: 'publishVideo', enabled: true } satisfies SessionCommand);
    }),
  },
}).createMachine({
  id: 'devices',
  type: 'parallel',
  states: {
    microphone: {
      initial: 'on',
      states: {
        on: { on: { 'user.toggleMicrophone': { target: 'off', actions: 'muteMicrophone' } } },
        off: { on: { 'user.toggleMicrophone': { target: 'on', actions: 'unmuteMicrophone' } } },
      },
    },
    camera: {
      initial: 'on',
      states: {
        on: { on: { 'user.toggleCamera': { target: 'off', actions: 'stopCamera' } } },
        off: { on: { 'user.toggleCamera': { target: 'on', actions: 'startCamera' } } },
      },
    },
  },
});

export type DevicesMachine = typeof devicesMachine;
