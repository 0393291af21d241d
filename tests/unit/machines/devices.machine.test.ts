// Your microphone and camera in the call (machines/devices.machine.ts, invoked by inCall), and
// the remote streams' microphone and camera as streamPropertyChanged reports them.
import { describe, expect, it } from 'vitest';
import { deviceStatus, devicesActorOf } from '../../../machines/call.selectors.ts';
import { remoteStream, startFakeCall } from './fakes.ts';

describe('the devices actor', () => {
  it('exists only in the call, and turns toggles into publishAudio / publishVideo commands', async () => {
    const call = startFakeCall();
    expect(devicesActorOf(call.actor.getSnapshot())).toBeUndefined();
    await call.joinCall();
    const devices = devicesActorOf(call.actor.getSnapshot());
    expect(devices && deviceStatus(devices.getSnapshot())).toEqual({ microphone: true, camera: true });

    call.actor.send({ type: 'user.toggleMicrophone' });
    call.actor.send({ type: 'user.toggleCamera' });
    expect(devices && deviceStatus(devices.getSnapshot())).toEqual({ microphone: false, camera: false });
    call.actor.send({ type: 'user.toggleCamera' });
    expect(devices && deviceStatus(devices.getSnapshot())).toEqual({ microphone: false, camera: true });
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
    expect(devices && deviceStatus(devices.getSnapshot())).toEqual({ microphone: true, camera: true });
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
