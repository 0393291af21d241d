// openvidu-browser's failures, as the machine's error records. The library rejects connect() with
// a raw JSON-RPC error object and initPublisher with an OpenViduError whose name says what went
// wrong; a person needs to hear which device and what to do about it.
import type { CallError, MediaChoice } from '../../machines/call.types.ts';

type Device = NonNullable<CallError['device']>;

/** session.connect(token) rejected. */
export function connectError(error: unknown): CallError {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (code === 401) {
    return { kind: 'tokenRefused', message: 'The server refused the token (it may have been used already). Try again.' };
  }
  if (code === 202) {
    return { kind: 'sessionGone', message: 'The session closed before you could join. Try again.' };
  }
  const detail = typeof message === 'string' && message ? `: ${message}` : '';
  return { kind: 'connectFailed', message: `Could not connect to the call${detail}. Try again.` };
}

/**
 * initPublisher / publish rejected. `device` is which device was refused or busy, when we could
 * find out (OpenVidu does not say for DEVICE_ACCESS_DENIED or DEVICE_ALREADY_IN_USE).
 */
export function publisherError(error: unknown, device: Device | undefined, asked?: MediaChoice): CallError {
  const name = onlyDeviceAskedFor((error as { name?: unknown } | null)?.name, asked);
  switch (name) {
    case 'DEVICE_ACCESS_DENIED': {
      const which = device ?? 'camera and microphone';
      return {
        kind: 'deviceAccessDenied',
        device: which,
        message: `You did not allow this page to use your ${which}. Allow it in the browser's site settings (the icon beside the address) and try again, or join without it.`,
      };
    }
    case 'DEVICE_ALREADY_IN_USE': {
      const which = device ?? 'camera and microphone';
      return {
        kind: 'deviceInUse',
        device: which,
        message: `Your ${which} is in use by another tab or program. Close it there and try again, or join without it.`,
      };
    }
    case 'INPUT_VIDEO_DEVICE_NOT_FOUND':
      return { kind: 'deviceNotFound', device: 'camera', message: 'No camera was found. Plug one in and try again, or join without it.' };
    case 'INPUT_AUDIO_DEVICE_NOT_FOUND':
      return { kind: 'deviceNotFound', device: 'microphone', message: 'No microphone was found. Plug one in and try again, or join without it.' };
    case 'INPUT_VIDEO_DEVICE_GENERIC_ERROR':
      return { kind: 'deviceError', device: 'camera', message: 'Your camera could not start. Try again, or join without it.' };
    case 'INPUT_AUDIO_DEVICE_GENERIC_ERROR':
      return { kind: 'deviceError', device: 'microphone', message: 'Your microphone could not start. Try again, or join without it.' };
    case 'OPENVIDU_PERMISSION_DENIED':
      return { kind: 'publishFailed', message: 'This session does not allow you to publish. You can stay and watch.' };
    default: {
      const text = (error as { message?: unknown } | null)?.message;
      return {
        kind: 'publishFailed',
        message: `Your camera and microphone could not be published${typeof text === 'string' && text ? ` (${text})` : ''}. Try again, or join without them.`,
      };
    }
  }
}

/**
 * openvidu-browser guesses which device is missing by retrying with the camera alone; when we
 * asked for the microphone alone, that retry fails too and it blames the camera. Only a device we
 * asked for can be the one missing.
 */
function onlyDeviceAskedFor(name: unknown, asked: MediaChoice | undefined): unknown {
  if (!asked) return name;
  if (name === 'INPUT_VIDEO_DEVICE_NOT_FOUND' && !asked.video) return 'INPUT_AUDIO_DEVICE_NOT_FOUND';
  if (name === 'INPUT_AUDIO_DEVICE_NOT_FOUND' && !asked.audio) return 'INPUT_VIDEO_DEVICE_NOT_FOUND';
  return name;
}
