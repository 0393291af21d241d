// Controllable stand-ins for the OpenVidu and token actors, provided to the real machine through
// `machine.provide` (the only place fakes are allowed). Each records what the machine asked of it
// and lets the test answer as the library or the server would.
import { createActor, fromCallback, fromPromise } from 'xstate';
import { callMachine } from '../../../machines/call.machine.ts';
import type {
  CallError,
  FetchTokenInput,
  JoinRequest,
  PublisherEvent,
  SessionActorInput,
  SessionCommand,
  SessionEvent,
} from '../../../machines/call.types.ts';
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
  emit(event: SessionEvent | PublisherEvent): void;
}

export interface FakeSubscriber {
  streamId: string;
  stopped: boolean;
  emit(event: SubscriberEvent): void;
}

export function startFakeCall(input: Partial<JoinRequest> = {}) {
  const tokenRequests: TokenRequest[] = [];
  const sessions: FakeSession[] = [];
  const subscribers: FakeSubscriber[] = [];

  const machine = callMachine.provide({
    actors: {
      fetchToken: fromPromise<string, FetchTokenInput>(
        ({ input, signal }) =>
          new Promise<string>((resolve, reject) => {
            tokenRequests.push({ input, signal, resolve, reject });
          }),
      ),
      openviduSession: fromCallback<SessionCommand, SessionActorInput, SessionEvent | PublisherEvent>(
        ({ input, sendBack, receive }) => {
          const session: FakeSession = { input, commands: [], stopped: false, emit: sendBack };
          sessions.push(session);
          receive((command) => session.commands.push(command));
          return () => {
            session.stopped = true;
          };
        },
      ),
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

  /** Drive a fresh actor into the call, the way a successful join goes. */
  async function joinCall(join: JoinRequest = { sessionName: 'SessionA', nickname: 'Alice' }) {
    actor.send({ type: 'user.join', ...join });
    lastTokenRequest().resolve('ws://localhost:4443?sessionId=SessionA&token=tok_A');
    await flush();
    lastSession().emit({ type: 'session.connected', connectionId: 'con_me' });
    lastSession().emit({ type: 'publisher.published', streamId: 'str_CAM_me_con_me' });
  }

  return { actor, tokenRequests, sessions, subscribers, lastSession, lastTokenRequest, joinCall };
}

/** Let promise callbacks (a resolved token) reach the machine. */
export const flush = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

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
