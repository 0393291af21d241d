// One remote stream's actor on its own, with a fake subscriber.
import { createActor, fromCallback } from 'xstate';
import { describe, expect, it } from 'vitest';
import { streamMachine } from '../../../machines/stream.machine.ts';
import type { SubscriberActorInput, SubscriberEvent } from '../../../machines/stream.types.ts';
import { remoteStream } from './fakes.ts';

function startStream() {
  const subscribers: { input: SubscriberActorInput; stopped: boolean; emit: (e: SubscriberEvent) => void }[] = [];
  const machine = streamMachine.provide({
    actors: {
      subscriber: fromCallback<{ type: never }, SubscriberActorInput, SubscriberEvent>(({ input, sendBack }) => {
        const entry = { input, stopped: false, emit: sendBack };
        subscribers.push(entry);
        return () => {
          entry.stopped = true;
        };
      }),
    },
  });
  const actor = createActor(machine, { input: remoteStream('bob', 'Bob') });
  actor.start();
  const current = () => {
    const subscriber = subscribers.at(-1);
    if (!subscriber) throw new Error('no subscriber started');
    return subscriber;
  };
  return { actor, subscribers, current };
}

describe('a stream actor', () => {
  it('subscribes, waits for media, then plays', () => {
    const stream = startStream();
    expect(stream.current().input).toEqual({ streamId: 'str_CAM_bob_con_bob' });
    expect(stream.actor.getSnapshot().value).toEqual({ active: 'subscribing' });
    stream.current().emit({ type: 'subscriber.subscribed' });
    expect(stream.actor.getSnapshot().value).toEqual({ active: 'waitingForMedia' });
    stream.current().emit({ type: 'subscriber.playing' });
    expect(stream.actor.getSnapshot().value).toEqual({ active: 'playing' });
    expect(stream.actor.getSnapshot().context.nickname).toBe('Bob');
  });

  it('fails on its own, unsubscribes, and a retry subscribes afresh', () => {
    const stream = startStream();
    stream.current().emit({ type: 'subscriber.failed', message: 'The server refused this stream.' });
    expect(stream.actor.getSnapshot().value).toBe('failed');
    expect(stream.actor.getSnapshot().context.error).toBe('The server refused this stream.');
    expect(stream.subscribers[0]?.stopped).toBe(true);

    stream.actor.send({ type: 'stream.retry' });
    expect(stream.subscribers).toHaveLength(2);
    expect(stream.actor.getSnapshot().value).toEqual({ active: 'subscribing' });
    expect(stream.actor.getSnapshot().context.error).toBeNull();
  });

  it('warns on a disconnected ICE connection but keeps playing', () => {
    const stream = startStream();
    stream.current().emit({ type: 'subscriber.subscribed' });
    stream.current().emit({ type: 'subscriber.playing' });
    stream.actor.send({ type: 'stream.exception', name: 'ICE_CONNECTION_DISCONNECTED', message: '' });
    expect(stream.actor.getSnapshot().value).toEqual({ active: 'playing' });
    expect(stream.actor.getSnapshot().context.warning).toMatch(/unstable/);
  });

  it('fails on ICE_CONNECTION_FAILED with a message', () => {
    const stream = startStream();
    stream.current().emit({ type: 'subscriber.subscribed' });
    stream.actor.send({ type: 'stream.exception', name: 'ICE_CONNECTION_FAILED', message: 'raw' });
    expect(stream.actor.getSnapshot().value).toBe('failed');
    expect(stream.actor.getSnapshot().context.error).toBe('The connection to this video failed. Try again.');
  });

  it('keeps waiting on NO_STREAM_PLAYING_EVENT, and plays when media arrives late', () => {
    const stream = startStream();
    stream.current().emit({ type: 'subscriber.subscribed' });
    stream.actor.send({ type: 'stream.exception', name: 'NO_STREAM_PLAYING_EVENT', message: 'raw' });
    expect(stream.actor.getSnapshot().value).toEqual({ active: 'waitingForMedia' });
    expect(stream.actor.getSnapshot().context.warning).toBe('Waiting for video from this participant…');
    stream.current().emit({ type: 'subscriber.playing' });
    expect(stream.actor.getSnapshot().value).toEqual({ active: 'playing' });
    expect(stream.actor.getSnapshot().context.warning).toBeNull();
  });

  it('once playing, ignores the no-streamPlaying timer of a video attached later, but not a real problem', () => {
    const stream = startStream();
    stream.current().emit({ type: 'subscriber.subscribed' });
    stream.current().emit({ type: 'subscriber.playing' });
    stream.actor.send({ type: 'stream.exception', name: 'NO_STREAM_PLAYING_EVENT', message: 'raw' });
    expect(stream.actor.getSnapshot().value).toEqual({ active: 'playing' });
    expect(stream.actor.getSnapshot().context.warning).toBeNull();
    stream.actor.send({ type: 'stream.exception', name: 'ICE_CONNECTION_DISCONNECTED', message: '' });
    expect(stream.actor.getSnapshot().context.warning).toMatch(/unstable/);
  });

  it('plays even when media arrives before the subscription is confirmed', () => {
    const stream = startStream();
    stream.current().emit({ type: 'subscriber.playing' });
    expect(stream.actor.getSnapshot().value).toEqual({ active: 'playing' });
  });

  it('unsubscribes when stopped', () => {
    const stream = startStream();
    stream.actor.stop();
    expect(stream.current().stopped).toBe(true);
  });
});
