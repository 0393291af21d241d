// The one door to openvidu-browser. main.ts builds the actors here and provides them to the
// machines; the views get only `attachVideo`, never a library object.
import { preloadOpenVidu } from './call-session.ts';
import { MediaRegistry, type MediaKey } from './media-registry.ts';
import { OwnIdentity } from './own-identity.ts';
import { createScreenShareActor } from './screen-share.actor.ts';
import { createSessionActors } from './session.actor.ts';
import { createSubscriberActor } from './subscriber.actor.ts';

export type { MediaKey } from './media-registry.ts';
export { OWN_SCREEN_KEY } from './media-keys.ts';

/**
 * Show a stream in a Svelte-owned <video> (or play its sound in an <audio>); returns the function
 * that stops it.
 */
export type AttachVideo = (video: HTMLMediaElement, key: MediaKey) => () => void;

export function createOpenViduActors() {
  const media = new MediaRegistry();
  const identity = new OwnIdentity();
  return {
    ...createSessionActors(media, identity),
    screenConnection: createScreenShareActor(media, identity),
    subscriber: createSubscriberActor(media),
    attachVideo: ((video, key) => media.attach(key, video)) satisfies AttachVideo as AttachVideo,
    /** Fetch the library before the first Join needs it (call once the form is usable). */
    preload: preloadOpenVidu,
  };
}
