// The actor that owns one OpenVidu Session (and our Publisher) for the call machine. It turns the
// library's promises and events into the machine's typed events, and the machine's commands
// (publish, leave) into library calls. Whatever path the call takes, stopping this actor
// disconnects: a connect that resolves after the person left is disconnected at once.
import type { OpenVidu, Publisher, Session } from 'openvidu-browser';
import { fromCallback } from 'xstate';
import type {
  MediaChoice,
  PublisherEvent,
  SessionActorInput,
  SessionCommand,
  SessionEvent,
} from '../../machines/call.types.ts';
import { readChatSignal } from './chat-signal.ts';
import { cameraConnectionData, newParticipantId, nicknameFromConnectionData } from './connection-data.ts';
import { busyDevice, refusedDevice } from './device-probe.ts';
import { loadOnce } from '../load-once.ts';
import { connectError, publisherError } from './errors.ts';
import type { MediaRegistry } from './media-registry.ts';
import { createOwnDevices } from './own-devices.ts';
import { takePreview } from './preview-handoff.ts';

/** How often speech detection samples each stream's sound (openvidu-call uses 50 ms; 100 ms halves the cost). */
const SPEAKING_INTERVAL_MS = 100;

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
const stopTracks = (publisher: Publisher) => {
  for (const track of publisher.stream.getMediaStream()?.getTracks() ?? []) track.stop();
};

export function createSessionActor(media: MediaRegistry) {
  return fromCallback<SessionCommand, SessionActorInput, SessionEvent | PublisherEvent>(
    ({ input, sendBack, receive }) => {
      // One per join, as openvidu-call makes it: it would group a screen connection with this one.
      const participantId = newParticipantId();
      let stopped = false; // the machine let go of this actor
      let leaving = false; // the person asked to leave
      let leftSent = false; // the machine waits for exactly one session.left per leave
      let ov: OpenVidu | undefined;
      let session: Session | undefined;
      let connected = false;
      let publisher: Publisher | undefined;
      // The camera and microphone started while connecting (the tutorial starts them only after
      // the connection): the first publish takes this instead of starting them again.
      let warmUp: { choice: MediaChoice; publisher: Promise<Publisher> } | undefined;

      const send = (event: SessionEvent | PublisherEvent) => {
        if (!stopped) sendBack(event);
      };
      // Switching devices and noticing one that goes away, once published (own-devices.ts).
      const ownDevices = createOwnDevices(send);

      const confirmLeft = () => {
        if (leftSent) return;
        leftSent = true;
        send({ type: 'session.left' });
      };

      const disconnect = () => {
        if (session && connected) {
          connected = false;
          session.disconnect();
        }
        releasePublisher();
      };

      const releasePublisher = () => {
        ownDevices.detach();
        if (publisher) {
          stopTracks(publisher);
          media.removeManager('self');
        }
        publisher = undefined;
      };

      const connect = async () => {
        const { OpenVidu } = await loadOpenVidu();
        if (stopped || leaving) return;
        ov = new OpenVidu();
        ov.enableProdMode();
        ov.setAdvancedConfiguration({ publisherSpeakingEventsOptions: { interval: SPEAKING_INTERVAL_MS, threshold: -50 } });
        // The pre-join preview's tracks, when it was on: published as they are, so Join does not
        // open the camera a second time.
        const preview = takePreview();
        if (input.media.audio || input.media.video) warmUp = startCamera(ov, input.media, preview);
        else for (const track of preview?.getTracks() ?? []) track.stop();
        session = ov.initSession();
        listen(session);
        try {
          // openvidu-call's shape: its pages show our name, and the tutorial's read clientData.
          await session.connect(input.token, cameraConnectionData(input.nickname, participantId));
        } catch (error) {
          send({ type: 'session.connectFailed', error: connectError(error) });
          return;
        }
        connected = true;
        if (stopped || leaving) {
          disconnect(); // the person left while we were connecting: never leave a ghost behind
          return;
        }
        // Only the server's ICE servers, or none: without this openvidu-browser falls back to
        // public STUN servers, which a call on a LAN or on this machine does not need.
        ov.setAdvancedConfiguration({
          rtcConfiguration: { iceServers: ov.iceServers?.length ? ov.iceServers : [] },
          publisherSpeakingEventsOptions: { interval: SPEAKING_INTERVAL_MS, threshold: -50 },
        });
        send({ type: 'session.connected', connectionId: session.connection.connectionId });
      };

      const listen = (s: Session) => {
        // Chat, openvidu-call's convention: signal type `chat`, data `{"message", "nickname"}`. The
        // server sends every message to everyone, the sender included: that echo shows ours.
        s.on('signal:chat', (event) => {
          const message = readChatSignal(event.data, nicknameFromConnectionData(event.from?.data));
          if (!message) return; // malformed or oversized: ignored, the call goes on
          send({ type: 'session.chatReceived', message: { ...message, fromConnectionId: event.from?.connectionId ?? '', at: Date.now() } });
        });
        // Speech detection runs on each stream's sound here, ours included; no signalling.
        s.on('publisherStartSpeaking', (event) =>
          send({ type: 'session.speakingChanged', connectionId: event.connection.connectionId, speaking: true }),
        );
        s.on('publisherStopSpeaking', (event) =>
          send({ type: 'session.speakingChanged', connectionId: event.connection.connectionId, speaking: false }),
        );
        // Everyone else in the session, publishing or not (the library also announces our own
        // connection here: that one is not someone else).
        s.on('connectionCreated', (event) => {
          const { connection } = event;
          if (connection.connectionId === s.connection?.connectionId) return;
          send({
            type: 'session.connectionCreated',
            connection: { connectionId: connection.connectionId, nickname: nicknameFromConnectionData(connection.data) },
          });
        });
        s.on('connectionDestroyed', (event) => {
          send({ type: 'session.connectionDestroyed', connectionId: event.connection.connectionId });
        });
        s.on('streamCreated', (event) => {
          const { stream } = event;
          media.addRemoteStream(stream, s);
          send({
            type: 'session.streamCreated',
            stream: {
              streamId: stream.streamId,
              connectionId: stream.connection.connectionId,
              nickname: nicknameFromConnectionData(stream.connection.data),
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
          send({
            type: 'session.streamPropertyChanged',
            streamId: stream.streamId,
            property: changedProperty,
            value: event.newValue === true || event.newValue === 'true',
          });
        });
        s.on('streamDestroyed', (event) => {
          // The library's default clean-up closes the subscriber's peer connection; it removes
          // only <video> elements it created itself, and Svelte owns ours (the tile goes when the
          // machine drops the stream). So no preventDefault here, or a connection leaks per call.
          media.removeRemoteStream(event.stream.streamId);
          send({ type: 'session.streamDestroyed', streamId: event.stream.streamId, reason: event.reason });
        });
        s.on('sessionDisconnected', (event) => {
          // Default clean-up on, as above: it closes every remaining peer connection.
          connected = false;
          releasePublisher();
          if (leaving) confirmLeft();
          else send({ type: 'session.disconnected', reason: event.reason });
        });
        s.on('reconnecting', () => send({ type: 'session.reconnecting' }));
        s.on('reconnected', () => send({ type: 'session.reconnected' }));
        s.on('exception', (event) => {
          const origin = event.origin as { streamId?: unknown; stream?: { streamId?: unknown } } | undefined;
          const streamId = typeof origin?.streamId === 'string' ? origin.streamId : origin?.stream?.streamId;
          send({
            type: 'session.exception',
            name: event.name,
            message: event.message,
            ...(typeof streamId === 'string' ? { streamId } : {}),
          });
        });
      };

      /** Starts the devices of `choice`; once on, they show as your preview ('self'). */
      const startCamera = (library: OpenVidu, choice: MediaChoice, tracks: MediaStream | null = null) => {
        const live = (list: MediaStreamTrack[] | undefined) => list?.find((t) => t.readyState === 'live');
        const audio = live(tracks?.getAudioTracks());
        const video = live(tracks?.getVideoTracks());
        // Use the given tracks only if they are all this choice needs; otherwise open afresh.
        const usable = tracks !== null && (!choice.audio || audio !== undefined) && (!choice.video || video !== undefined);
        for (const track of tracks?.getTracks() ?? []) {
          const kept = usable && ((track === audio && choice.audio) || (track === video && choice.video));
          if (!kept) track.stop();
        }
        const started = library.initPublisherAsync(undefined, {
          ...PUBLISHER_DEFAULTS,
          audioSource: choice.audio ? (usable ? audio : undefined) : false,
          videoSource: choice.video ? (usable ? video : undefined) : false,
          publishAudio: choice.audio,
          publishVideo: choice.video,
        });
        started.then(
          (candidate) => {
            if (stopped || leaving) return stopTracks(candidate);
            releasePublisher();
            publisher = candidate;
            media.setManager('self', candidate);
          },
          () => undefined, // reported by the publish that awaits it
        );
        return { choice, publisher: started };
      };

      const publish = async (choice: MediaChoice) => {
        if (!ov || !session) return;
        const warm = warmUp && sameChoice(warmUp.choice, choice) ? warmUp : undefined;
        warmUp = undefined; // used once: a retry starts from a clean slate
        if (!warm) releasePublisher();
        let candidate: Publisher | undefined;
        try {
          candidate = await (warm ?? startCamera(ov, choice)).publisher;
          if (stopped || leaving) return stopTracks(candidate);
          publisher = candidate;
          publisher.on('streamDestroyed', (event) => {
            // Our own leave, an eviction or a closed session destroy it too; only a forced
            // unpublish leaves us in the call without it, and that is news to the machine.
            if (!leaving && event.reason.startsWith('forceUnpublish')) {
              send({ type: 'publisher.streamDestroyed', reason: event.reason });
            }
          });
          await session.publish(publisher);
          ownDevices.attach(publisher);
          send({ type: 'publisher.published', streamId: publisher.stream.streamId });
        } catch (error) {
          releasePublisher();
          if (candidate) stopTracks(candidate);
          const name = (error as { name?: unknown } | null)?.name;
          const device =
            name === 'DEVICE_ACCESS_DENIED' ? await refusedDevice() : name === 'DEVICE_ALREADY_IN_USE' ? await busyDevice() : undefined;
          send({ type: 'publisher.failed', error: publisherError(error, device, choice) });
        }
      };

      receive((command) => {
        if (command.type === 'publish') void publish(command.media);
        if (command.type === 'sendChat' && session && connected) {
          session
            .signal({ type: 'chat', data: JSON.stringify({ message: command.text, nickname: input.nickname }) })
            .catch(() => send({ type: 'session.exception', name: 'CHAT_NOT_SENT', message: 'Your message could not be sent. Try again.' }));
        }
        if (command.type === 'publishAudio') publisher?.publishAudio(command.enabled);
        // Off frees the camera (its light goes out); on opens it again with the same settings.
        if (command.type === 'publishVideo') {
          const toggled = command.enabled ? publisher?.publishVideo(true) : publisher?.publishVideo(false, true);
          toggled?.then(ownDevices.rewatch, (error: unknown) =>
            send({ type: 'session.exception', name: 'DEVICE_ERROR', message: `Your camera could not start again: ${String((error as Error)?.message ?? error)}` }),
          );
        }
        if (command.type === 'switchDevice') void ownDevices.switchTo(command.kind, command.deviceId);
        if (command.type === 'leave') {
          leaving = true;
          // openvidu-browser emits sessionDisconnected('disconnect') inside disconnect(), which
          // confirms; if it ever did not, or we are still connecting (that connect finishes and
          // is then disconnected, see connect()), the actor confirms itself. The machine has no
          // timer for this: the answer is always immediate.
          if (connected) disconnect();
          confirmLeft();
        }
      });

      void connect().catch((error: unknown) => send({ type: 'session.connectFailed', error: connectError(error) }));

      return () => {
        stopped = true;
        disconnect();
        media.clear();
      };
    },
  );
}
