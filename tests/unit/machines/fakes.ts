// Controllable stand-ins for the OpenVidu and token actors, provided to the real machine through
// `machine.provide` (the only place fakes are allowed). Each records what the machine asked of it
// and lets the test answer as the library or the server would.
import { createActor, fromCallback, fromPromise } from 'xstate';
import { callMachine, type CallMachine } from '../../../machines/call.machine.ts';
import type {
  CallError,
  ConnectInput,
  DevicesAtJoin,
  FetchTokenInput,
  CallInput,
  JoinRequest,
  PreviewCommand,
  PublishInput,
  SessionActorInput,
  SessionCommand,
  SessionEvent,
} from '../../../machines/call.types.ts';
import { screenShareMachine } from '../../../machines/screen-share.machine.ts';
import type { ScreenActorEvent, ScreenActorInput, ScreenCommand, ScreenTokenInput } from '../../../machines/screen-share.types.ts';
import { streamMachine } from '../../../machines/stream.machine.ts';
import type { SubscriberActorInput, SubscriberEvent } from '../../../machines/stream.types.ts';

export interface TokenRequest {
  input: FetchTokenInput;
  signal: AbortSignal;
  resolve(token: string): void;
  reject(error: CallError | Error): void;
}

export interface FakeSession {
  input: SessionActorInput;
  commands: SessionCommand[];
  stopped: boolean;
  emit(event: SessionEvent): void;
}

/** One run of a step's actor (connect, publish, leave): what it was given, and its outcome to choose. */
export interface FakeStep<I, O> {
  input: I;
  signal: AbortSignal;
  resolve(output: O): void;
  reject(error: CallError | Error): void;
}

function fakeStep<I, O>(runs: FakeStep<I, O>[]) {
  return fromPromise<O, I>(
    ({ input, signal }) =>
      new Promise<O>((resolve, reject) => {
        runs.push({ input, signal, resolve, reject });
      }),
  );
}

/** The pre-join preview actor: what it started with, what it was told since, whether it still runs. */
export interface FakePreview {
  input: DevicesAtJoin;
  commands: PreviewCommand[];
  stopped: boolean;
}

export interface FakeSubscriber {
  streamId: string;
  stopped: boolean;
  emit(event: SubscriberEvent): void;
}

/** The screen share's OpenVidu actor, as the fake records it. */
export interface FakeScreen {
  input: ScreenActorInput;
  commands: ScreenCommand[];
  stopped: boolean;
  emit(event: ScreenActorEvent): void;
}

export interface ScreenTokenRequest {
  input: ScreenTokenInput;
  signal: AbortSignal;
  resolve(token: string): void;
  reject(error: unknown): void;
}

/** `base`: the call machine as the page configures it before its actors (by default, as defined). */
export function startFakeCall(input: CallInput = {}, base: CallMachine = callMachine) {
  const previews: FakePreview[] = [];
  const tokenRequests: TokenRequest[] = [];
  const sessions: FakeSession[] = [];
  const subscribers: FakeSubscriber[] = [];
  const screens: FakeScreen[] = [];
  const screenTokenRequests: ScreenTokenRequest[] = [];
  const connects: FakeStep<ConnectInput, string>[] = [];
  const publishes: FakeStep<PublishInput, string>[] = [];
  const leaves: FakeStep<void, void>[] = [];

  const machine = base.provide({
    actors: {
      fetchToken: fromPromise<string, FetchTokenInput>(
        ({ input, signal }) =>
          new Promise<string>((resolve, reject) => {
            tokenRequests.push({ input, signal, resolve, reject });
          }),
      ),
      preview: fromCallback<PreviewCommand, DevicesAtJoin>(({ input, receive }) => {
        const preview: FakePreview = { input, commands: [], stopped: false };
        previews.push(preview);
        receive((command) => preview.commands.push(command));
        return () => {
          preview.stopped = true;
        };
      }),
      connect: fakeStep(connects),
      publish: fakeStep(publishes),
      leave: fakeStep(leaves),
      openviduSession: fromCallback<SessionCommand, SessionActorInput, SessionEvent>(
        ({ input, sendBack, receive }) => {
          const session: FakeSession = { input, commands: [], stopped: false, emit: sendBack };
          sessions.push(session);
          receive((command) => session.commands.push(command));
          return () => {
            session.stopped = true;
          };
        },
      ),
      screenShare: screenShareMachine.provide({
        actors: {
          fetchScreenToken: fromPromise<string, ScreenTokenInput>(
            ({ input, signal }) =>
              new Promise<string>((resolve, reject) => {
                screenTokenRequests.push({ input, signal, resolve, reject });
              }),
          ),
          screenConnection: fromCallback<ScreenCommand, ScreenActorInput, ScreenActorEvent>(({ input, sendBack, receive }) => {
            const screen: FakeScreen = { input, commands: [], stopped: false, emit: sendBack };
            screens.push(screen);
            receive((command) => screen.commands.push(command));
            return () => {
              screen.stopped = true;
            };
          }),
        },
      }),
      stream: streamMachine.provide({
        actors: {
          subscriber: fromCallback<{ type: never }, SubscriberActorInput, SubscriberEvent>(({ input, sendBack }) => {
            const subscriber: FakeSubscriber = { streamId: input.streamId, stopped: false, emit: sendBack };
            subscribers.push(subscriber);
            return () => {
              subscriber.stopped = true;
            };
          }),
        },
      }),
    },
  });

  const actor = createActor(machine, { input });
  actor.start();

  const lastSession = (): FakeSession => {
    const session = sessions.at(-1);
    if (!session) throw new Error('no session actor was started');
    return session;
  };
  const lastTokenRequest = (): TokenRequest => {
    const request = tokenRequests.at(-1);
    if (!request) throw new Error('no token was requested');
    return request;
  };

  const last = <T>(runs: T[], what: string): T => {
    const run = runs.at(-1);
    if (!run) throw new Error(`no ${what} actor was started`);
    return run;
  };
  const lastScreen = () => last(screens, 'screen');
  const lastScreenTokenRequest = () => last(screenTokenRequests, 'screen token');
  const lastConnect = () => last(connects, 'connect');
  const lastPublish = () => last(publishes, 'publish');
  const lastLeave = () => last(leaves, 'leave');

  /** The step's actor resolves (or rejects), and its result reaches the machine. */
  const connected = async (connectionId = 'con_me') => {
    lastConnect().resolve(connectionId);
    await settle();
  };
  const connectFails = async (error: CallError | Error) => {
    lastConnect().reject(error);
    await settle();
  };
  const published = async (streamId = 'str_CAM_me_con_me') => {
    lastPublish().resolve(streamId);
    await settle();
  };
  const publishFails = async (error: CallError | Error) => {
    lastPublish().reject(error);
    await settle();
  };
  const left = async () => {
    lastLeave().resolve();
    await settle();
  };

  /** Drive a fresh actor into the call, the way a successful join goes. */
  async function joinCall(join: JoinRequest = { sessionName: 'SessionA', nickname: 'Alice' }) {
    actor.send({ type: 'user.join', ...join });
    lastTokenRequest().resolve('ws://localhost:4443?sessionId=SessionA&token=tok_A');
    await settle();
    await connected();
    await published();
  }

  /** The preview running now, and whether it shows each device on (its input, then what it was told). */
  const livePreview = () => {
    const preview = previews.filter((p) => !p.stopped).at(-1);
    if (!preview) return undefined;
    const shown = { ...preview.input };
    for (const command of preview.commands) shown[command.kind] = command.to;
    return shown;
  };

  return {
    actor,
    previews,
    livePreview,
    tokenRequests,
    sessions,
    subscribers,
    screens,
    screenTokenRequests,
    lastScreen,
    lastScreenTokenRequest,
    connects,
    publishes,
    leaves,
    lastSession,
    lastTokenRequest,
    lastConnect,
    lastPublish,
    lastLeave,
    connected,
    connectFails,
    published,
    publishFails,
    left,
    joinCall,
  };
}

/** Let promise callbacks (a resolved token) reach the machine. */
export const flush = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** The same without a timer (fake timers stop those): a promise actor's result takes a few microtasks. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

export function remoteStream(id: string, nickname = `Nick ${id}`) {
  return {
    streamId: `str_CAM_${id}_con_${id}`,
    connectionId: `con_${id}`,
    nickname,
    hasAudio: true,
    hasVideo: true,
    audioActive: true,
    videoActive: true,
  };
}

export { createActor };
