// OpenVidu says "access denied" or "already in use" without saying which device. These probes
// ask the browser, so the page can name the device and offer to go on without just that one.
type Device = 'camera' | 'microphone' | 'camera and microphone';

export async function refusedDevice(): Promise<Device | undefined> {
  if (!navigator.permissions?.query) return undefined;
  try {
    const [camera, microphone] = await Promise.all([
      navigator.permissions.query({ name: 'camera' as PermissionName }),
      navigator.permissions.query({ name: 'microphone' as PermissionName }),
    ]);
    // "prompt" counts as refused too: a dismissed or auto-denied prompt leaves that state.
    return pick(camera.state !== 'granted', microphone.state !== 'granted');
  } catch {
    return undefined; // Firefox and Safari do not know these permission names.
  }
}

/** Which device cannot be opened right now: try each alone. */
export async function busyDevice(): Promise<Device | undefined> {
  const [camera, microphone] = await Promise.all([opens({ video: true }), opens({ audio: true })]);
  return pick(!camera, !microphone);
}

async function opens(constraints: MediaStreamConstraints): Promise<boolean> {
  try {
    const stream = await navigator.mediaDevices.getUserMedia(constraints);
    for (const track of stream.getTracks()) track.stop();
    return true;
  } catch {
    return false;
  }
}

function pick(camera: boolean, microphone: boolean): Device | undefined {
  if (camera && microphone) return 'camera and microphone';
  if (camera) return 'camera';
  if (microphone) return 'microphone';
  return undefined;
}
