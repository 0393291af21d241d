// One call's OpenVidu objects: the Session, the camera started for it, our Publisher. The call
// machine's `session` state invokes the actor that makes one and closes it (session.actor.ts); the
// actors of its steps (`connecting`, `publishing`, `leaving`) act on it. It keeps no record of
// where the call is, which is the machine's state: only what it owns, each given up once.
import type { OpenVidu, Publisher, Session } from 'openvidu-browser';
import type { DevicesAtJoin, MediaChoice, SessionCommand, SessionEvent } from '../../machines/call.types.ts';
import { loadOnce } from '../load-once.ts';
import { readChatSignal } from './chat-signal.ts';
import { cameraConnectionData, nicknameFromConnectionData, readConnectionData } from './connection-data.ts';
import { busyDevice, refusedDevice } from './device-probe.ts';
import { connectError, publisherError } from './errors.ts';
import type { MediaRegistry } from './media-registry.ts';
import { cameraOffTrack } from './camera-off-track.ts';
import { createOwnDevices, openCamera } from './own-devices.ts';
import type { OwnIdentity } from './own-identity.ts';
import { takePreview } from './preview-handoff.ts';

/** Speech detection: how often each stream's sound is sampled (openvidu-call uses 50 ms; 100 ms halves the cost). */
const SPEAKING = { interval: 100, threshold: -50 };

/** The tutorial's camera settings: 640x480 at 30 fps, not mirrored. */
const PUBLISHER_DEFAULTS = { resolution: '640x480', frameRate: 30, mirror: false } as const;

// Not loaded with the page: the join form is usable before the library's ~250 kB arrive. The
// page asks for it once the form is up (preloadOpenVidu), so a Join rarely waits for it.
const loadOpenVidu = loadOnce(() => import('openvidu-browser'));

/** Starts loading openvidu-browser now, if nothing has yet. A failure is the join's to report. */
export function preloadOpenVidu(): void {
  loadOpenVidu().catch(() => undefined);
}

const sameChoice = (a: MediaChoice, b: MediaChoice) => a.audio === b.audio && a.video === b.video;
const sameStart = (a: DevicesAtJoin, b: DevicesAtJoin) => a.camera === b.camera && a.microphone === b.microphone;
const stopTracks = (publisher: Publisher) => {
  for (const track of publisher.stream.getMediaStream()?.getTracks() ?? []) track.stop();
};

export class CallSession {
  readonly #media: MediaRegistry;
  readonly #emit: (event: SessionEvent) => void;
  readonly #nickname: string;
  // One per join, as openvidu-call makes it: our screen connection sends the same one.
  readonly #participantId: string;
  /** The library and this call's Session (listened to), once the library has loaded. */
  readonly #ready: Promise<{ ov: OpenVidu; session: Session }>;
  /** The Session while the server has us in it: disconnecting gives it up, so a goodbye is said once. */
  #joined: Session | undefined;
  /** The devices started while connecting, handed to the first publish (once: a retry starts afresh). */
  #warm: { choice: MediaChoice; atJoin: DevicesAtJoin; publisher: Promise<Publisher> } | undefined;
  /** Stands in for a camera that starts off until published (camera-off-track.ts); stopped then. */
  #cameraOff: MediaStreamTrack | undefined;
  /** The latest start of the devices: only its Publisher becomes ours; an earlier one arriving late is stopped. */
  #latest: Promise<Publisher> | undefined;
  /** Our Publisher, shown as your own video ('self') from the moment its devices are on. */
  #publisher: Publisher | undefined;
  /** Switching devices and noticing one that goes away, once published (own-devices.ts). */
  readonly #ownDevices: ReturnType<typeof createOwnDevices>;

  constructor(nickname: string, media: MediaRegistry, identity: OwnIdentity, emit: (event: SessionEvent) => void) {
    this.#nickname = nickname;
    this.#participantId = identity.renew();
    this.#ownDevices = createOwnDevices(emit);
    this.#media = media;
    this.#emit = emit;
    this.#ready = loadOpenVidu().then(({ OpenVidu }) => {
      const ov = new OpenVidu();
      ov.enableProdMode();
      ov.setAdvancedConfiguration({ publisherSpeakingEventsOptions: SPEAKING });
      const session = ov.initSession();
      this.#listen(session);
      return { ov, session };
    });
    this.#ready.catch(() => undefined); // reported by the connect that awaits it
  }

  /**
   * `connecting`: starts the devices of `choice` (the pre-join preview's tracks, when it was on)
   * and connects with the token. Resolves with our connection id. When `signal` fired meanwhile
   * (the person left, the step timed out), a connect that still succeeds is disconnected at once:
   * no ghost stays behind.
   */
  async connect(token: string, choice: MediaChoice, atJoin: DevicesAtJoin, signal: AbortSignal): Promise<string> {
    let session: Session;
    try {
      const ready = await this.#ready;
      signal.throwIfAborted();
      session = ready.session;
      const preview = takePreview();
      if (choice.audio || choice.video) this.#warm = { choice, atJoin, publisher: this.#startDevices(ready.ov, choice, atJoin, preview) };
      else for (const track of preview?.getTracks() ?? []) track.stop();
      // openvidu-call's shape: its pages show our name, and the tutorial's read clientData.
      await session.connect(token, cameraConnectionData(this.#nickname, this.#participantId));
      // Only the server's ICE servers, or none: without this openvidu-browser falls back to
      // public STUN servers, which a call on a LAN or on this machine does not need.
      ready.ov.setAdvancedConfiguration({
        rtcConfiguration: { iceServers: ready.ov.iceServers?.length ? ready.ov.iceServers : [] },
        publisherSpeakingEventsOptions: SPEAKING,
      });
    } catch (error) {
      throw connectError(error);
    }
    if (signal.aborted) {
      session.disconnect();
      throw signal.reason;
    }
    this.#joined = session;
    return session.connection.connectionId;
  }

  /**
   * `publishing`: publishes the devices of `choice`, taking those started while connecting when
   * they are what is asked. Resolves with our stream id; rejects with an error record naming the
   * device. When `signal` fired meanwhile, the Session's end releases what was started.
   */
  async publish(choice: MediaChoice, atJoin: DevicesAtJoin, signal: AbortSignal): Promise<string> {
    const { ov, session } = await this.#ready;
    const warm = this.#warm;
    this.#warm = undefined;
    let started: Promise<Publisher>;
    if (warm && sameChoice(warm.choice, choice) && sameStart(warm.atJoin, atJoin)) started = warm.publisher;
    else {
      this.#releaseDevices();
      started = this.#startDevices(ov, choice, atJoin);
    }
    try {
      const publisher = await started;
      signal.throwIfAborted();
      publisher.on('streamDestroyed', (event) => {
        // Our own leave, an eviction or a closed session destroy it too; only a forced unpublish
        // leaves us in the call without it, and that is news to the machine.
        if (event.reason.startsWith('forceUnpublish')) this.#emit({ type: 'publisher.streamDestroyed', reason: event.reason });
      });
      await session.publish(publisher);
      // Published with the camera off (others got videoActive false): the stand-in's work is done.
      // Stopped, it makes the camera's turning on open a real one (publishVideo(true, track)).
      this.#cameraOff?.stop();
      this.#ownDevices.attach(publisher);
      return publisher.stream.streamId;
    } catch (error) {
      if (signal.aborted) throw error; // nobody is waiting for this any more
      this.#releaseDevices();
      const name = (error as { name?: unknown } | null)?.name;
      const device =
        name === 'DEVICE_ACCESS_DENIED' ? await refusedDevice() : name === 'DEVICE_ALREADY_IN_USE' ? await busyDevice() : undefined;
      throw publisherError(error, device, choice);
    }
  }

  /**
   * Says goodbye to the server (leaveRoom), if it has us; the library confirms at once, with
   * sessionDisconnected('disconnect'). Our devices stop either way.
   */
  disconnect(): void {
    const joined = this.#joined;
    this.#joined = undefined;
    joined?.disconnect();
    this.#releaseDevices();
  }

  /** The machine's commands while in the call. */
  command(command: SessionCommand): void {
    switch (command.type) {
      case 'sendChat':
        this.#joined
          ?.signal({ type: 'chat', data: JSON.stringify({ message: command.text, nickname: this.#nickname }) })
          .catch(() => this.#emit({ type: 'session.exception', name: 'CHAT_NOT_SENT', message: 'Your message could not be sent. Try again.' }));
        return;
      case 'publishAudio':
        this.#publisher?.publishAudio(command.enabled);
        return;
      case 'publishVideo': {
        // Off frees the camera (its light goes out); on opens the chosen camera again (the way
        // openvidu-call does: also right for a call that started with the camera off, whose
        // publisher never had a camera of its own to reopen).
        const publisher = this.#publisher;
        if (!publisher) return;
        const toggled = command.enabled
          ? openCamera().then((track) => publisher.publishVideo(true, track))
          : publisher.publishVideo(false, true);
        toggled?.then(this.#ownDevices.rewatch, (error: unknown) =>
          this.#emit({
            type: 'session.exception',
            name: 'DEVICE_ERROR',
            message: `Your camera could not start again: ${String((error as Error)?.message ?? error)}`,
          }),
        );
        return;
      }
      case 'switchDevice':
        void this.#ownDevices.switchTo(command.kind, command.deviceId);
    }
  }

  /** Starts the devices of `choice`; once on, they show as your own video ('self'). */
  #startDevices(ov: OpenVidu, choice: MediaChoice, atJoin: DevicesAtJoin, tracks: MediaStream | null = null): Promise<Publisher> {
    const live = (list: MediaStreamTrack[] | undefined) => list?.find((t) => t.readyState === 'live');
    // A camera chosen off is not opened: a stand-in track carries the video until published, so
    // the stream has video (turned on later, it replaces the stand-in) and others see it off.
    const cameraOff = choice.video && atJoin.camera === 'off';
    const audio = live(tracks?.getAudioTracks());
    const video = live(tracks?.getVideoTracks());
    // Use the given tracks only if they are all this choice needs; otherwise open afresh.
    const usable = tracks !== null && (!choice.audio || audio !== undefined) && (!choice.video || cameraOff || video !== undefined);
    for (const track of tracks?.getTracks() ?? []) {
      const kept = usable && ((track === audio && choice.audio) || (track === video && choice.video && !cameraOff));
      if (!kept) track.stop();
    }
    this.#cameraOff?.stop();
    this.#cameraOff = cameraOff ? cameraOffTrack() : undefined;
    const started = ov.initPublisherAsync(undefined, {
      ...PUBLISHER_DEFAULTS,
      audioSource: choice.audio ? (usable ? audio : undefined) : false,
      videoSource: choice.video ? (this.#cameraOff ?? (usable ? video : undefined)) : false,
      // Off from the start: the server tells everyone audioActive / videoActive false.
      publishAudio: choice.audio && atJoin.microphone === 'on',
      publishVideo: choice.video && !cameraOff,
    });
    this.#latest = started;
    started.then(
      (publisher) => {
        if (this.#latest !== started) return stopTracks(publisher); // superseded, or the Session ended
        this.#publisher = publisher;
        this.#media.setManager('self', publisher);
      },
      () => undefined, // reported by the publish that awaits it
    );
    return started;
  }

  /** Stops our devices, and any start of them still under way. */
  #releaseDevices(): void {
    this.#ownDevices.detach();
    this.#cameraOff?.stop();
    this.#cameraOff = undefined;
    this.#latest = undefined;
    this.#warm = undefined;
    if (this.#publisher) {
      stopTracks(this.#publisher);
      this.#media.removeManager('self');
    }
    this.#publisher = undefined;
  }

  #listen(s: Session): void {
    const emit = this.#emit;
    const media = this.#media;
    // Chat, openvidu-call's convention: signal type `chat`, data `{"message", "nickname"}`. The
    // server sends every message to everyone, the sender included: that echo shows ours.
    s.on('signal:chat', (event) => {
      const message = readChatSignal(event.data, nicknameFromConnectionData(event.from?.data));
      if (!message) return; // malformed or oversized: ignored, the call goes on
      emit({ type: 'session.chatReceived', message: { ...message, fromConnectionId: event.from?.connectionId ?? '', at: Date.now() } });
    });
    // Speech detection runs on each stream's sound here, ours included; no signalling.
    s.on('publisherStartSpeaking', (event) =>
      emit({ type: 'session.speakingChanged', connectionId: event.connection.connectionId, speaking: true }),
    );
    s.on('publisherStopSpeaking', (event) =>
      emit({ type: 'session.speakingChanged', connectionId: event.connection.connectionId, speaking: false }),
    );
    // Everyone else in the session, publishing or not (the library also announces our own
    // connection here: that one is not someone else).
    s.on('connectionCreated', (event) => {
      const { connection } = event;
      if (connection.connectionId === s.connection?.connectionId) return;
      const info = readConnectionData(connection.data);
      // A screen connection is someone's second connection, not a person (openvidu-call ignores them too).
      if (info.type === 'SCREEN') return;
      emit({ type: 'session.connectionCreated', connection: { connectionId: connection.connectionId, nickname: info.nickname } });
    });
    s.on('connectionDestroyed', (event) => {
      // A screen connection was never a person here (see connectionCreated).
      if (readConnectionData(event.connection.data).type === 'SCREEN') return;
      emit({ type: 'session.connectionDestroyed', connectionId: event.connection.connectionId });
    });
    s.on('streamCreated', (event) => {
      const { stream } = event;
      const info = readConnectionData(stream.connection.data);
      // Our own screen, from our second connection: others watch it, we do not receive it back.
      if (info.type === 'SCREEN' && info.participantId === this.#participantId) return;
      media.addRemoteStream(stream, s);
      emit({
        type: 'session.streamCreated',
        stream: {
          streamId: stream.streamId,
          connectionId: stream.connection.connectionId,
          nickname: info.nickname,
          ...(info.type === 'SCREEN' ? { screen: true } : {}),
          ...(info.participantId ? { participantId: info.participantId } : {}),
          hasAudio: stream.hasAudio,
          hasVideo: stream.hasVideo,
          // Someone who joined already muted: their stream says so from the start.
          audioActive: stream.hasAudio && stream.audioActive !== false,
          videoActive: stream.hasVideo && stream.videoActive !== false,
        },
      });
    });
    s.on('streamPropertyChanged', (event) => {
      const { changedProperty, stream } = event;
      if (changedProperty !== 'audioActive' && changedProperty !== 'videoActive') return;
      // The library reports our own toggles here too; only remote streams are news.
      if (!media.remoteStream(stream.streamId)) return;
      emit({
        type: 'session.streamPropertyChanged',
        streamId: stream.streamId,
        property: changedProperty,
        value: event.newValue === true || event.newValue === 'true',
      });
    });
    s.on('streamDestroyed', (event) => {
      const info = readConnectionData(event.stream.connection.data);
      if (info.type === 'SCREEN' && info.participantId === this.#participantId) return; // our own screen: never ours to show
      // The library's default clean-up closes the subscriber's peer connection; it removes
      // only <video> elements it created itself, and Svelte owns ours (the tile goes when the
      // machine drops the stream). So no preventDefault here, or a connection leaks per call.
      media.removeRemoteStream(event.stream.streamId);
      emit({ type: 'session.streamDestroyed', streamId: event.stream.streamId, reason: event.reason });
    });
    s.on('sessionDisconnected', (event) => {
      // Default clean-up on, as above: it closes every remaining peer connection. The server no
      // longer has us: there is nobody left to say goodbye to.
      this.#joined = undefined;
      this.#releaseDevices();
      // 'disconnect' is our own goodbye (the `leave` actor's, or the Session's end), which the
      // machine asked for: only an end it did not ask for is news.
      if (event.reason !== 'disconnect') emit({ type: 'session.disconnected', reason: event.reason });
    });
    s.on('reconnecting', () => emit({ type: 'session.reconnecting' }));
    s.on('reconnected', () => emit({ type: 'session.reconnected' }));
    s.on('exception', (event) => {
      const origin = event.origin as { streamId?: unknown; stream?: { streamId?: unknown } } | undefined;
      const streamId = typeof origin?.streamId === 'string' ? origin.streamId : origin?.stream?.streamId;
      emit({
        type: 'session.exception',
        name: event.name,
        message: event.message,
        ...(typeof streamId === 'string' ? { streamId } : {}),
      });
    });
  }
}
