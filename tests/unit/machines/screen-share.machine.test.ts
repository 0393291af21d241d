// Your screen, shared on a second connection (machines/screen-share.machine.ts, invoked by
// inCall), with fake token and OpenVidu actors provided through machine.provide.
import { describe, expect, it } from 'vitest';
import {
  mainVideoOf,
  peopleInCall,
  remoteStreamsGrouped,
  screenShareActorOf,
  screenShareStatus,
} from '../../../machines/call.selectors.ts';
import { flush, remoteStream, startFakeCall } from './fakes.ts';

type Call = ReturnType<typeof startFakeCall>;
const status = (call: Call) => {
  const screen = screenShareActorOf(call.actor.getSnapshot());
  return screen ? screenShareStatus(screen.getSnapshot()) : undefined;
};
const stateOf = (call: Call) => screenShareActorOf(call.actor.getSnapshot())?.getSnapshot().value;

/** Share, and let every step succeed. */
async function shareAll(call: Call) {
  call.actor.send({ type: 'user.shareScreen' });
  call.lastScreen().emit({ type: 'screen.picked' });
  call.lastScreenTokenRequest().resolve('ws://localhost:4443?sessionId=SessionA&token=tok_SCREEN');
  await flush();
  call.lastScreen().emit({ type: 'screen.connected', connectionId: 'con_screen' });
  call.lastScreen().emit({ type: 'screen.published', streamId: 'str_SCR_me_con_screen' });
}

describe('the screen-share actor', () => {
  it('exists only in the call; picks, gets its own token, connects, publishes, and stops', async () => {
    const call = startFakeCall();
    expect(screenShareActorOf(call.actor.getSnapshot())).toBeUndefined();
    await call.joinCall();
    expect(status(call)).toEqual({ phase: 'off', error: null });

    call.actor.send({ type: 'user.shareScreen' });
    expect(stateOf(call)).toEqual({ active: 'picking' });
    // The picker first: no token is asked for until a screen is picked.
    expect(call.screenTokenRequests).toHaveLength(0);
    expect(call.lastScreen().input).toEqual({ nickname: 'Alice' });
    call.lastScreen().emit({ type: 'screen.picked' });
    expect(call.lastScreenTokenRequest().input).toEqual({ sessionName: 'SessionA' });
    call.lastScreenTokenRequest().resolve('ws://localhost:4443?sessionId=SessionA&token=tok_SCREEN');
    await flush();
    // The token goes to the screen's actor, not into context.
    expect(call.lastScreen().commands).toEqual([{ type: 'connect', token: 'ws://localhost:4443?sessionId=SessionA&token=tok_SCREEN' }]);
    expect(JSON.stringify(screenShareActorOf(call.actor.getSnapshot())?.getSnapshot().context)).not.toContain('tok_');
    call.lastScreen().emit({ type: 'screen.connected', connectionId: 'con_screen' });
    expect(call.lastScreen().commands.at(-1)).toEqual({ type: 'publish' });
    call.lastScreen().emit({ type: 'screen.published', streamId: 'str_SCR' });
    expect(status(call)).toEqual({ phase: 'sharing', error: null });

    call.actor.send({ type: 'user.stopScreenShare' });
    expect(status(call)?.phase).toBe('stopping');
    expect(call.lastScreen().commands.at(-1)).toEqual({ type: 'stop' });
    call.lastScreen().emit({ type: 'screen.stopped' });
    expect(status(call)).toEqual({ phase: 'off', error: null });
    expect(call.lastScreen().stopped).toBe(true);
  });

  it("stops when the browser's own Stop sharing ends the track, and shares again", async () => {
    const call = startFakeCall();
    await call.joinCall();
    await shareAll(call);
    call.lastScreen().emit({ type: 'screen.ended' });
    expect(call.lastScreen().commands.at(-1)).toEqual({ type: 'stop' });
    call.lastScreen().emit({ type: 'screen.stopped' });
    expect(status(call)?.phase).toBe('off');
    await shareAll(call);
    expect(call.screens).toHaveLength(2);
    expect(status(call)?.phase).toBe('sharing');
  });

  it('a cancelled picker changes nothing and says nothing', async () => {
    const call = startFakeCall();
    await call.joinCall();
    call.actor.send({ type: 'user.shareScreen' });
    call.lastScreen().emit({ type: 'screen.pickCancelled' });
    expect(status(call)).toEqual({ phase: 'off', error: null });
    expect(call.lastScreen().stopped).toBe(true);
    expect(call.screenTokenRequests).toHaveLength(0);
    expect(call.actor.getSnapshot().matches({ session: { inCall: 'live' } })).toBe(true);
    expect(call.actor.getSnapshot().context.notice).toBeNull();
  });

  it('a refusal or a refused token says what happened, until dismissed or shared again; the call goes on', async () => {
    const call = startFakeCall();
    await call.joinCall();
    call.actor.send({ type: 'user.shareScreen' });
    call.lastScreen().emit({ type: 'screen.failed', message: 'Your computer did not let the browser record the screen.' });
    expect(status(call)).toEqual({ phase: 'off', error: 'Your computer did not let the browser record the screen.' });
    expect(call.lastScreen().stopped).toBe(true);

    call.actor.send({ type: 'user.shareScreen' });
    expect(status(call)).toEqual({ phase: 'starting', error: null });
    call.lastScreen().emit({ type: 'screen.picked' });
    call.lastScreenTokenRequest().reject({ kind: 'secretRefused', message: 'The OpenVidu server refused the secret.' });
    await flush();
    expect(status(call)?.error).toMatch(/no token.*refused the secret/);
    expect(call.lastScreen().stopped).toBe(true);
    call.actor.send({ type: 'user.dismissScreenShareError' });
    expect(status(call)).toEqual({ phase: 'off', error: null });
    expect(call.actor.getSnapshot().matches({ session: { inCall: 'live' } })).toBe(true);
  });

  it('stop while starting cancels (the token request is aborted); leaving the call stops a share', async () => {
    const call = startFakeCall();
    await call.joinCall();
    call.actor.send({ type: 'user.shareScreen' });
    call.lastScreen().emit({ type: 'screen.picked' });
    call.actor.send({ type: 'user.stopScreenShare' });
    expect(call.lastScreenTokenRequest().signal.aborted).toBe(true);
    expect(call.lastScreen().stopped).toBe(true);
    expect(status(call)?.phase).toBe('off');

    await shareAll(call);
    call.actor.send({ type: 'user.leave' });
    expect(call.lastScreen().stopped).toBe(true);
    expect(screenShareActorOf(call.actor.getSnapshot())).toBeUndefined();
  });

  it('a lost screen connection while sharing says so; the call goes on', async () => {
    const call = startFakeCall();
    await call.joinCall();
    await shareAll(call);
    call.lastScreen().emit({ type: 'screen.failed', message: 'Your screen share stopped: its connection to the server was lost.' });
    expect(status(call)).toEqual({ phase: 'off', error: 'Your screen share stopped: its connection to the server was lost.' });
    expect(call.actor.getSnapshot().matches({ session: 'inCall' })).toBe(true);
  });
});

describe('a remote screen in the call', () => {
  const screenOf = (id: string, participantId: string) => ({
    ...remoteStream(id, 'Alice'),
    streamId: `str_SCR_${id}`,
    screen: true,
    participantId,
  });

  it('is shown large unless a video was picked by hand, falls back when it goes, and is not a person', async () => {
    const call = startFakeCall();
    await call.joinCall();
    const alice = { ...remoteStream('alice', 'Alice'), participantId: 'p_alice' };
    const bob = remoteStream('bob', 'Bob');
    call.lastSession().emit({ type: 'session.connectionCreated', connection: { connectionId: alice.connectionId, nickname: 'Alice' } });
    call.lastSession().emit({ type: 'session.streamCreated', stream: alice });
    call.lastSession().emit({ type: 'session.connectionCreated', connection: { connectionId: bob.connectionId, nickname: 'Bob' } });
    call.lastSession().emit({ type: 'session.streamCreated', stream: bob });
    const screen = screenOf('alice_screen', 'p_alice');
    call.lastSession().emit({ type: 'session.streamCreated', stream: screen });

    let snapshot = call.actor.getSnapshot();
    expect(mainVideoOf(snapshot)).toEqual({ key: screen.streamId, nickname: 'Alice', pinned: false, screen: true });
    expect(peopleInCall(snapshot)).toBe(3);
    // Grouped: Alice's screen right after her camera, before Bob.
    expect(remoteStreamsGrouped(snapshot).map((s) => s.streamId)).toEqual([alice.streamId, screen.streamId, bob.streamId]);

    // Gone: a remote person is large again (the first one, as nobody has spoken), not your own camera.
    call.lastSession().emit({ type: 'session.streamDestroyed', streamId: screen.streamId, reason: 'unpublish' });
    expect(mainVideoOf(call.actor.getSnapshot())?.key).toBe(alice.streamId);

    // Picked by hand: a new screen does not take over.
    call.actor.send({ type: 'user.selectMain', streamId: bob.streamId });
    call.lastSession().emit({ type: 'session.streamCreated', stream: screenOf('again', 'p_alice') });
    snapshot = call.actor.getSnapshot();
    expect(mainVideoOf(snapshot)?.key).toBe(bob.streamId);
    expect(peopleInCall(snapshot)).toBe(3);
  });

  it('a screen whose connection was never announced, or that claims no camera, is still not a person', async () => {
    const call = startFakeCall();
    await call.joinCall();
    call.lastSession().emit({ type: 'session.streamCreated', stream: screenOf('lone', 'p_nobody') });
    const snapshot = call.actor.getSnapshot();
    expect(peopleInCall(snapshot)).toBe(1);
    expect(remoteStreamsGrouped(snapshot)).toHaveLength(1);
  });
});
