// What the screen picker's outcome means to a person. openvidu-browser wraps getDisplayMedia's
// rejection in an OpenViduError whose message starts with the browser's own error
// ("NotAllowedError: Permission denied"). Closing the picker is a choice, not a failure: Chromium
// rejects with NotAllowedError (and some browsers with AbortError) then, and nothing is said. A
// refusal by the system ("Permission denied by system": the OS does not let the browser record the
// screen) or a capture that cannot start says what happened.

export type PickOutcome = { cancelled: true } | { cancelled: false; message: string };

export function screenPickOutcome(error: unknown): PickOutcome {
  const { name, message } = (error ?? {}) as { name?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message : '';
  const browserError = /^(\w+Error)\b/.exec(text)?.[1] ?? (typeof name === 'string' ? name : '');
  if (name === 'SCREEN_SHARING_NOT_SUPPORTED') {
    return { cancelled: false, message: 'This browser cannot share a screen. Try a desktop browser.' };
  }
  if (/by system/i.test(text)) {
    return {
      cancelled: false,
      message: "Your computer did not let the browser record the screen. Allow screen recording for the browser in the system's settings, then try again.",
    };
  }
  if (browserError === 'NotAllowedError' || browserError === 'AbortError' || name === 'SCREEN_CAPTURE_DENIED') return { cancelled: true };
  if (browserError === 'NotReadableError') {
    return { cancelled: false, message: 'Your screen could not be captured (another program may be holding it). Try again.' };
  }
  return { cancelled: false, message: `Your screen could not be shared${text ? ` (${text})` : ''}. Try again.` };
}
