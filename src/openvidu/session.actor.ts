// The OpenVidu actors of the call machine's `session` state and its steps. The `session` state
// invokes `openviduSession`, which holds the call's CallSession (its OpenVidu Session) for as
// long as the state lasts and ends it when stopped. `connecting`, `publishing` and `leaving`
// invoke `connect`, `publish` and `leave`, which act on that same CallSession: leaving a step's
// state stops its actor (its AbortSignal fires), so the machine alone decides what happens when.
import { fromCallback, fromPromise } from 'xstate';
import type { ConnectInput, PublishInput, SessionActorInput, SessionCommand, SessionEvent } from '../../machines/call.types.ts';
import { CallSession } from './call-session.ts';
import type { MediaRegistry } from './media-registry.ts';
import type { OwnIdentity } from './own-identity.ts';

/**
 * Where the `session` state's actor keeps its CallSession for the actors of the steps inside
 * that state: they start after it (a state's invocations start before its children's), and stop
 * before it ends.
 */
class SessionSlot {
  #current: CallSession | undefined;

  hold(call: CallSession): void {
    this.#current = call;
  }

  release(call: CallSession): void {
    if (this.#current === call) this.#current = undefined;
  }

  get current(): CallSession {
    if (!this.#current) throw new Error('No OpenVidu session: the call machine invokes this step only inside `session`.');
    return this.#current;
  }

  get held(): CallSession | undefined {
    return this.#current;
  }
}

export function createSessionActors(media: MediaRegistry, identity: OwnIdentity) {
  const slot = new SessionSlot();
  return {
    openviduSession: fromCallback<SessionCommand, SessionActorInput, SessionEvent>(({ input, sendBack, receive }) => {
      const call = new CallSession(input.nickname, media, identity, sendBack);
      slot.hold(call);
      receive((command) => call.command(command));
      return () => {
        slot.release(call);
        call.disconnect();
        media.clear();
      };
    }),
    connect: fromPromise<string, ConnectInput>(({ input, signal }) => slot.current.connect(input.token, input.media, input.atJoin, signal)),
    publish: fromPromise<string, PublishInput>(({ input, signal }) => slot.current.publish(input.media, input.atJoin, signal)),
    // Never rejects (the machine has nothing to offer a failed goodbye): the Session's end repeats it.
    leave: fromPromise<void, void>(async () => {
      try {
        slot.held?.disconnect();
      } catch {
        // the library failed to say it; the server notices the closed socket
      }
    }),
  };
}
