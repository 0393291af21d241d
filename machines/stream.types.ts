// The vocabulary of one remote stream's actor. Plain data only, like the call machine's.
import type { RemoteStreamInfo } from './call.types.ts';

export type StreamInput = RemoteStreamInfo;

export interface StreamContext extends RemoteStreamInfo {
  /** Why this stream is not playing, in words a person can act on. */
  error: string | null;
  /** A passing problem (media interrupted) that did not stop the stream. */
  warning: string | null;
}

/** Sent by the subscriber actor (src/openvidu/subscriber.actor.ts). */
export type SubscriberEvent =
  | { type: 'subscriber.subscribed' }
  | { type: 'subscriber.playing' }
  | { type: 'subscriber.failed'; message: string };

/** Sent by the call machine, or by a person looking at the tile. */
export type StreamEvent =
  | SubscriberEvent
  | { type: 'stream.exception'; name: string; message: string }
  | { type: 'stream.retry' };

export interface SubscriberActorInput {
  streamId: string;
}
