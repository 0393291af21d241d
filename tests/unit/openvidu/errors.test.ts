import { describe, expect, it } from 'vitest';
import { connectError, publisherError } from '../../../src/openvidu/errors.ts';

describe('connect errors', () => {
  it('names a refused token', () => {
    expect(connectError({ code: 401, message: 'Token tok_x is not valid' })).toEqual({
      kind: 'tokenRefused',
      message: 'The server refused the token (it may have been used already). Try again.',
    });
  });
  it('names a session that is gone', () => {
    expect(connectError({ code: 202, message: 'Session x cannot be found' }).kind).toBe('sessionGone');
  });
  it('keeps the library message for anything else', () => {
    expect(connectError(new Error('Token not valid: "abc"'))).toEqual({
      kind: 'connectFailed',
      message: 'Could not connect to the call: Token not valid: "abc". Try again.',
    });
  });
});

describe('publisher errors', () => {
  it('says which device was refused', () => {
    const error = publisherError({ name: 'DEVICE_ACCESS_DENIED', message: 'x' }, 'camera');
    expect(error).toMatchObject({ kind: 'deviceAccessDenied', device: 'camera' });
    expect(error.message).toMatch(/^You did not allow this page to use your camera\./);
  });
  it('says which device is busy, and the way out', () => {
    expect(publisherError({ name: 'DEVICE_ALREADY_IN_USE', message: 'NotReadableError: Could not start video source' }, 'camera')).toEqual({
      kind: 'deviceInUse',
      device: 'camera',
      message: 'Your camera is in use by another tab or program. Close it there and try again, or join without it.',
    });
  });
  it('falls back to both devices when the browser cannot tell', () => {
    expect(publisherError({ name: 'DEVICE_ALREADY_IN_USE' }, undefined)).toMatchObject({
      kind: 'deviceInUse',
      device: 'camera and microphone',
    });
  });
  it.each([
    ['INPUT_VIDEO_DEVICE_NOT_FOUND', 'camera'],
    ['INPUT_AUDIO_DEVICE_NOT_FOUND', 'microphone'],
  ])('names the missing device for %s', (name, device) => {
    expect(publisherError({ name }, undefined)).toMatchObject({ kind: 'deviceNotFound', device });
  });
  it('blames the microphone when only the microphone was asked for and none was found', () => {
    expect(publisherError({ name: 'INPUT_VIDEO_DEVICE_NOT_FOUND' }, undefined, { audio: true, video: false })).toMatchObject({
      kind: 'deviceNotFound',
      device: 'microphone',
    });
  });
  it('turns a string rejection into publishFailed', () => {
    expect(publisherError('Error on publishVideo: {"code":106}', undefined).kind).toBe('publishFailed');
  });
});
