// The call machine on its own, with its OpenVidu and token actors replaced by controllable fakes.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RECONNECT_TIMED_OUT, RECONNECT_WINDOW_MS, reconnectTimedOut } from '../../../machines/call.errors.ts';
import { callMachine } from '../../../machines/call.machine.ts';
import { withReconnectWindow } from '../../../machines/call.reconnect-wait.ts';
import { mainVideoOf, streamActorOf } from '../../../machines/call.selectors.ts';
import { streamActorId } from '../../../machines/call.types.ts';
import { flush, remoteStream, settle, startFakeCall } from './fakes.ts';

const JOIN = { type: 'user.join', sessionName: 'SessionA', nickname: 'Alice' } as const;
/** The join form, the camera and microphone on (as a first visit has them). */
const IDLE = { idle: { camera: 'on', microphone: 'on' } };
const BOTH_ON = { camera: 'on', microphone: 'on' };

afterEach(() => {
  vi.useRealTimers();
});

describe('the spine: idle → fetchingToken → connecting → publishing → inCall → leaving → idle', () => {
  it('walks every step with the right requests to the actors', async () => {
    const call = startFakeCall();
    expect(call.actor.getSnapshot().value).toEqual(IDLE);

    call.actor.send({ ...JOIN, sessionName: ' SessionA ', nickname: ' Alice ' });
    expect(call.actor.getSnapshot().value).toBe('fetchingToken');
    expect(call.lastTokenRequest().input).toEqual({ sessionName: 'SessionA' });

    call.lastTokenRequest().resolve('ws://localhost:4443?sessionId=SessionA&token=tok_1');
    await flush();
    expect(call.actor.getSnapshot().value).toEqual({ session: 'connecting' });
    // The Session's holder gets no token; the connect step gets it straight from the fetch.
    expect(call.lastSession().input).toEqual({ sessionName: 'SessionA', nickname: 'Alice' });
    expect(call.lastConnect().input).toEqual({
      token: 'ws://localhost:4443?sessionId=SessionA&token=tok_1',
      nickname: 'Alice',
      // What the first publish will ask for, so the actor can start the camera while connecting.
      media: { audio: true, video: true },
      atJoin: BOTH_ON,
    });

    await call.connected('con_me');
    expect(call.actor.getSnapshot().value).toEqual({ session: 'publishing' });
    expect(call.lastConnect().signal.aborted).toBe(false);
    expect(call.publishes.map((p) => p.input)).toEqual([{ media: { audio: true, video: true }, atJoin: BOTH_ON }]);

    await call.published('str_me');
    expect(call.actor.getSnapshot().value).toEqual({ session: { inCall: 'live' } });
    expect(call.actor.getSnapshot().context).toMatchObject({ connectionId: 'con_me', ownStreamId: 'str_me' });

    call.actor.send({ type: 'user.leave' });
    expect(call.actor.getSnapshot().value).toEqual({ session: 'leaving' });
    expect(call.leaves).toHaveLength(1);
    expect(call.lastSession().stopped).toBe(false);

    await call.left();
    expect(call.actor.getSnapshot().value).toEqual(IDLE);
    expect(call.lastSession().stopped).toBe(true);
    expect(call.actor.getSnapshot().context).toMatchObject({ connectionId: null, ownStreamId: null, remoteStreams: [] });
  });

  it('keeps what was typed after leaving, for the next join', async () => {
    const call = startFakeCall();
    await call.joinCall({ sessionName: 'Room_1', nickname: 'Bob' });
    call.actor.send({ type: 'user.leave' });
    await call.left();
    expect(call.actor.getSnapshot().context).toMatchObject({ sessionName: 'Room_1', nickname: 'Bob' });
  });

  it('says goodbye once: a second leave while leaving changes nothing', async () => {
    const call = startFakeCall();
    await call.joinCall();
    call.actor.send({ type: 'user.leave' });
    call.actor.send({ type: 'user.leave' });
    expect(call.leaves).toHaveLength(1);
    expect(call.actor.getSnapshot().value).toEqual({ session: 'leaving' });
    await call.left();
    expect(call.actor.getSnapshot().value).toEqual(IDLE);
    expect(call.lastSession().stopped).toBe(true);
  });

  it('fetches a fresh token for every join', async () => {
    const call = startFakeCall();
    await call.joinCall();
    call.actor.send({ type: 'user.leave' });
    await call.left();
    call.actor.send(JOIN);
    expect(call.tokenRequests).toHaveLength(2);
  });
});

describe('the join form', () => {
  it.each([
    ['', 'Alice', 'sessionName', 'Enter a session name.'],
    ['Session A', 'Alice', 'sessionName', 'A session name may use only letters, digits, - and _.'],
    ['../etc', 'Alice', 'sessionName', 'A session name may use only letters, digits, - and _.'],
    ['SessionA', '   ', 'nickname', 'Enter a nickname.'],
    ['SessionA', 'x'.repeat(51), 'nickname', 'A nickname may be at most 50 characters.'],
  ])('refuses session %j with nickname %j before any request, naming the field %s', (sessionName, nickname, field, message) => {
    const call = startFakeCall();
    call.actor.send({ type: 'user.join', sessionName, nickname });
    expect(call.actor.getSnapshot().value).toEqual(IDLE);
    expect(call.actor.getSnapshot().context.formError).toEqual({ field, message });
    // What was typed is kept exactly, not the defaults the form started with.
    expect(call.actor.getSnapshot().context).toMatchObject({ sessionName, nickname });
    expect(call.tokenRequests).toHaveLength(0);
  });

  it('accepts right-to-left text and emoji as typed', async () => {
    const call = startFakeCall();
    call.actor.send({ type: 'user.join', sessionName: 'SessionA', nickname: 'שלום 👋' });
    expect(call.actor.getSnapshot().value).toBe('fetchingToken');
    expect(call.actor.getSnapshot().context.nickname).toBe('שלום 👋');
  });

  it('ignores a second join while one is under way', async () => {
    const call = startFakeCall();
    call.actor.send(JOIN);
    call.actor.send(JOIN);
    expect(call.tokenRequests).toHaveLength(1);
    call.lastTokenRequest().resolve('tok');
    await flush();
    call.actor.send(JOIN);
    await call.connected();
    call.actor.send(JOIN);
    expect(call.tokenRequests).toHaveLength(1);
    expect(call.sessions).toHaveLength(1);
  });
});

describe('leaving or cancelling while joining', () => {
  it('cancels the token request from fetchingToken', () => {
    const call = startFakeCall();
    call.actor.send(JOIN);
    const request = call.lastTokenRequest();
    call.actor.send({ type: 'user.leave' });
    expect(call.actor.getSnapshot().value).toEqual(IDLE);
    expect(request.signal.aborted).toBe(true);
  });

  it('ignores a token that arrives after the person left', async () => {
    const call = startFakeCall();
    call.actor.send(JOIN);
    const request = call.lastTokenRequest();
    call.actor.send({ type: 'user.leave' });
    request.resolve('late-token');
    await flush();
    expect(call.actor.getSnapshot().value).toEqual(IDLE);
    expect(call.sessions).toHaveLength(0);
  });

  it.each(['connecting', 'publishing'] as const)('leaves from %s: the step\'s actor is stopped, the goodbye said, the session actor stopped', async (state) => {
    const call = startFakeCall();
    call.actor.send(JOIN);
    call.lastTokenRequest().resolve('tok');
    await flush();
    if (state === 'publishing') await call.connected();
    expect(call.actor.getSnapshot().value).toEqual({ session: state });
    const step = state === 'connecting' ? call.lastConnect() : call.lastPublish();

    call.actor.send({ type: 'user.leave' });
    expect(step.signal.aborted).toBe(true);
    expect(call.actor.getSnapshot().value).toEqual({ session: 'leaving' });
    await call.left();
    expect(call.actor.getSnapshot().value).toEqual(IDLE);
    expect(call.lastSession().stopped).toBe(true);
  });

  it('does not go back into the call when a connect completes after the person left', async () => {
    const call = startFakeCall();
    call.actor.send(JOIN);
    call.lastTokenRequest().resolve('tok');
    await flush();
    const session = call.lastSession();
    const connect = call.lastConnect();
    call.actor.send({ type: 'user.leave' });
    await call.left();
    // The library's connect resolves late: its actor was stopped (its signal told it to
    // disconnect), so nothing reaches the call.
    expect(connect.signal.aborted).toBe(true);
    connect.resolve('con_late');
    await settle();
    expect(call.actor.getSnapshot().value).toEqual(IDLE);
    expect(call.actor.getSnapshot().context.connectionId).toBeNull();
    expect(session.stopped).toBe(true);
  });
});

describe('remote streams', () => {
  it('spawns one stream actor per stream and stops it when the stream goes', async () => {
    const call = startFakeCall();
    await call.joinCall();
    const bob = remoteStream('bob', 'Bob');
    call.lastSession().emit({ type: 'session.streamCreated', stream: bob });
    call.lastSession().emit({ type: 'session.streamCreated', stream: bob }); // duplicate: ignored

    const snapshot = call.actor.getSnapshot();
    expect(snapshot.context.remoteStreams).toEqual([bob]);
    expect(Object.keys(snapshot.children)).toContain(streamActorId(bob.streamId));
    expect(call.subscribers.map((s) => s.streamId)).toEqual([bob.streamId]);

    call.lastSession().emit({ type: 'session.streamDestroyed', streamId: bob.streamId, reason: 'disconnect' });
    expect(call.actor.getSnapshot().context.remoteStreams).toEqual([]);
    expect(call.actor.getSnapshot().children[streamActorId(bob.streamId)]).toBeUndefined();
    expect(call.subscribers[0]?.stopped).toBe(true);
  });

  it('accepts streams that arrive before our own camera is published', async () => {
    const call = startFakeCall();
    call.actor.send(JOIN);
    call.lastTokenRequest().resolve('tok');
    await flush();
    await call.connected();
    call.lastSession().emit({ type: 'session.streamCreated', stream: remoteStream('early') });
    expect(call.actor.getSnapshot().context.remoteStreams).toHaveLength(1);
  });

  it('stops every stream actor when the call ends', async () => {
    const call = startFakeCall();
    await call.joinCall();
    call.lastSession().emit({ type: 'session.streamCreated', stream: remoteStream('a') });
    call.lastSession().emit({ type: 'session.streamCreated', stream: remoteStream('b') });
    call.lastSession().emit({ type: 'session.disconnected', reason: 'sessionClosedByServer' });
    expect(call.subscribers.every((s) => s.stopped)).toBe(true);
    expect(Object.keys(call.actor.getSnapshot().children).filter((id) => id.startsWith('stream:'))).toEqual([]);
    expect(call.actor.getSnapshot().context.remoteStreams).toEqual([]);
  });

  it('keeps the call going when one stream fails', async () => {
    const call = startFakeCall();
    await call.joinCall();
    const a = remoteStream('a');
    const b = remoteStream('b');
    call.lastSession().emit({ type: 'session.streamCreated', stream: a });
    call.lastSession().emit({ type: 'session.streamCreated', stream: b });
    call.lastSession().emit({
      type: 'session.exception',
      name: 'ICE_CONNECTION_FAILED',
      message: 'ice failed',
      streamId: a.streamId,
    });
    const snapshot = call.actor.getSnapshot();
    expect(snapshot.value).toEqual({ session: { inCall: 'live' } });
    expect(streamActorOf(snapshot, a.streamId)?.getSnapshot().value).toBe('failed');
    expect(streamActorOf(snapshot, b.streamId)?.getSnapshot().value).toEqual({ active: 'subscribing' });
    expect(snapshot.context.notice).toBeNull();
  });

  it('words an unknown exception about no remote stream with the library\'s message', async () => {
    const call = startFakeCall();
    await call.joinCall();
    call.lastSession().emit({ type: 'session.exception', name: 'SOMETHING_NEW', message: 'details' });
    expect(call.actor.getSnapshot().context.notice).toBe('Something went wrong in the call: details');
  });

  it('shows an exception about no remote stream as a notice', async () => {
    const call = startFakeCall();
    await call.joinCall();
    call.lastSession().emit({ type: 'session.exception', name: 'ICE_CANDIDATE_ERROR', message: 'A candidate was refused' });
    expect(call.actor.getSnapshot().context.notice).toBe(
      'The server refused a network route for your media; the call may be unstable.',
    );
    call.actor.send({ type: 'user.dismissNotice' });
    expect(call.actor.getSnapshot().context.notice).toBeNull();
  });
});

describe('the main video: pinned, else the active speaker, else a remote person, else your own', () => {
  const main = (call: ReturnType<typeof startFakeCall>) => mainVideoOf(call.actor.getSnapshot())?.key;
  const speaks = (call: ReturnType<typeof startFakeCall>, connectionId: string, speaking = true) =>
    call.lastSession().emit({ type: 'session.speakingChanged', connectionId, speaking });

  it('is your own while you are alone, and the first remote person once someone is there', async () => {
    const call = startFakeCall();
    await call.joinCall();
    expect(main(call)).toBe('self');
    const bob = remoteStream('bob');
    call.lastSession().emit({ type: 'session.streamCreated', stream: bob });
    expect(call.actor.getSnapshot().context.mainStreamId).toBeNull();
    expect(main(call)).toBe(bob.streamId);
  });

  it('follows whoever started speaking last, keeps them through a pause, and never makes your own voice large', async () => {
    const call = startFakeCall();
    await call.joinCall();
    const [bob, carol] = [remoteStream('bob'), remoteStream('carol')];
    for (const stream of [bob, carol]) call.lastSession().emit({ type: 'session.streamCreated', stream });
    speaks(call, carol.connectionId);
    expect(call.actor.getSnapshot().context.activeSpeaker).toBe(carol.connectionId);
    expect(main(call)).toBe(carol.streamId);
    speaks(call, carol.connectionId, false);
    expect(main(call)).toBe(carol.streamId);
    speaks(call, 'con_me');
    expect(call.actor.getSnapshot().context.activeSpeaker).toBe(carol.connectionId);
    speaks(call, bob.connectionId);
    expect(main(call)).toBe(bob.streamId);
    // The active speaker leaves the call: the first remote person is large again.
    call.lastSession().emit({ type: 'session.streamDestroyed', streamId: bob.streamId, reason: 'disconnect' });
    call.lastSession().emit({ type: 'session.connectionDestroyed', connectionId: bob.connectionId });
    expect(call.actor.getSnapshot().context.activeSpeaker).toBeNull();
    expect(main(call)).toBe(carol.streamId);
  });

  it('stays on the pinned video whoever speaks; a click on it again unpins; unknown streams change nothing', async () => {
    const call = startFakeCall();
    await call.joinCall();
    const [bob, carol] = [remoteStream('bob'), remoteStream('carol')];
    for (const stream of [bob, carol]) call.lastSession().emit({ type: 'session.streamCreated', stream });
    call.actor.send({ type: 'user.selectMain', streamId: bob.streamId });
    expect(call.actor.getSnapshot().context.mainStreamId).toBe(bob.streamId);
    speaks(call, carol.connectionId);
    expect(main(call)).toBe(bob.streamId);
    call.actor.send({ type: 'user.selectMain', streamId: 'str_unknown' });
    expect(call.actor.getSnapshot().context.mainStreamId).toBe(bob.streamId);
    call.actor.send({ type: 'user.selectMain', streamId: bob.streamId });
    expect(call.actor.getSnapshot().context.mainStreamId).toBeNull();
    expect(main(call)).toBe(carol.streamId);
  });

  it('can be your own video, pinned; the pin goes when the server stops your stream', async () => {
    const call = startFakeCall();
    await call.joinCall();
    const bob = remoteStream('bob');
    call.lastSession().emit({ type: 'session.streamCreated', stream: bob });
    call.actor.send({ type: 'user.selectMain', streamId: 'str_CAM_me_con_me' });
    expect(call.actor.getSnapshot().context.mainStreamId).toBe('str_CAM_me_con_me');
    speaks(call, bob.connectionId);
    expect(main(call)).toBe('self');
    call.lastSession().emit({ type: 'publisher.streamDestroyed', reason: 'forceUnpublishByServer' });
    expect(call.actor.getSnapshot().context.mainStreamId).toBeNull();
    expect(main(call)).toBe(bob.streamId);
  });

  it('falls back to the speaker when the pinned person leaves, and forgets pin and speaker with the call', async () => {
    const call = startFakeCall();
    await call.joinCall();
    const [bob, carol] = [remoteStream('bob'), remoteStream('carol')];
    for (const stream of [bob, carol]) call.lastSession().emit({ type: 'session.streamCreated', stream });
    speaks(call, bob.connectionId);
    call.actor.send({ type: 'user.selectMain', streamId: carol.streamId });
    call.lastSession().emit({ type: 'session.streamDestroyed', streamId: carol.streamId, reason: 'disconnect' });
    expect(call.actor.getSnapshot().context.mainStreamId).toBeNull();
    expect(main(call)).toBe(bob.streamId);
    call.actor.send({ type: 'user.selectMain', streamId: bob.streamId });
    call.actor.send({ type: 'user.leave' });
    await call.left();
    expect(call.actor.getSnapshot().context).toMatchObject({ mainStreamId: null, activeSpeaker: null });
  });
});

describe('the layout', () => {
  it('starts in the speaker view, switches to the grid and back, and keeps the choice for the next call', async () => {
    const call = startFakeCall();
    expect(call.actor.getSnapshot().context.layout).toBe('speaker');
    await call.joinCall();
    call.actor.send({ type: 'user.setLayout', layout: 'grid' });
    expect(call.actor.getSnapshot().context.layout).toBe('grid');
    call.actor.send({ type: 'user.setLayout', layout: 'mosaic' as never });
    expect(call.actor.getSnapshot().context.layout).toBe('grid');
    call.actor.send({ type: 'user.leave' });
    await call.left();
    await call.joinCall();
    expect(call.actor.getSnapshot().context.layout).toBe('grid');
    call.actor.send({ type: 'user.setLayout', layout: 'speaker' });
    expect(call.actor.getSnapshot().context.layout).toBe('speaker');
  });

  it('opens the speaker view when a tile is pinned from the grid; unpinning leaves the layout alone', async () => {
    const call = startFakeCall();
    await call.joinCall();
    const bob = remoteStream('bob');
    call.lastSession().emit({ type: 'session.streamCreated', stream: bob });
    call.actor.send({ type: 'user.setLayout', layout: 'grid' });
    call.actor.send({ type: 'user.selectMain', streamId: bob.streamId });
    expect(call.actor.getSnapshot().context).toMatchObject({ layout: 'speaker', mainStreamId: bob.streamId });
    call.actor.send({ type: 'user.setLayout', layout: 'grid' });
    call.actor.send({ type: 'user.selectMain', streamId: null });
    expect(call.actor.getSnapshot().context).toMatchObject({ layout: 'grid', mainStreamId: null });
  });
});

describe('failures', () => {
  it.each([
    ['unreachable', 'Cannot reach the OpenVidu server.'],
    ['secretRefused', 'The OpenVidu server refused the secret.'],
    ['badSessionName', 'The server rejected the session name.'],
    ['sessionGone', 'The session closed before you could join.'],
  ] as const)('a token error (%s) ends in failed with its message, and retry asks again', async (kind, message) => {
    const call = startFakeCall();
    call.actor.send(JOIN);
    call.lastTokenRequest().reject({ kind, message });
    await flush();
    expect(call.actor.getSnapshot().value).toBe('failed');
    expect(call.actor.getSnapshot().context.error).toEqual({ kind, message });

    call.actor.send({ type: 'user.retry' });
    expect(call.actor.getSnapshot().value).toBe('fetchingToken');
    expect(call.actor.getSnapshot().context.error).toBeNull();
    expect(call.tokenRequests).toHaveLength(2);
  });

  it('names an unrecognised rejection as unexpected, and dismiss returns to the form', async () => {
    const call = startFakeCall();
    call.actor.send(JOIN);
    call.lastTokenRequest().reject(new Error('boom'));
    await flush();
    expect(call.actor.getSnapshot().context.error).toEqual({ kind: 'unexpected', message: 'boom' });
    call.actor.send({ type: 'user.dismiss' });
    expect(call.actor.getSnapshot().value).toEqual(IDLE);
    expect(call.actor.getSnapshot().context.error).toBeNull();
  });

  it('tells the person when the token request takes too long', () => {
    vi.useFakeTimers();
    const call = startFakeCall();
    call.actor.send(JOIN);
    const request = call.lastTokenRequest();
    vi.advanceTimersByTime(20_000);
    expect(call.actor.getSnapshot().value).toBe('failed');
    expect(call.actor.getSnapshot().context.error?.kind).toBe('unreachable');
    expect(request.signal.aborted).toBe(true);
  });

  it('tells the person when connecting takes too long, and drops the half-made session', async () => {
    const call = startFakeCall();
    call.actor.send(JOIN);
    call.lastTokenRequest().resolve('tok');
    await flush();
    vi.useFakeTimers();
    // Entering `connecting` started its timer before fake timers; rejoin to start a fake one.
    await call.connectFails({ kind: 'connectFailed', message: 'x' });
    call.actor.send({ type: 'user.retry' });
    call.lastTokenRequest().resolve('tok2');
    await vi.advanceTimersByTimeAsync(1);
    expect(call.actor.getSnapshot().value).toEqual({ session: 'connecting' });
    await vi.advanceTimersByTimeAsync(20_000);
    expect(call.actor.getSnapshot().value).toBe('failed');
    expect(call.actor.getSnapshot().context.error?.kind).toBe('connectFailed');
    // The connect still under way was told to give up (and to disconnect, should it succeed).
    expect(call.lastConnect().signal.aborted).toBe(true);
    expect(call.lastSession().stopped).toBe(true);
  });

  it('a refused token at connect ends in failed and stops the session actor', async () => {
    const call = startFakeCall();
    call.actor.send(JOIN);
    call.lastTokenRequest().resolve('tok');
    await flush();
    await call.connectFails({ kind: 'tokenRefused', message: 'The server refused the token.' });
    expect(call.actor.getSnapshot().value).toBe('failed');
    expect(call.actor.getSnapshot().context.error?.kind).toBe('tokenRefused');
    expect(call.lastSession().stopped).toBe(true);
  });

  describe('the camera or microphone', () => {
    async function failPublishing(device: 'camera' | 'microphone' | 'camera and microphone') {
      const call = startFakeCall();
      call.actor.send(JOIN);
      call.lastTokenRequest().resolve('tok');
      await flush();
      await call.connected();
      await call.publishFails({ kind: 'deviceAccessDenied', message: `You did not allow the ${device}.`, device });
      return call;
    }

    it('waits for a choice, and retry publishes again with both devices', async () => {
      const call = await failPublishing('camera');
      expect(call.actor.getSnapshot().value).toEqual({ session: 'publishFailed' });
      expect(call.actor.getSnapshot().context.error?.device).toBe('camera');
      call.actor.send({ type: 'user.retryPublish' });
      expect(call.actor.getSnapshot().value).toEqual({ session: 'publishing' });
      expect(call.publishes).toHaveLength(2);
      expect(call.lastPublish().input).toEqual({ media: { audio: true, video: true }, atJoin: BOTH_ON });
    });

    it('joins without the camera: publishes the microphone only', async () => {
      const call = await failPublishing('camera');
      call.actor.send({ type: 'user.continueWithoutDevice' });
      expect(call.lastPublish().input).toEqual({ media: { audio: true, video: false }, atJoin: BOTH_ON });
      await call.published('str_audio');
      expect(call.actor.getSnapshot().value).toEqual({ session: { inCall: 'live' } });
    });

    it('the next session is told which devices to start: a new join asks for both again', async () => {
      const call = await failPublishing('camera');
      call.actor.send({ type: 'user.continueWithoutDevice' });
      await call.published('str_audio');
      call.actor.send({ type: 'user.leave' });
      await call.left();
      call.actor.send(JOIN);
      call.lastTokenRequest().resolve('ws://localhost:4443?sessionId=SessionA&token=tok_2');
      await flush();
      expect(call.lastConnect().input.media).toEqual({ audio: true, video: true });
    });

    it('joins without the microphone: publishes the camera only', async () => {
      const call = await failPublishing('microphone');
      call.actor.send({ type: 'user.continueWithoutDevice' });
      expect(call.lastPublish().input).toEqual({ media: { audio: false, video: true }, atJoin: BOTH_ON });
    });

    it('joins without both: in the call, publishing nothing, still seeing others', async () => {
      const call = await failPublishing('camera and microphone');
      call.actor.send({ type: 'user.continueWithoutDevice' });
      const snapshot = call.actor.getSnapshot();
      expect(snapshot.value).toEqual({ session: { inCall: 'live' } });
      expect(snapshot.context.ownStreamId).toBeNull();
      expect(snapshot.context.notice).toBe('You joined without camera and microphone.');
      expect(call.publishes).toHaveLength(1);
      call.lastSession().emit({ type: 'session.streamCreated', stream: remoteStream('bob') });
      expect(call.actor.getSnapshot().context.remoteStreams).toHaveLength(1);
    });

    it('can leave from there', async () => {
      const call = await failPublishing('camera');
      call.actor.send({ type: 'user.leave' });
      expect(call.actor.getSnapshot().value).toEqual({ session: 'leaving' });
    });
  });

  it.each([
    ['networkDisconnect', 'Your connection to the call was lost and could not be restored. Rejoin when your network is back.'],
    ['forceDisconnectByServer', 'The server removed you from the call.'],
    ['forceDisconnectByUser', 'A moderator removed you from the call.'],
    ['sessionClosedByServer', 'The call was closed by the server.'],
    ['somethingNew', 'The call ended (somethingNew).'],
  ])('ends the call on sessionDisconnected(%s) with a message, and one click rejoins', async (reason, message) => {
    const call = startFakeCall();
    await call.joinCall();
    call.lastSession().emit({ type: 'session.disconnected', reason });
    expect(call.actor.getSnapshot().value).toBe('ended');
    expect(call.actor.getSnapshot().context.error?.message).toBe(message);
    expect(call.lastSession().stopped).toBe(true);

    call.actor.send({ type: 'user.retry' });
    expect(call.actor.getSnapshot().value).toBe('fetchingToken');
    expect(call.tokenRequests).toHaveLength(2);
  });

  it('shows reconnecting while the library reconnects, and live again after', async () => {
    const call = startFakeCall();
    await call.joinCall();
    call.lastSession().emit({ type: 'session.reconnecting' });
    expect(call.actor.getSnapshot().value).toEqual({ session: { inCall: 'reconnecting' } });
    call.lastSession().emit({ type: 'session.reconnected' });
    expect(call.actor.getSnapshot().value).toEqual({ session: { inCall: 'live' } });
  });

  it('ends the call when the connection does not come back within the reconnection window', async () => {
    const call = startFakeCall();
    await call.joinCall();
    vi.useFakeTimers(); // the reconnection timer starts on entering reconnecting, below
    call.lastSession().emit({ type: 'session.exception', name: 'ICE_CONNECTION_DISCONNECTED', message: '' });
    call.lastSession().emit({ type: 'session.reconnecting' });
    await vi.advanceTimersByTimeAsync(RECONNECT_WINDOW_MS - 1);
    expect(call.actor.getSnapshot().value).toEqual({ session: { inCall: 'reconnecting' } });
    await vi.advanceTimersByTimeAsync(1);
    const snapshot = call.actor.getSnapshot();
    expect(snapshot.value).toBe('ended');
    expect(snapshot.context.error).toEqual(RECONNECT_TIMED_OUT);
    // Leaving `session` stopped the session actor, which disconnects: the library stops retrying.
    expect(call.lastSession().stopped).toBe(true);
    call.actor.send({ type: 'user.retry' });
    expect(call.actor.getSnapshot().value).toBe('fetchingToken');
  });

  it('with the window an operator set (read when reconnecting starts), ends the call at its end and names it', async () => {
    let windowMs = 30_000;
    const call = startFakeCall({}, withReconnectWindow(callMachine, () => windowMs));
    await call.joinCall();
    windowMs = 5_000; // config.json arrives after the actor started
    vi.useFakeTimers();
    call.lastSession().emit({ type: 'session.reconnecting' });
    await vi.advanceTimersByTimeAsync(4_999);
    expect(call.actor.getSnapshot().value).toEqual({ session: { inCall: 'reconnecting' } });
    await vi.advanceTimersByTimeAsync(1);
    const snapshot = call.actor.getSnapshot();
    expect(snapshot.value).toBe('ended');
    expect(snapshot.context.error).toEqual(reconnectTimedOut(5_000));
    expect(snapshot.context.error?.message).toContain('did not come back within 5 seconds');
    expect(RECONNECT_TIMED_OUT.message).toContain('did not come back within 30 seconds');
    expect(reconnectTimedOut(1_000).message).toContain('within 1 second.');
  });

  it('goes on when the connection comes back within the window, without the unstable-connection notice', async () => {
    const call = startFakeCall();
    await call.joinCall();
    vi.useFakeTimers(); // the reconnection timer starts on entering reconnecting, below
    call.lastSession().emit({ type: 'session.reconnecting' });
    call.lastSession().emit({ type: 'session.exception', name: 'ICE_CONNECTION_DISCONNECTED', message: '' });
    await vi.advanceTimersByTimeAsync(RECONNECT_WINDOW_MS - 1000);
    call.lastSession().emit({ type: 'session.reconnected' });
    await vi.advanceTimersByTimeAsync(RECONNECT_WINDOW_MS);
    expect(call.actor.getSnapshot().value).toEqual({ session: { inCall: 'live' } });
    expect(call.actor.getSnapshot().context.notice).toBeNull();
  });

  it('knows everyone in the session, also those who publish nothing, and forgets them with the call', async () => {
    const call = startFakeCall();
    call.actor.send(JOIN);
    call.lastTokenRequest().resolve('tok');
    await flush();
    // Someone already there is announced while we connect.
    call.lastSession().emit({ type: 'session.connectionCreated', connection: { connectionId: 'con_bob', nickname: 'Bob' } });
    await call.connected();
    await call.published('str_me');
    call.lastSession().emit({ type: 'session.connectionCreated', connection: { connectionId: 'con_carol', nickname: 'Carol' } });
    call.lastSession().emit({ type: 'session.connectionCreated', connection: { connectionId: 'con_carol', nickname: 'Carol' } });
    expect(call.actor.getSnapshot().context.participants.map((p) => p.nickname)).toEqual(['Bob', 'Carol']);
    call.lastSession().emit({ type: 'session.connectionDestroyed', connectionId: 'con_bob' });
    expect(call.actor.getSnapshot().context.participants.map((p) => p.nickname)).toEqual(['Carol']);
    call.actor.send({ type: 'user.leave' });
    await call.left();
    expect(call.actor.getSnapshot().context.participants).toEqual([]);
  });

  it('keeps the chat: our echo shows once, others count as unread while it is closed, nothing invalid is sent', async () => {
    const call = startFakeCall();
    await call.joinCall();
    const from = (fromConnectionId: string, text: string) => ({
      type: 'session.chatReceived' as const,
      message: { fromConnectionId, nickname: fromConnectionId, text, at: 1 },
    });
    call.actor.send({ type: 'user.sendChat', text: '  Hello  ' });
    expect(call.lastSession().commands.at(-1)).toEqual({ type: 'sendChat', text: 'Hello' });
    call.actor.send({ type: 'user.sendChat', text: '   ' });
    call.actor.send({ type: 'user.sendChat', text: 'x'.repeat(501) });
    expect(call.lastSession().commands.filter((c) => c.type === 'sendChat')).toHaveLength(1);

    call.lastSession().emit(from('con_me', 'Hello'));
    call.lastSession().emit(from('con_bob', 'Hi'));
    let chat = call.actor.getSnapshot().context.chat;
    expect(chat.messages.map((m) => [m.text, m.mine])).toEqual([['Hello', true], ['Hi', false]]);
    expect(chat.unread).toBe(1);
    call.actor.send({ type: 'user.openChat' });
    call.lastSession().emit(from('con_bob', 'Again'));
    chat = call.actor.getSnapshot().context.chat;
    expect(chat).toMatchObject({ open: true, unread: 0 });
    call.actor.send({ type: 'user.closeChat' });
    for (let i = 0; i < 250; i++) call.lastSession().emit(from('con_bob', `m${i}`));
    chat = call.actor.getSnapshot().context.chat;
    expect(chat.messages).toHaveLength(200);
    expect(chat.messages.at(-1)?.text).toBe('m249');
    expect(chat.unread).toBe(250);

    call.lastSession().emit({ type: 'session.speakingChanged', connectionId: 'con_bob', speaking: true });
    call.lastSession().emit({ type: 'session.speakingChanged', connectionId: 'con_me', speaking: true });
    call.lastSession().emit({ type: 'session.speakingChanged', connectionId: 'con_bob', speaking: true });
    expect(call.actor.getSnapshot().context.speaking).toEqual(['con_me', 'con_bob']);
    call.lastSession().emit({ type: 'session.speakingChanged', connectionId: 'con_me', speaking: false });
    expect(call.actor.getSnapshot().context.speaking).toEqual(['con_bob']);

    // A new call starts with an empty chat.
    call.actor.send({ type: 'user.leave' });
    await call.left();
    expect(call.actor.getSnapshot().context.chat).toEqual({ messages: [], unread: 0, open: false });
    expect(call.actor.getSnapshot().context.speaking).toEqual([]);
  });

  it('stays in the call when the server unpublishes our stream', async () => {
    const call = startFakeCall();
    await call.joinCall();
    call.lastSession().emit({ type: 'publisher.streamDestroyed', reason: 'forceUnpublishByServer' });
    const snapshot = call.actor.getSnapshot();
    expect(snapshot.value).toEqual({ session: { inCall: 'live' } });
    expect(snapshot.context.ownStreamId).toBeNull();
    expect(snapshot.context.notice).toBe('The server stopped publishing your camera and microphone.');
  });
});

it('keeps a context that serialises to JSON and back unchanged, at every step of a call', async () => {
  const call = startFakeCall();
  const seen: unknown[] = [];
  call.actor.subscribe((snapshot) => seen.push(snapshot.context));
  await call.joinCall();
  call.lastSession().emit({ type: 'session.streamCreated', stream: remoteStream('bob') });
  call.actor.send({ type: 'user.leave' });
  expect(seen.length).toBeGreaterThan(4);
  for (const context of seen) expect(JSON.parse(JSON.stringify(context))).toEqual(context);
});
