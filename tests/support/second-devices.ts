// A second camera and a second microphone for the tests, which Chromium's fake capture does not
// offer (it has one fake camera). An init script: `enumerateDevices` lists them (once the page may
// use devices, as real ones), and `getUserMedia` asked for exactly one of them answers with a track
// of its own: the camera is a canvas painted solid blue (Chromium's fake camera is mostly green
// and grey, so the two are told apart by a frame's mean colour), the microphone a 660 Hz tone.
// Every other request goes to Chromium's own fake devices; openvidu-browser is untouched.
//
// `window.secondDevices.unplug(kind, { quiet })` unplugs one: its live tracks end (as an unplugged
// device's do), it leaves the list, and `devicechange` fires (not with `quiet`: the page still
// lists it, and picking it fails, as when a device goes between listing and opening).

export const SECOND_CAMERA = { deviceId: 'second-fake-camera', label: 'Second fake camera (blue)' } as const;
export const SECOND_MICROPHONE = { deviceId: 'second-fake-microphone', label: 'Second fake microphone' } as const;

export function secondDevices(): void {
  const devices = navigator.mediaDevices;
  if (!devices) return;
  const nativeEnumerate = devices.enumerateDevices.bind(devices);
  const nativeGetUserMedia = devices.getUserMedia.bind(devices);
  const camera = { deviceId: 'second-fake-camera', kind: 'videoinput', label: 'Second fake camera (blue)', groupId: 'second-fake-camera' } as const;
  const microphone = { deviceId: 'second-fake-microphone', kind: 'audioinput', label: 'Second fake microphone', groupId: 'second-fake-microphone' } as const;
  type Kind = 'camera' | 'microphone';
  const plugged: Record<Kind, boolean> = { camera: true, microphone: true };
  const live: Record<Kind, Set<MediaStreamTrack>> = { camera: new Set(), microphone: new Set() };

  const info = (d: typeof camera | typeof microphone) => ({ ...d, toJSON: () => ({ ...d }) }) as unknown as MediaDeviceInfo;
  devices.enumerateDevices = async () => {
    const list = await nativeEnumerate();
    if (!list.some((d) => d.label)) return list; // names (and these devices) only once allowed
    return [...list, ...(plugged.camera ? [info(camera)] : []), ...(plugged.microphone ? [info(microphone)] : [])];
  };

  const asks = (constraint: boolean | MediaTrackConstraints | undefined, id: string) => {
    if (!constraint || typeof constraint !== 'object') return false;
    const wanted = constraint.deviceId;
    if (!wanted) return false;
    if (typeof wanted === 'string') return wanted === id;
    if (Array.isArray(wanted)) return wanted.includes(id);
    const { exact, ideal } = wanted as { exact?: string | string[]; ideal?: string | string[] };
    return [exact, ideal].some((v) => v === id || (Array.isArray(v) && v.includes(id)));
  };

  const decorate = (track: MediaStreamTrack, kind: Kind, device: typeof camera | typeof microphone, release: () => void) => {
    Object.defineProperty(track, 'label', { value: device.label });
    const settings = track.getSettings.bind(track);
    track.getSettings = () => ({ ...settings(), deviceId: device.deviceId, groupId: device.groupId });
    const stop = track.stop.bind(track);
    track.stop = () => {
      live[kind].delete(track);
      release();
      stop();
    };
    live[kind].add(track);
    return track;
  };

  const cameraTrack = () => {
    const canvas = document.createElement('canvas');
    canvas.width = 640;
    canvas.height = 480;
    const g = canvas.getContext('2d')!;
    let n = 0;
    // Repainted at 30 fps (a canvas stream sends a frame only when the canvas changes); a small
    // white square moves so that the encoder has something to send.
    const timer = setInterval(() => {
      g.fillStyle = '#1030e0';
      g.fillRect(0, 0, 640, 480);
      g.fillStyle = '#ffffff';
      g.fillRect((n++ * 8) % 600, 220, 40, 40);
    }, 33);
    const track = canvas.captureStream(30).getVideoTracks()[0]!;
    return decorate(track, 'camera', camera, () => clearInterval(timer));
  };

  const microphoneTrack = () => {
    const context = new AudioContext();
    const tone = context.createOscillator();
    tone.frequency.value = 660;
    const gain = context.createGain();
    gain.gain.value = 0.3;
    const out = context.createMediaStreamDestination();
    tone.connect(gain).connect(out);
    tone.start();
    const track = out.stream.getAudioTracks()[0]!;
    return decorate(track, 'microphone', microphone, () => void context.close());
  };

  devices.getUserMedia = async (constraints: MediaStreamConstraints = {}) => {
    const wantsCamera = asks(constraints.video, camera.deviceId);
    const wantsMicrophone = asks(constraints.audio, microphone.deviceId);
    if (!wantsCamera && !wantsMicrophone) return nativeGetUserMedia(constraints);
    if ((wantsCamera && !plugged.camera) || (wantsMicrophone && !plugged.microphone)) {
      throw new DOMException('Requested device not found', 'NotFoundError');
    }
    const rest = { video: wantsCamera ? false : (constraints.video ?? false), audio: wantsMicrophone ? false : (constraints.audio ?? false) };
    const stream = rest.video || rest.audio ? await nativeGetUserMedia(rest) : new MediaStream();
    if (wantsCamera) stream.addTrack(cameraTrack());
    if (wantsMicrophone) stream.addTrack(microphoneTrack());
    return stream;
  };

  (window as unknown as { secondDevices: unknown }).secondDevices = {
    unplug(kind: Kind, options: { quiet?: boolean } = {}) {
      plugged[kind] = false;
      for (const track of [...live[kind]]) {
        track.stop();
        track.dispatchEvent(new Event('ended'));
      }
      if (!options.quiet) devices.dispatchEvent(new Event('devicechange'));
    },
  };
}

/** What an unplugged device does to a published track: it stops, and says so (`ended`). */
export function endOwnTrack(kind: 'video' | 'audio'): boolean {
  const video = document.querySelector<HTMLVideoElement>('.tiles .video-tile[data-media-key="self"] video');
  const stream = video?.srcObject instanceof MediaStream ? video.srcObject : null;
  const track = (kind === 'video' ? stream?.getVideoTracks() : stream?.getAudioTracks())?.find((t) => t.readyState === 'live');
  if (!track) return false;
  track.stop();
  track.dispatchEvent(new Event('ended'));
  return true;
}
