// The actor that owns our screen share's OpenVidu objects: a second OpenVidu, Session and
// Publisher, as openvidu-call 2.x does it (the library publishes one stream per connection). It
// opens the browser's picker as soon as it starts, connects with the token the machine hands it,
// publishes on command, and reports the track's `ended` (the browser's own "Stop sharing").
// Stopping the actor, at any step, releases the screen and disconnects.
import type { OpenVidu, Publisher, Session } from 'openvidu-browser';
import { fromCallback } from 'xstate';
import type { ScreenActorEvent, ScreenActorInput, ScreenCommand } from '../../machines/screen-share.types.ts';
import { loadOnce } from '../load-once.ts';
import { screenConnectionData } from './connection-data.ts';
import type { MediaRegistry } from './media-registry.ts';
import type { OwnIdentity } from './own-identity.ts';
import { screenPickOutcome } from './screen-errors.ts';

/** Our own screen's media key in the registry (remote keys are stream ids, `str_…`). */
import { OWN_SCREEN_KEY } from './media-keys.ts';
/**
 * How long connect and publish may take. The library's connect never settles when its WebSocket
 * cannot open, and a share that hangs would keep the button busy: the actor bounds each step and
 * reports a failure instead, so the machine needs no timer of its own.
 */
const STEP_TIMEOUT_MS = 20_000;
/** How long a stop waits for the server's answer to unpublish before disconnecting anyway. */
const UNPUBLISH_WAIT_MS = 3_000;

const loadOpenVidu = loadOnce(() => import('openvidu-browser'));

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took too long`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const reason = (error: unknown): string => {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' && message ? ` (${message})` : '';
};

export function createScreenShareActor(media: MediaRegistry, identity: OwnIdentity) {
  return fromCallback<ScreenCommand, ScreenActorInput, ScreenActorEvent>(({ input, sendBack, receive }) => {
    let stopped = false; // the machine let go of this actor
    let stopping = false; // a stop was asked: the disconnect that follows is ours
    let ov: OpenVidu | undefined;
    let session: Session | undefined;
    let publisher: Publisher | undefined;
    let connected = false;

    const send = (event: ScreenActorEvent) => {
      if (!stopped) sendBack(event);
    };

    const release = () => {
      if (publisher) {
        for (const track of publisher.stream.getMediaStream()?.getTracks() ?? []) track.stop();
        media.removeManager(OWN_SCREEN_KEY);
      }
      publisher = undefined;
      if (session && connected) {
        connected = false;
        session.disconnect();
      }
    };

    const pick = async () => {
      const { OpenVidu } = await loadOpenVidu();
      if (stopped) return;
      ov = new OpenVidu();
      ov.enableProdMode();
      let candidate: Publisher;
      try {
        // openvidu-call's screen publisher: screen video and, when the browser offers it, its sound.
        candidate = await ov.initPublisherAsync(undefined, {
          videoSource: 'screen',
          audioSource: 'screen',
          publishVideo: true,
          publishAudio: true,
          mirror: false,
        });
      } catch (error) {
        const outcome = screenPickOutcome(error);
        send(outcome.cancelled ? { type: 'screen.pickCancelled' } : { type: 'screen.failed', message: outcome.message });
        return;
      }
      if (stopped) {
        for (const track of candidate.stream.getMediaStream()?.getTracks() ?? []) track.stop();
        return;
      }
      publisher = candidate;
      // The browser's own "Stop sharing" (or the shared window closing) ends the track.
      candidate.stream
        .getMediaStream()
        ?.getVideoTracks()[0]
        ?.addEventListener('ended', () => send({ type: 'screen.ended' }), { once: true });
      media.setManager(OWN_SCREEN_KEY, candidate);
      send({ type: 'screen.picked' });
    };

    const connect = async (token: string) => {
      if (!ov || stopped) return;
      const s = (session = ov.initSession());
      s.on('sessionDisconnected', () => {
        const wasOurs = stopping || stopped;
        connected = false;
        if (!wasOurs) {
          release();
          send({ type: 'screen.failed', message: 'Your screen share stopped: its connection to the server was lost.' });
        }
      });
      try {
        await within(s.connect(token, screenConnectionData(input.nickname, identity.participantId)), STEP_TIMEOUT_MS, 'Connecting');
      } catch (error) {
        send({ type: 'screen.failed', message: `Your screen could not be shared: no connection to the server${reason(error)}. Try again.` });
        return;
      }
      connected = true;
      if (stopped) return release();
      // Only the server's ICE servers, or none: never the library's public STUN fallback.
      ov.setAdvancedConfiguration({ rtcConfiguration: { iceServers: ov.iceServers?.length ? ov.iceServers : [] } });
      send({ type: 'screen.connected', connectionId: s.connection.connectionId });
    };

    const publish = async () => {
      if (!session || !publisher || stopped) return;
      try {
        await within(session.publish(publisher), STEP_TIMEOUT_MS, 'Publishing');
      } catch (error) {
        send({ type: 'screen.failed', message: `Your screen could not be published${reason(error)}. Try again.` });
        return;
      }
      send({ type: 'screen.published', streamId: publisher.stream.streamId });
    };

    const stop = async () => {
      stopping = true;
      if (session && connected && publisher) {
        // Unpublish first, so the others drop the screen at once; a server that does not answer
        // only delays the disconnect below, which removes it too.
        await within(session.unpublish(publisher), UNPUBLISH_WAIT_MS, 'Unpublishing').catch(() => undefined);
      }
      release();
      send({ type: 'screen.stopped' });
    };

    receive((command) => {
      if (command.type === 'connect') void connect(command.token);
      if (command.type === 'publish') void publish();
      if (command.type === 'stop') void stop();
    });

    void pick().catch((error: unknown) => send({ type: 'screen.failed', message: `Your screen could not be shared${reason(error)}.` }));

    return () => {
      stopped = true;
      stopping = true;
      release();
    };
  });
}
