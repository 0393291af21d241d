// Where the live OpenVidu objects are kept while the machine holds only their ids. The session
// actor registers each remote Stream and our Publisher; the subscriber actors take Streams from
// here; and Svelte's video elements are attached here by key, whenever the element and the
// stream manager both exist, in whichever order they appear.
import type { Session, Stream, StreamManager } from 'openvidu-browser';

/** `'self'` is our own publisher; any other key is a remote stream id. */
export type MediaKey = 'self' | string;

export class MediaRegistry {
  readonly #remoteStreams = new Map<string, { stream: Stream; session: Session }>();
  readonly #managers = new Map<MediaKey, StreamManager>();
  // <video> and <audio> alike: a remote voice plays in one <audio> of its own, and every <video> is
  // muted, so no layout can make a voice play twice.
  readonly #videos = new Map<MediaKey, Set<HTMLMediaElement>>();

  addRemoteStream(stream: Stream, session: Session): void {
    this.#remoteStreams.set(stream.streamId, { stream, session });
  }

  remoteStream(streamId: string): { stream: Stream; session: Session } | undefined {
    return this.#remoteStreams.get(streamId);
  }

  removeRemoteStream(streamId: string): void {
    this.#remoteStreams.delete(streamId);
  }

  /** A publisher or subscriber now exists for `key`: show it in every element waiting for it. */
  setManager(key: MediaKey, manager: StreamManager): void {
    this.#managers.set(key, manager);
    for (const video of this.#videos.get(key) ?? []) addElement(manager, video);
  }

  removeManager(key: MediaKey): void {
    const manager = this.#managers.get(key);
    this.#managers.delete(key);
    for (const video of this.#videos.get(key) ?? []) {
      manager?.disassociateVideo(video as HTMLVideoElement);
      video.srcObject = null;
    }
  }

  /**
   * Show `key`'s media in `video` (a Svelte-owned element) until the returned function is called.
   * The library never creates or removes elements in the page.
   */
  attach(key: MediaKey, video: HTMLMediaElement): () => void {
    let videos = this.#videos.get(key);
    if (!videos) this.#videos.set(key, (videos = new Set()));
    videos.add(video);
    const manager = this.#managers.get(key);
    if (manager) addElement(manager, video);
    return () => {
      videos.delete(video);
      if (videos.size === 0) this.#videos.delete(key);
      this.#managers.get(key)?.disassociateVideo(video as HTMLVideoElement);
      video.srcObject = null;
    };
  }

  /** The call is over: forget every object so nothing keeps a MediaStream alive. */
  clear(): void {
    for (const key of [...this.#managers.keys()]) this.removeManager(key);
    this.#remoteStreams.clear();
  }
}

/**
 * The library types its media elements as <video>, but uses only what every media element has
 * (srcObject, autoplay, muted, canplay): an <audio> that plays a remote voice is attached the same way.
 */
function addElement(manager: StreamManager, element: HTMLMediaElement): void {
  manager.addVideoElement(element as HTMLVideoElement);
}
