// The guards and actions of joining and of its ways to fail: the form, the join steps' results,
// the errors and notices they leave. call.machine.ts names them in its transitions.
import { assertEvent, assign, enqueueActions } from 'xstate';
import { chatMessageProblem, joinFormProblem, toCallError } from './call.errors.ts';
import { callSetup } from './call.setup.ts';
import type { DeviceKind, DeviceSwitch, PreviewCommand } from './call.types.ts';

export const joiningSetup = callSetup.extend({
  guards: {
    joinIsValid: ({ event }) => {
      assertEvent(event, 'user.join');
      return joinFormProblem(event.sessionName, event.nickname) === null;
    },
    chatMessageIsValid: ({ event }) => {
      assertEvent(event, 'user.sendChat');
      return chatMessageProblem(event.text) === null;
    },
    // Back on the form (a reload, a call left): a device chosen off shows off again.
    cameraOffAtJoin: ({ context }) => context.atJoin.camera === 'off',
    microphoneOffAtJoin: ({ context }) => context.atJoin.microphone === 'off',
    nothingToPublish: ({ context }) => !context.media.audio && !context.media.video,
    // "Join without it" with nothing left to publish means joining to watch and listen only.
    nothingLeftToPublish: ({ context }) => {
      const device = context.error?.device;
      const audio = context.media.audio && device !== 'microphone' && device !== 'camera and microphone';
      const video = context.media.video && device !== 'camera' && device !== 'camera and microphone';
      return !audio && !video;
    },
  },
  actions: {
    rememberJoin: assign(({ event }) => {
      assertEvent(event, 'user.join');
      return {
        sessionName: event.sessionName.trim(),
        nickname: event.nickname.trim(),
        formError: null,
        media: { audio: true, video: true },
      };
    }),
    // A device turned on or off on the form: the choice is kept for the join (and the next visit,
    // which the preview remembers), and the preview turns its track on or off.
    turnAtJoin: enqueueActions(({ context, enqueue }, params: { kind: DeviceKind; to: DeviceSwitch }) => {
      enqueue.assign({ atJoin: { ...context.atJoin, [params.kind]: params.to } });
      enqueue.sendTo('preview', { type: 'preview.turn', kind: params.kind, to: params.to } satisfies PreviewCommand);
    }),
    // The form keeps exactly what was typed, and says which field to fix.
    refuseJoin: assign(({ event }) => {
      assertEvent(event, 'user.join');
      return {
        sessionName: event.sessionName,
        nickname: event.nickname,
        formError: joinFormProblem(event.sessionName, event.nickname),
      };
    }),
    clearError: assign({ error: null, notice: null }),
    // Whatever ended a step or the call, as a record a person can act on (an actor's rejection,
    // a timer's own record, a reason the server gave).
    recordError: assign((_, params: { error: unknown }) => ({ error: toCallError(params.error) })),
    notify: assign((_, params: { notice: string }) => ({ notice: params.notice })),
    dismissNotice: assign({ notice: null }),
    // The notice said what the call has now recovered from.
    dismissNoticeOf: assign(({ context }, params: { notice: string }) => ({
      notice: context.notice === params.notice ? null : context.notice,
    })),
    rememberConnection: assign((_, params: { connectionId: string }) => ({ connectionId: params.connectionId })),
    // Losing our stream also unpins it, if it was pinned: the large video follows the speaker again.
    rememberOwnStream: assign(({ context }, params: { streamId: string | null }) => ({
      ownStreamId: params.streamId,
      mainStreamId: params.streamId === null && context.mainStreamId === context.ownStreamId ? null : context.mainStreamId,
    })),
    // "Join without it": publish only what did not fail.
    dropFailedDevice: assign({
      media: ({ context }) => {
        const device = context.error?.device ?? 'camera and microphone';
        return {
          audio: context.media.audio && device === 'camera',
          video: context.media.video && device === 'microphone',
        };
      },
      error: null,
    }),
  },
});
