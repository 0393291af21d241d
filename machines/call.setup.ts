// What the call machine is made of before its states: the types of its context, events and
// input, the actors its states invoke and the timers they set. The actions and guards are added
// per stage of a call (call.joining.ts, call.in-session.ts), and call.machine.ts draws the states.
import { fromCallback, fromPromise, setup } from 'xstate';
import { RECONNECT_WINDOW_MS } from './call.errors.ts';
import type {
  CallContext,
  CallEvent,
  CallInput,
  ConnectInput,
  DevicesAtJoin,
  FetchTokenInput,
  PreviewCommand,
  PublishInput,
  SessionActorInput,
  SessionCommand,
  SessionEvent,
} from './call.types.ts';
import type { callChildren } from './call.children.ts';

/**
 * How long a join step may take before the person is told. Neither step can hang forever:
 * an HTTP request has no timeout of its own, and the OpenVidu library's connect() never settles when its first
 * WebSocket cannot open (it keeps retrying).
 */
const STEP_TIMEOUT_MS = 20_000;

/** What a placeholder actor says when the page forgot to provide the real one. */
const notProvided = (what: string) => ({ kind: 'unexpected', message: `No ${what} was provided.` });

/**
 * A child machine's place, typed as that machine (call.children.ts) but without its code: the
 * chart is usable (and its form shown) before the children load. call.machine.ts and the page
 * give the real ones; this one only fails to start.
 */
function childPlaceholder<Name extends keyof typeof callChildren>(name: Name): (typeof callChildren)[Name] {
  return fromCallback(() => {
    throw notProvided(`${name} machine`);
  }) as unknown as (typeof callChildren)[Name];
}

export const callSetup = setup({
  types: {
    context: {} as CallContext,
    events: {} as CallEvent,
    input: {} as CallInput | undefined,
  },
  actors: {
    // These are placeholders: src/main.ts provides the real ones (src/token, src/openvidu) and the
    // tests provide fakes, both through `callMachine.provide(...)`.
    fetchToken: fromPromise<string, FetchTokenInput>(async () => {
      throw notProvided('token source');
    }),
    // Holds the OpenVidu Session while `session` lasts and reports what happens in it; stopping it
    // ends the Session.
    openviduSession: fromCallback<SessionCommand, SessionActorInput, SessionEvent>(() => undefined),
    // Connects the Session with the token (`connecting`): resolves with our connection id.
    connect: fromPromise<string, ConnectInput>(async () => {
      throw notProvided('OpenVidu connection');
    }),
    // Starts the camera and microphone and publishes them (`publishing`): resolves with our stream id.
    publish: fromPromise<string, PublishInput>(async () => {
      throw notProvided('OpenVidu publisher');
    }),
    // Says goodbye to the server (`leaving`): resolves once said. It never fails: a goodbye that
    // cannot be said (the server is gone) is as good as said.
    leave: fromPromise<void, void>(async () => undefined),
    stream: childPlaceholder('stream'),
    devices: childPlaceholder('devices'),
    screenShare: childPlaceholder('screenShare'),
    // The pre-join preview (src/openvidu/preview.actor.ts): runs while the form is shown, and
    // hands its tracks to the connect actor on Join. It starts with the on/off choice and is told
    // each change (`preview.turn`): turning the camera off stops its track.
    preview: fromCallback<PreviewCommand, DevicesAtJoin>(() => undefined),
  },
  delays: {
    stepTimeout: STEP_TIMEOUT_MS,
    reconnectWindow: RECONNECT_WINDOW_MS,
  },
});
