// @vitest-environment node
// The probes that name the device OpenVidu's error leaves unnamed: each device is tried alone, and
// whatever opened is released at once (a probe must not itself keep the camera busy).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { busyDevice } from '../../../src/openvidu/device-probe.ts';

function browserWhere(fails: { video?: boolean; audio?: boolean }) {
  const stopped: string[] = [];
  const getUserMedia = vi.fn(async (constraints: MediaStreamConstraints) => {
    const kind = constraints.video ? 'video' : 'audio';
    if (fails[kind]) throw new DOMException(`Could not start ${kind} source`, 'NotReadableError');
    return { getTracks: () => [{ stop: () => stopped.push(kind) }] };
  });
  vi.stubGlobal('navigator', { mediaDevices: { getUserMedia } });
  return { stopped };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('busyDevice', () => {
  it.each([
    [{ video: true }, 'camera'],
    [{ audio: true }, 'microphone'],
    [{ video: true, audio: true }, 'camera and microphone'],
    [{}, undefined],
  ] as const)('when %o cannot start, names %s', async (fails, device) => {
    browserWhere(fails);
    expect(await busyDevice()).toBe(device);
  });

  it('releases every device it managed to open', async () => {
    const { stopped } = browserWhere({ video: true });
    expect(await busyDevice()).toBe('camera');
    expect(stopped).toEqual(['audio']);
  });
});
