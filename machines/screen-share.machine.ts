// Your screen, shared the way openvidu-call 2.x shares it: on a second connection of yours, with
// its own token and its own OpenVidu Session (the library publishes one stream per connection).
// The call machine invokes this from `inCall`, so every way out of the call stops it, and stopping
// it disconnects the screen's Session.
//
//   idle → active.picking → active.fetchingToken → active.connecting → active.publishing
//        → active.sharing → active.stopping → idle                    (+ failed)
//
// The picker comes first: the browser shows it only right after the click (transient user
// activation), and a cancelled picker then costs no token and no connection.
import { assign, fromCallback, fromPromise, sendTo, setup } from 'xstate';
import type {
  ScreenActorEvent,
  ScreenActorInput,
  ScreenCommand,
  ScreenShareContext,
  ScreenShareEvent,
  ScreenShareInput,
  ScreenTokenInput,
} from './screen-share.types.ts';

/** The id under which the screen share's OpenVidu actor runs, for `sendTo`. */
const SCREEN_ACTOR_ID = 'screen';

export const screenShareMachine = setup({
  types: {
    context: {} as ScreenShareContext,
    events: {} as ScreenShareEvent,
    input: {} as ScreenShareInput,
  },
  actors: {
    // Placeholders: src/main.ts provides the real ones (the call's token source, and
    // src/openvidu/screen-share.actor.ts); the unit tests provide fakes.
    fetchScreenToken: fromPromise<string, ScreenTokenInput>(async () => {
      throw new Error('No token source was provided.');
    }),
    screenConnection: fromCallback<ScreenCommand, ScreenActorInput, ScreenActorEvent>(() => undefined),
  },
  actions: {
    fail: assign({
      error: ({ event }) => (event.type === 'screen.failed' ? event.message : 'Your screen could not be shared.'),
      streamId: null,
    }),
  },
}).createMachine({
  id: 'screenShare',
  context: ({ input }) => ({ ...input, streamId: null, error: null }),
  initial: 'idle',
  states: {
    // Not sharing. The button offers to share.
    idle: {
      on: { 'user.shareScreen': { target: 'active', actions: assign({ error: null }) } },
    },
    // A screen share is under way: its actor exists exactly while this state is active, so every
    // way out (stop, failure, leaving the call) disconnects the screen's Session.
    active: {
      invoke: {
        id: SCREEN_ACTOR_ID,
        src: 'screenConnection',
        input: ({ context }) => ({ nickname: context.nickname }),
      },
      initial: 'picking',
      on: {
        // Stop before the screen is out (the picker is open, or still connecting): stopping the
        // actor is enough, nobody sees anything yet.
        'user.stopScreenShare': 'idle',
        'screen.failed': { target: 'failed', actions: 'fail' },
      },
      states: {
        // The browser's picker is open (getDisplayMedia, through the library).
        picking: {
          on: {
            'screen.picked': 'fetchingToken',
            // Closing the picker is a choice, not a failure: back to where we were, silently.
            'screen.pickCancelled': '#screenShare.idle',
          },
        },
        // A token of its own, from the same token source as the camera's connection. The
        // request is aborted if the share stops here.
        fetchingToken: {
          invoke: {
            id: 'screenToken',
            src: 'fetchScreenToken',
            input: ({ context }) => ({ sessionName: context.sessionName }),
            onDone: {
              target: 'connecting',
              // The token goes straight to the actor, never into context (the inspector shows it).
              actions: sendTo(SCREEN_ACTOR_ID, ({ event }) => ({ type: 'connect', token: event.output }) satisfies ScreenCommand),
            },
            onError: {
              target: '#screenShare.failed',
              actions: assign({
                error: ({ event }) => tokenProblem(event.error),
                streamId: null,
              }),
            },
          },
        },
        // The screen's own connection: clientData `{clientData: "<nick>_SCREEN", participantId, type: "SCREEN"}`.
        connecting: {
          on: { 'screen.connected': 'publishing' },
        },
        publishing: {
          entry: sendTo(SCREEN_ACTOR_ID, { type: 'publish' } satisfies ScreenCommand),
          on: {
            'screen.published': { target: 'sharing', actions: assign({ streamId: ({ event }) => event.streamId }) },
          },
        },
        // Everyone sees the screen.
        sharing: {
          on: {
            'user.stopScreenShare': 'stopping',
            // The browser's own "Stop sharing" ended the track: stop here too, so no frozen
            // screen stays behind at the others (openvidu-call#57).
            'screen.ended': 'stopping',
          },
        },
        // Unpublishing and disconnecting; the actor always answers, at once or after its own bound.
        stopping: {
          entry: sendTo(SCREEN_ACTOR_ID, { type: 'stop' } satisfies ScreenCommand),
          on: { 'screen.stopped': { target: '#screenShare.idle', actions: assign({ streamId: null }) } },
        },
      },
    },
    // The screen could not be shared, or its connection was lost: the message says which. The
    // call goes on; sharing again starts afresh.
    failed: {
      on: {
        'user.shareScreen': { target: 'active', actions: assign({ error: null }) },
        'user.dismissScreenShareError': { target: 'idle', actions: assign({ error: null }) },
      },
    },
  },
});

export type ScreenShareMachine = typeof screenShareMachine;

/** A token source's failure ({kind, message} or an Error), in words. */
function tokenProblem(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  const detail = typeof message === 'string' && message ? ` ${message}` : '';
  return `Your screen could not be shared: no token for it.${detail}`;
}
