// One actor per remote stream: it owns that subscription from `streamCreated` to
// `streamDestroyed`. The call machine spawns it and stops it; whatever goes wrong here stays
// here, so one broken stream shows an error on its own tile and never ends the call.
import { assign, fromCallback, setup } from 'xstate';
import type { StreamContext, StreamEvent, StreamInput, SubscriberActorInput, SubscriberEvent } from './stream.types.ts';

export const streamMachine = setup({
  types: {
    context: {} as StreamContext,
    events: {} as StreamEvent,
    input: {} as StreamInput,
  },
  actors: {
    // Replaced by the real OpenVidu subscriber in src/openvidu/ (and by fakes in tests).
    // It subscribes on start and unsubscribes when stopped.
    subscriber: fromCallback<{ type: never }, SubscriberActorInput, SubscriberEvent>(() => undefined),
  },
}).createMachine({
  id: 'stream',
  context: ({ input }) => ({ ...input, error: null, warning: null }),
  initial: 'active',
  states: {
    // The subscription exists exactly while this state is active: leaving it (failure, or the
    // actor being stopped) unsubscribes.
    active: {
      invoke: {
        src: 'subscriber',
        input: ({ context }) => ({ streamId: context.streamId }),
      },
      initial: 'subscribing',
      on: {
        'subscriber.failed': {
          target: 'failed',
          actions: assign({ error: ({ event }) => event.message }),
        },
        'stream.exception': [
          {
            // Passing problems: the library recovers from a disconnected ICE connection by
            // itself, and late media may still arrive. The tile says so and keeps waiting.
            guard: ({ event }) => PASSING_PROBLEMS.has(event.name),
            actions: assign({ warning: ({ event }) => describeStreamException(event.name, event.message) }),
          },
          {
            target: 'failed',
            actions: assign({ error: ({ event }) => describeStreamException(event.name, event.message) }),
          },
        ],
        // Media playing (again) ends any passing problem.
        'subscriber.playing': { target: '.playing', actions: assign({ warning: null }) },
      },
      states: {
        // Asking the server for this stream (receiveVideoFrom).
        subscribing: {
          on: { 'subscriber.subscribed': 'waitingForMedia' },
        },
        // The peer connection is negotiated; no frame has been decoded yet.
        waitingForMedia: {},
        // Frames are being decoded and shown. The library's "no streamPlaying" timer is armed again
        // for each <video> attached after the first one goes (a layout change, a tile re-created)
        // and listens only for a `canplay` that element already fired: once frames play, that
        // timer says nothing about the stream, so it is not shown. Real problems still are.
        playing: {
          on: {
            'stream.exception': { guard: ({ event }) => event.name === 'NO_STREAM_PLAYING_EVENT' },
          },
        },
      },
    },
    // This stream is broken; the rest of the call goes on. A retry subscribes afresh.
    failed: {
      on: {
        'stream.retry': {
          target: 'active',
          actions: assign({ error: null, warning: null }),
        },
      },
    },
  },
});

const PASSING_PROBLEMS = new Set(['ICE_CONNECTION_DISCONNECTED', 'NO_STREAM_PLAYING_EVENT']);

function describeStreamException(name: string, message: string): string {
  switch (name) {
    case 'ICE_CONNECTION_FAILED':
      return 'The connection to this video failed. Try again.';
    case 'ICE_CONNECTION_DISCONNECTED':
      return 'The connection to this video is unstable…';
    case 'NO_STREAM_PLAYING_EVENT':
      return 'Waiting for video from this participant…';
    default:
      return message || `This video stopped (${name}).`;
  }
}
