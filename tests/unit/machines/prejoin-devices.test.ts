// The camera and microphone turned on or off on the join form, before joining: the call machine's
// `idle.camera` / `idle.microphone` regions, the preview actor told of each change, the choice
// kept for the join (connect, publish, the devices actor's first states) and for the form again.
import { describe, expect, it } from 'vitest';
import { devicesActorOf, devicesAtJoinOf, ownDevices, showsPreview } from '../../../machines/call.selectors.ts';
import { flush, startFakeCall } from './fakes.ts';

const devicesOf = (call: ReturnType<typeof startFakeCall>) => {
  const devices = devicesActorOf(call.actor.getSnapshot());
  return devices ? ownDevices(devices.getSnapshot()) : undefined;
};

describe('camera and microphone on the join form', () => {
  it('are on at first; each toggle is a state, and the preview is told', () => {
    const call = startFakeCall();
    expect(call.actor.getSnapshot().value).toEqual({ idle: { camera: 'on', microphone: 'on' } });
    expect(call.previews.at(-1)?.input).toEqual({ camera: 'on', microphone: 'on' });

    call.actor.send({ type: 'user.toggleCamera' });
    call.actor.send({ type: 'user.toggleMicrophone' });
    expect(call.actor.getSnapshot().value).toEqual({ idle: { camera: 'off', microphone: 'off' } });
    expect(devicesAtJoinOf(call.actor.getSnapshot())).toEqual({ camera: 'off', microphone: 'off' });
    expect(call.previews.at(-1)?.commands).toEqual([
      { type: 'preview.turn', kind: 'camera', to: 'off' },
      { type: 'preview.turn', kind: 'microphone', to: 'off' },
    ]);

    call.actor.send({ type: 'user.toggleCamera' });
    expect(call.actor.getSnapshot().value).toEqual({ idle: { camera: 'on', microphone: 'off' } });
    expect(call.livePreview()).toEqual({ camera: 'on', microphone: 'off' });
  });

  it('start as remembered (the input), and the preview starts with that', () => {
    const call = startFakeCall({ atJoin: { camera: 'off' } });
    expect(call.actor.getSnapshot().value).toEqual({ idle: { camera: 'off', microphone: 'on' } });
    expect(call.previews.at(-1)?.input).toEqual({ camera: 'off', microphone: 'on' });
  });

  it('are honoured at join: connect and publish are told, the devices actor starts off without a command', async () => {
    const call = startFakeCall();
    call.actor.send({ type: 'user.toggleCamera' });
    call.actor.send({ type: 'user.toggleMicrophone' });
    await call.joinCall();
    const off = { camera: 'off', microphone: 'off' };
    expect(call.lastConnect().input.atJoin).toEqual(off);
    expect(call.lastPublish().input).toEqual({ media: { audio: true, video: true }, atJoin: off });
    expect(call.previews.every((p) => p.stopped)).toBe(true);
    expect(devicesOf(call)).toMatchObject({ camera: 'off', microphone: 'off' });
    // Published off: nothing to turn off.
    expect(call.lastSession().commands).toEqual([]);

    // Turned on in the call: published on, and stays on.
    call.actor.send({ type: 'user.toggleCamera' });
    call.actor.send({ type: 'user.toggleMicrophone' });
    expect(devicesOf(call)).toMatchObject({ camera: 'on', microphone: 'on' });
    expect(call.lastSession().commands).toEqual([
      { type: 'publishVideo', enabled: true },
      { type: 'publishAudio', enabled: true },
    ]);
    call.actor.send({ type: 'user.toggleCamera' });
    expect(devicesOf(call)).toMatchObject({ camera: 'off', microphone: 'on' });
  });

  it('are kept when the person comes back to the form, and for a rejoin', async () => {
    const call = startFakeCall();
    call.actor.send({ type: 'user.toggleCamera' });
    await call.joinCall();
    // In the call the camera is turned on: the form's choice stays what was chosen there.
    call.actor.send({ type: 'user.toggleCamera' });
    call.actor.send({ type: 'user.leave' });
    await call.left();
    expect(call.actor.getSnapshot().value).toEqual({ idle: { camera: 'off', microphone: 'on' } });
    expect(call.livePreview()).toEqual({ camera: 'off', microphone: 'on' });
    await call.joinCall();
    expect(devicesOf(call)).toMatchObject({ camera: 'off', microphone: 'on' });
  });

  it('cannot change while joining: the toggles belong to the form and to the call', () => {
    const call = startFakeCall();
    call.actor.send({ type: 'user.join', sessionName: 'SessionA', nickname: 'Alice' });
    call.actor.send({ type: 'user.toggleCamera' });
    expect(call.actor.getSnapshot().value).toBe('fetchingToken');
    expect(call.actor.getSnapshot().context.atJoin).toEqual({ camera: 'on', microphone: 'on' });
  });
});

describe('the joining screen', () => {
  it('waits for your camera picture only when the camera was left on', async () => {
    for (const [toggle, shown] of [
      [false, true],
      [true, false],
    ] as const) {
      const call = startFakeCall();
      if (toggle) call.actor.send({ type: 'user.toggleCamera' });
      call.actor.send({ type: 'user.join', sessionName: 'SessionA', nickname: 'Alice' });
      call.lastTokenRequest().resolve('ws://localhost:4443?sessionId=SessionA&token=tok_A');
      await flush();
      expect(call.actor.getSnapshot().value).toEqual({ session: 'connecting' });
      expect(showsPreview(call.actor.getSnapshot())).toBe(shown);
    }
  });
});
