// Your microphone and camera in the call (machines/devices.machine.ts, invoked by inCall), and
// the remote streams' microphone and camera as streamPropertyChanged reports them.
import { describe, expect, it } from 'vitest';
import { devicesActorOf, ownDevices } from '../../../machines/call.selectors.ts';
import { remoteStream, startFakeCall } from './fakes.ts';

describe('the devices actor', () => {
  it('exists only in the call, and turns toggles into publishAudio / publishVideo commands', async () => {
    const call = startFakeCall();
    expect(devicesActorOf(call.actor.getSnapshot())).toBeUndefined();
    await call.joinCall();
    const devices = devicesActorOf(call.actor.getSnapshot());
    expect(devices && ownDevices(devices.getSnapshot())).toMatchObject({ microphone: 'on', camera: 'on' });

    call.actor.send({ type: 'user.toggleMicrophone' });
    call.actor.send({ type: 'user.toggleCamera' });
    expect(devices && ownDevices(devices.getSnapshot())).toMatchObject({ microphone: 'off', camera: 'off' });
    call.actor.send({ type: 'user.toggleCamera' });
    expect(devices && ownDevices(devices.getSnapshot())).toMatchObject({ microphone: 'off', camera: 'on' });
    expect(call.lastSession().commands).toEqual([
      { type: 'publishAudio', enabled: false },
      { type: 'publishVideo', enabled: false },
      { type: 'publishVideo', enabled: true },
    ]);

    call.actor.send({ type: 'user.leave' });
    expect(devicesActorOf(call.actor.getSnapshot())).toBeUndefined();
  });

  it('starts afresh (both on) on a rejoin', async () => {
    const call = startFakeCall();
    await call.joinCall();
    call.actor.send({ type: 'user.toggleMicrophone' });
    call.actor.send({ type: 'user.leave' });
    await call.left();
    await call.joinCall();
    const devices = devicesActorOf(call.actor.getSnapshot());
    expect(devices && ownDevices(devices.getSnapshot())).toMatchObject({ microphone: 'on', camera: 'on' });
  });
});

describe('switching and losing your devices', () => {
  async function inCall() {
    const call = startFakeCall();
    await call.joinCall();
    const own = () => ownDevices(devicesActorOf(call.actor.getSnapshot())!.getSnapshot());
    const commands = () => call.lastSession().commands; // publishing is its own actor: only what the devices asked
    return { call, own, commands };
  }

  it('a picked camera is switched to by the session actor; the call shows it on once switched', async () => {
    const { call, own, commands } = await inCall();
    call.actor.send({ type: 'user.selectDevice', kind: 'camera', deviceId: 'cam-2' });
    expect(own().camera).toBe('switching');
    expect(own().microphone).toBe('on');
    expect(commands()).toEqual([{ type: 'switchDevice', kind: 'camera', deviceId: 'cam-2' }]);
    // A report about the other kind does not end this switch.
    call.lastSession().emit({ type: 'device.switched', kind: 'microphone', deviceId: 'mic-2', label: 'Mic 2' });
    expect(own().camera).toBe('switching');
    call.lastSession().emit({ type: 'device.switched', kind: 'camera', deviceId: 'cam-2', label: 'Cam 2' });
    expect(own()).toMatchObject({ camera: 'on', cameraId: 'cam-2', notice: null });
  });

  it('an unplugged camera shows unavailable with a notice naming it; picking another brings it back and clears the notice', async () => {
    const { call, own, commands } = await inCall();
    call.lastSession().emit({ type: 'device.lost', kind: 'camera', label: 'USB camera', why: 'disconnected' });
    expect(own()).toMatchObject({ camera: 'unavailable', notice: 'Your camera (USB camera) was disconnected. Pick another camera.' });
    expect(call.actor.getSnapshot().matches({ session: { inCall: 'live' } })).toBe(true);
    call.actor.send({ type: 'user.selectDevice', kind: 'camera', deviceId: 'cam-1' });
    expect(own().camera).toBe('switching');
    call.lastSession().emit({ type: 'device.switched', kind: 'camera', deviceId: 'cam-1', label: 'Cam 1' });
    expect(own()).toMatchObject({ camera: 'on', notice: null });
    expect(commands()).toEqual([{ type: 'switchDevice', kind: 'camera', deviceId: 'cam-1' }]);
  });

  it('a switch that fails leaves the device unavailable; the toggle then tries the default device', async () => {
    const { call, own, commands } = await inCall();
    call.actor.send({ type: 'user.selectDevice', kind: 'microphone', deviceId: 'gone' });
    call.lastSession().emit({ type: 'device.lost', kind: 'microphone', label: '', why: 'failed' });
    expect(own()).toMatchObject({ microphone: 'unavailable', notice: 'Your microphone could not start. Pick another microphone.' });
    call.actor.send({ type: 'user.toggleMicrophone' });
    expect(own().microphone).toBe('switching');
    expect(commands().at(-1)).toEqual({ type: 'switchDevice', kind: 'microphone', deviceId: '' });
  });

  it('a device that is off is not switched by a choice, a muted microphone can be lost, a camera off cannot', async () => {
    const { call, own, commands } = await inCall();
    call.actor.send({ type: 'user.toggleCamera' });
    call.actor.send({ type: 'user.toggleMicrophone' });
    call.actor.send({ type: 'user.selectDevice', kind: 'camera', deviceId: 'cam-2' });
    call.actor.send({ type: 'user.selectDevice', kind: 'microphone', deviceId: 'mic-2' });
    expect(own()).toMatchObject({ camera: 'off', microphone: 'off' });
    call.lastSession().emit({ type: 'device.lost', kind: 'camera', label: 'Cam', why: 'disconnected' });
    call.lastSession().emit({ type: 'device.lost', kind: 'microphone', label: 'Mic', why: 'disconnected' });
    expect(own()).toMatchObject({ camera: 'off', microphone: 'unavailable' });
    expect(commands().filter((c) => c.type === 'switchDevice')).toEqual([]);
  });

  it('a notice about one device stays when the other device switches', async () => {
    const { call, own } = await inCall();
    call.lastSession().emit({ type: 'device.lost', kind: 'camera', label: 'Cam', why: 'disconnected' });
    call.actor.send({ type: 'user.selectDevice', kind: 'microphone', deviceId: 'mic-2' });
    call.lastSession().emit({ type: 'device.switched', kind: 'microphone', deviceId: 'mic-2', label: 'Mic 2' });
    expect(own()).toMatchObject({ microphone: 'on', camera: 'unavailable', notice: 'Your camera (Cam) was disconnected. Pick another camera.' });
  });
});

describe('remote microphones and cameras', () => {
  it('follow streamPropertyChanged; other streams and unknown ids are untouched', async () => {
    const call = startFakeCall();
    await call.joinCall();
    const bob = remoteStream('bob');
    const carol = { ...remoteStream('carol'), audioActive: false };
    call.lastSession().emit({ type: 'session.streamCreated', stream: bob });
    call.lastSession().emit({ type: 'session.streamCreated', stream: carol });
    call.lastSession().emit({ type: 'session.streamPropertyChanged', streamId: bob.streamId, property: 'videoActive', value: false });
    call.lastSession().emit({ type: 'session.streamPropertyChanged', streamId: 'str_gone', property: 'audioActive', value: false });
    const streams = call.actor.getSnapshot().context.remoteStreams;
    expect(streams.map((s) => [s.nickname, s.audioActive, s.videoActive])).toEqual([
      [bob.nickname, true, false],
      [carol.nickname, false, true],
    ]);
  });
});
