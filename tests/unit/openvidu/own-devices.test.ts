// @vitest-environment happy-dom
// Switching and losing your devices (src/openvidu/own-devices.ts), against a stand-in Publisher
// that records the library calls, and stand-in tracks: the old track is stopped before the new
// device is opened, the new track goes in with replaceTrack (or publishVideo(true, track) when the
// camera was shown off), a track that ends or a device that leaves the list is reported, and a
// switch that fails leaves the device shown off.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Publisher } from 'openvidu-browser';
import { createOwnDevices } from '../../../src/openvidu/own-devices.ts';

class FakeTrack extends EventTarget {
  readyState: 'live' | 'ended' = 'live';
  enabled = true;
  constructor(
    readonly kind: 'audio' | 'video',
    readonly label: string,
    readonly deviceId: string,
    readonly log: string[],
  ) {
    super();
  }
  stop() {
    this.readyState = 'ended';
    this.log.push(`stop ${this.label}`);
  }
  getSettings() {
    return { deviceId: this.deviceId };
  }
}

function setup() {
  const log: string[] = [];
  const tracks: FakeTrack[] = [new FakeTrack('video', 'Cam 1', 'cam-1', log), new FakeTrack('audio', 'Mic 1', 'mic-1', log)];
  const stream = {
    getVideoTracks: () => tracks.filter((t) => t.kind === 'video'),
    getAudioTracks: () => tracks.filter((t) => t.kind === 'audio'),
  };
  const publisher = {
    stream: { getMediaStream: () => stream, videoActive: true, audioActive: true },
    async replaceTrack(track: FakeTrack) {
      log.push(`replaceTrack ${track.label}`);
      const i = tracks.findIndex((t) => t.kind === track.kind);
      tracks[i] = track;
    },
    async publishVideo(enabled: boolean, resource?: unknown) {
      log.push(`publishVideo ${enabled}${resource instanceof FakeTrack ? ` ${resource.label}` : ''}`);
      publisher.stream.videoActive = enabled;
      if (resource instanceof FakeTrack) tracks[tracks.findIndex((t) => t.kind === 'video')] = resource;
    },
    publishAudio(enabled: boolean) {
      log.push(`publishAudio ${enabled}`);
      publisher.stream.audioActive = enabled;
    },
  };
  const devices = new EventTarget() as EventTarget & {
    getUserMedia: ReturnType<typeof vi.fn>;
    enumerateDevices: ReturnType<typeof vi.fn>;
  };
  const listed = [
    { kind: 'videoinput', deviceId: 'cam-1', label: 'Cam 1' },
    { kind: 'videoinput', deviceId: 'cam-2', label: 'Cam 2' },
    { kind: 'audioinput', deviceId: 'mic-1', label: 'Mic 1' },
  ];
  devices.enumerateDevices = vi.fn(async () => listed);
  devices.getUserMedia = vi.fn(async (constraints: MediaStreamConstraints) => {
    const video = constraints.video as { deviceId?: { exact: string } } | false;
    const id = video ? (video.deviceId?.exact ?? 'cam-1') : 'mic-x';
    log.push(`getUserMedia ${id}`);
    if (id === 'cam-gone') throw Object.assign(new Error('gone'), { name: 'NotFoundError' });
    const track = new FakeTrack(video ? 'video' : 'audio', id === 'cam-2' ? 'Cam 2' : id, id, log);
    return { getVideoTracks: () => (video ? [track] : []), getAudioTracks: () => (video ? [] : [track]) };
  });
  vi.stubGlobal('navigator', { mediaDevices: devices });
  const sent: unknown[] = [];
  const own = createOwnDevices((event) => sent.push(event));
  own.attach(publisher as unknown as Publisher);
  return { log, tracks, publisher, devices, listed, sent, own };
}

describe('your devices in the call', () => {
  beforeEach(() => vi.unstubAllGlobals());
  afterEach(() => vi.unstubAllGlobals());

  it('switches the camera: the old track is stopped before the new one is opened, then replaced', async () => {
    const { log, sent, own } = setup();
    await own.switchTo('camera', 'cam-2');
    expect(log).toEqual(['stop Cam 1', 'getUserMedia cam-2', 'replaceTrack Cam 2']);
    expect(sent).toEqual([{ type: 'device.switched', kind: 'camera', deviceId: 'cam-2', label: 'Cam 2' }]);
  });

  it('a track that ends is reported once, shown off to others; a stop() of ours is not', async () => {
    const { log, tracks, sent, own } = setup();
    await own.switchTo('camera', 'cam-2'); // our own stop() of Cam 1 reports nothing
    const cam2 = tracks.find((t) => t.kind === 'video')!;
    cam2.readyState = 'ended';
    cam2.dispatchEvent(new Event('ended'));
    expect(sent.at(-1)).toEqual({ type: 'device.lost', kind: 'camera', label: 'Cam 2', why: 'disconnected' });
    expect(sent).toHaveLength(2);
    expect(log.at(-1)).toBe('publishVideo false');
  });

  it('after a lost camera, a pick turns it on again with the new track', async () => {
    const { log, tracks, sent, own, publisher } = setup();
    tracks[0]!.dispatchEvent(new Event('ended'));
    await vi.waitFor(() => expect(publisher.stream.videoActive).toBe(false));
    await own.switchTo('camera', 'cam-2');
    expect(log.slice(-2)).toEqual(['getUserMedia cam-2', 'publishVideo true Cam 2']);
    expect(sent.at(-1)).toMatchObject({ type: 'device.switched', kind: 'camera' });
  });

  it('a device that leaves the list (devicechange) is lost', async () => {
    const { devices, listed, sent } = setup();
    listed.splice(0, 1); // Cam 1 unplugged, its track still says live
    devices.dispatchEvent(new Event('devicechange'));
    await vi.waitFor(() => expect(sent).toEqual([{ type: 'device.lost', kind: 'camera', label: 'Cam 1', why: 'disconnected' }]));
  });

  it('a switch that fails is reported as failed, and the camera is shown off', async () => {
    const { log, sent, own } = setup();
    await own.switchTo('camera', 'cam-gone');
    expect(log).toEqual(['stop Cam 1', 'getUserMedia cam-gone', 'publishVideo false']);
    expect(sent).toEqual([{ type: 'device.lost', kind: 'camera', label: '', why: 'failed' }]);
  });

  it('a microphone lost while shown off is unmuted by the switch that replaces it', async () => {
    const { log, tracks, own } = setup();
    tracks[1]!.dispatchEvent(new Event('ended'));
    await own.switchTo('microphone', '');
    expect(log.slice(-5)).toEqual(['publishAudio false', 'stop Mic 1', 'getUserMedia mic-x', 'replaceTrack mic-x', 'publishAudio true']);
  });

  it('after detach (the call is over) nothing more is reported', async () => {
    const { tracks, sent, own } = setup();
    own.detach();
    tracks[0]!.dispatchEvent(new Event('ended'));
    await own.switchTo('camera', 'cam-2');
    expect(sent).toEqual([]);
  });
});
