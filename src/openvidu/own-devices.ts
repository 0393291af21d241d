// Your own camera and microphone while they are published: switching to another device with
// `Publisher.replaceTrack` (not a republish), and noticing a device that goes away (its track
// ends, or it leaves the device list on `devicechange`). The session actor owns the Publisher and
// hands it here once published; what happens goes back to the machine as `device.switched` /
// `device.lost`, which the devices actor (machines/devices.machine.ts) turns into its states.
import type { Publisher } from 'openvidu-browser';
import type { DeviceKind, SessionEvent } from '../../machines/call.types.ts';
import { rememberDevices, rememberedDevices } from './device-choice.ts';

type DeviceReport = Extract<SessionEvent, { type: 'device.switched' | 'device.lost' }>;

/** The tutorial's camera settings, as the publisher first asked for them. */
const VIDEO = { width: 640, height: 480, frameRate: 30 };

/**
 * Opens the chosen camera (the one remembered; the default when it is gone) for turning the camera
 * on in the call. Its track goes to publishVideo(true, track).
 */
export async function openCamera(): Promise<MediaStreamTrack> {
  const { cameraId } = rememberedDevices();
  const open = (id: string | undefined) =>
    navigator.mediaDevices.getUserMedia({ audio: false, video: { ...VIDEO, ...(id ? { deviceId: { exact: id } } : {}) } });
  const media = await open(cameraId).catch((error: unknown) => {
    if (!cameraId) throw error;
    return open(undefined);
  });
  const track = media.getVideoTracks()[0];
  if (!track) throw new Error('No camera track');
  return track;
}

const kindOf = (track: MediaStreamTrack): DeviceKind => (track.kind === 'video' ? 'camera' : 'microphone');
const mediaKind = (kind: DeviceKind): MediaDeviceKind => (kind === 'camera' ? 'videoinput' : 'audioinput');

export function createOwnDevices(send: (event: DeviceReport) => void) {
  let publisher: Publisher | undefined;
  let unwatch = () => {};
  // A newer switch of the same kind makes an older one's result moot.
  const attempts: Record<DeviceKind, number> = { camera: 0, microphone: 0 };

  const tracksOf = (p: Publisher | undefined, kind: DeviceKind): MediaStreamTrack[] => {
    const stream = p?.stream.getMediaStream();
    if (!stream) return [];
    return kind === 'camera' ? stream.getVideoTracks() : stream.getAudioTracks();
  };

  /** Others see the device off: the name card, or the muted mark. */
  const showOff = (p: Publisher, kind: DeviceKind) => {
    if (kind === 'camera') p.publishVideo(false, true).catch(() => undefined);
    else p.publishAudio(false);
  };

  /** A published track stopped by itself (unplugged, or taken by the system). */
  const lose = (track: MediaStreamTrack) => {
    const p = publisher;
    const kind = kindOf(track);
    if (!p || !tracksOf(p, kind).includes(track)) return; // already replaced
    attempts[kind]++;
    track.stop();
    showOff(p, kind);
    send({ type: 'device.lost', kind, label: track.label, why: 'disconnected' });
  };

  /** A device left the list while its track still looks live (some browsers end it late or never). */
  const checkDevices = async () => {
    const devices = await navigator.mediaDevices.enumerateDevices().catch(() => null);
    if (!devices) return;
    for (const kind of ['camera', 'microphone'] as const) {
      for (const track of tracksOf(publisher, kind)) {
        const id = track.getSettings().deviceId;
        if (track.readyState !== 'live' || !id) continue;
        if (!devices.some((d) => d.kind === mediaKind(kind) && d.deviceId === id)) lose(track);
      }
    }
  };

  /** Listens for the current tracks ending, and for devices coming and going. */
  const watch = () => {
    unwatch();
    const p = publisher;
    if (!p) return;
    const watched = [...tracksOf(p, 'camera'), ...tracksOf(p, 'microphone')]
      .filter((t) => t.readyState === 'live')
      .map((track) => {
        const onEnded = () => lose(track);
        track.addEventListener('ended', onEnded);
        return () => track.removeEventListener('ended', onEnded);
      });
    const onDeviceChange = () => void checkDevices();
    navigator.mediaDevices?.addEventListener?.('devicechange', onDeviceChange);
    unwatch = () => {
      for (const stop of watched) stop();
      navigator.mediaDevices?.removeEventListener?.('devicechange', onDeviceChange);
      unwatch = () => {};
    };
  };

  const labelOf = async (kind: DeviceKind, deviceId: string) => {
    const devices = await navigator.mediaDevices.enumerateDevices().catch(() => []);
    return devices.find((d) => d.kind === mediaKind(kind) && d.deviceId === deviceId)?.label ?? '';
  };

  /** Puts `deviceId` ('' for the default) in place of the current device of its kind. */
  const switchTo = async (kind: DeviceKind, deviceId: string) => {
    const p = publisher;
    if (!p) return;
    const attempt = ++attempts[kind];
    // Stopped first: a phone with one camera cannot open the other while this one is open.
    // (stop() fires no `ended`, so this is not taken for an unplugged device.)
    for (const track of tracksOf(p, kind)) track.stop();
    try {
      const exact = deviceId ? { deviceId: { exact: deviceId } } : {};
      const media = await navigator.mediaDevices.getUserMedia(
        kind === 'camera' ? { audio: false, video: { ...VIDEO, ...exact } } : { video: false, audio: deviceId ? exact : true },
      );
      const track = kind === 'camera' ? media.getVideoTracks()[0] : media.getAudioTracks()[0];
      if (!track) throw new Error(`No ${kind} track`);
      if (attempt !== attempts[kind] || publisher !== p) {
        track.stop();
        return;
      }
      // replaceTrack keeps the track's enabled state as published; a device shown off after it
      // was lost is turned on with the new track.
      if (kind === 'camera') {
        if (p.stream.videoActive) await p.replaceTrack(track);
        else await p.publishVideo(true, track);
      } else {
        await p.replaceTrack(track);
        if (!p.stream.audioActive) p.publishAudio(true);
      }
      if (attempt !== attempts[kind] || publisher !== p) return;
      const id = track.getSettings().deviceId ?? deviceId;
      rememberDevices(kind === 'camera' ? { cameraId: id } : { microphoneId: id });
      watch();
      send({ type: 'device.switched', kind, deviceId: id, label: track.label });
    } catch {
      if (attempt !== attempts[kind] || publisher !== p) return;
      showOff(p, kind);
      send({ type: 'device.lost', kind, label: await labelOf(kind, deviceId), why: 'failed' });
    }
  };

  return {
    /** The Publisher is published: watch its devices. */
    attach(p: Publisher) {
      publisher = p;
      watch();
    },
    /** Its tracks changed (the camera turned on again): watch the new ones. */
    rewatch: watch,
    detach() {
      unwatch();
      publisher = undefined;
      attempts.camera++;
      attempts.microphone++;
    },
    switchTo,
  };
}
