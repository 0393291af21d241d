// What the screen picker's outcome says to a person: a closed picker nothing, a refusal why.
import { describe, expect, it } from 'vitest';
import { screenPickOutcome } from '../../../src/openvidu/screen-errors.ts';

// openvidu-browser's OpenViduError: its name, and the browser's error as its message.
const openViduError = (name: string, message: string) => ({ name, message });

describe('the screen picker outcome', () => {
  it('a closed picker (NotAllowedError, AbortError) is a cancel, not a failure', () => {
    expect(screenPickOutcome(openViduError('SCREEN_CAPTURE_DENIED', 'NotAllowedError: Permission denied'))).toEqual({ cancelled: true });
    expect(screenPickOutcome(openViduError('DEVICE_ALREADY_IN_USE', 'AbortError: The operation was aborted.'))).toEqual({ cancelled: true });
  });

  it('a refusal by the system, a capture that cannot start, or no support says what happened', () => {
    const system = screenPickOutcome(openViduError('SCREEN_CAPTURE_DENIED', 'NotAllowedError: Permission denied by system'));
    expect(system).toMatchObject({ cancelled: false, message: expect.stringMatching(/did not let the browser record the screen/) });
    const busy = screenPickOutcome(openViduError('DEVICE_ALREADY_IN_USE', 'NotReadableError: Could not start video source'));
    expect(busy).toMatchObject({ cancelled: false, message: expect.stringMatching(/could not be captured/) });
    const phone = screenPickOutcome(openViduError('SCREEN_SHARING_NOT_SUPPORTED', 'You can only screen share in desktop Chrome…'));
    expect(phone).toMatchObject({ cancelled: false, message: expect.stringMatching(/cannot share a screen/) });
    expect(screenPickOutcome(new Error('boom'))).toMatchObject({ cancelled: false, message: expect.stringMatching(/\(boom\)/) });
    expect(screenPickOutcome(undefined)).toMatchObject({ cancelled: false });
  });
});
