// The actor behind one remote stream's machine: subscribes on start, reports when media plays,
// and unsubscribes when stopped. The Stream object comes from the registry, filled by the session
// actor on streamCreated; the machine only ever passes its id.
import type { Subscriber } from 'openvidu-browser';
import { fromCallback } from 'xstate';
import type { SubscriberActorInput, SubscriberEvent } from '../../machines/stream.types.ts';
import type { MediaRegistry } from './media-registry.ts';

// The library's own error text is JSON-RPC detail ("Error on receiveVideoFrom : {...}") that
// helps nobody looking at a tile; openvidu-browser already logs it to the console.
const COULD_NOT_RECEIVE = 'This video could not be received. Try again.';

export function createSubscriberActor(media: MediaRegistry) {
  return fromCallback<{ type: never }, SubscriberActorInput, SubscriberEvent>(({ input, sendBack }) => {
    const { streamId } = input;
    let stopped = false;
    const send = (event: SubscriberEvent) => {
      if (!stopped) sendBack(event);
    };

    const remote = media.remoteStream(streamId);
    if (!remote) {
      send({ type: 'subscriber.failed', message: 'This video is no longer available.' });
      return;
    }

    let subscriber: Subscriber | undefined;
    try {
      // No target element: Svelte's tile attaches its own <video> through the registry.
      subscriber = remote.session.subscribe(remote.stream, undefined, {}, (error) => {
        if (error) send({ type: 'subscriber.failed', message: COULD_NOT_RECEIVE });
        else send({ type: 'subscriber.subscribed' });
      });
    } catch {
      send({ type: 'subscriber.failed', message: COULD_NOT_RECEIVE });
      return;
    }
    subscriber.on('streamPlaying', () => send({ type: 'subscriber.playing' }));
    media.setManager(streamId, subscriber);

    return () => {
      stopped = true;
      media.removeManager(streamId);
      // A stream that is still in the session is unsubscribed; one that was destroyed already
      // had its peer connection closed by the library.
      if (subscriber && media.remoteStream(streamId)) {
        // The session may be disconnecting already; nothing is left to release then.
        remote.session.unsubscribe(subscriber).catch(() => undefined);
      }
    };
  });
}
