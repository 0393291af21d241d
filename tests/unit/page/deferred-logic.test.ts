// @vitest-environment node
// main.ts hands the machine stand-ins for the OpenVidu actors, whose code loads on the first Join:
// once the real logic is there, an invoked actor behaves as if it had been given the real one.
import { describe, expect, it } from 'vitest';
import { createActor, createMachine, fromCallback, sendTo, type AnyActorLogic } from 'xstate';
import { deferredLogic } from '../../../src/deferred-logic.ts';

const stopped: string[] = [];
const echo = fromCallback<{ type: 'ping' }, { greeting: string }, { type: 'pong' | 'started'; greeting?: string }>(
  ({ input, sendBack, receive }) => {
    sendBack({ type: 'started', greeting: input.greeting });
    receive(() => sendBack({ type: 'pong' }));
    return () => stopped.push(input.greeting);
  },
);

function machineWith(child: AnyActorLogic) {
  return createMachine({
    initial: 'waiting',
    context: { log: [] as string[] },
    states: {
      waiting: { on: { go: 'running' } },
      running: {
        invoke: { id: 'child', src: child, input: { greeting: 'hello' } },
        on: {
          started: { actions: [({ context, event }) => context.log.push(`started ${event.greeting}`), sendTo('child', { type: 'ping' })] },
          pong: { actions: ({ context }) => context.log.push('pong') },
          stop: 'done',
        },
      },
      done: {},
    },
  });
}

describe('deferredLogic', () => {
  it('forwards start, events both ways and stop to logic loaded after the machine was made', () => {
    let loaded: typeof echo | undefined;
    const actor = createActor(machineWith(deferredLogic(() => loaded))).start();
    loaded = echo; // as fetchingToken does before any state invokes it
    actor.send({ type: 'go' });
    expect(actor.getSnapshot().context.log).toEqual(['started hello', 'pong']);
    actor.send({ type: 'stop' });
    expect(stopped).toEqual(['hello']);
  });

  it('fails the invoking actor, loudly, if used before the code is there', () => {
    const actor = createActor(machineWith(deferredLogic(() => undefined)));
    actor.subscribe({ error: () => undefined });
    actor.start();
    actor.send({ type: 'go' });
    expect(actor.getSnapshot().status).toBe('error');
    expect(String(actor.getSnapshot().error)).toMatch(/before its code was loaded/);
  });
});
