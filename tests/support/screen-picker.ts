// The browser's screen picker, under a test's control. Chromium started with
// --use-fake-ui-for-media-stream and --use-fake-device-for-media-stream (tests/support/chromium.ts)
// answers getDisplayMedia at once with a fake 1280x720 "screen" and a fake audio track, no dialog
// and no click needed; this init script makes it close the picker or refuse instead when asked,
// and keeps what it gave so a test can end it as the browser's own "Stop sharing" does.

/**
 * An init script for the page under test: the browser's screen picker does what the path says
 * (`window.__screenPicker`: 'grant' picks Chromium's fake screen; 'cancel' closes the picker,
 * NotAllowedError "Permission denied"; 'refuse' is the system's refusal, NotAllowedError
 * "Permission denied by system"), and keeps the streams it gave (`window.__screenStreams`) so a
 * run can end one as the browser's own "Stop sharing" does.
 */
export function controllableScreenPicker(): void {
  const w = window as unknown as { __screenPicker: string; __screenStreams: MediaStream[] };
  w.__screenPicker = 'grant';
  w.__screenStreams = [];
  const devices = navigator.mediaDevices;
  if (!devices?.getDisplayMedia) return;
  const original = devices.getDisplayMedia.bind(devices);
  devices.getDisplayMedia = async (options) => {
    if (w.__screenPicker === 'cancel') throw new DOMException('Permission denied', 'NotAllowedError');
    if (w.__screenPicker === 'refuse') throw new DOMException('Permission denied by system', 'NotAllowedError');
    const stream = await original(options);
    w.__screenStreams.push(stream);
    return stream;
  };
}

/**
 * Ends the page's shared screen as the browser's "Stop sharing" does: the track stops and fires
 * `ended`. A page's own `track.stop()` never fires `ended` (only the browser's does), so the event
 * is dispatched here after stopping the track.
 */
export function endSharedScreen(): number {
  const w = window as unknown as { __screenStreams: MediaStream[] };
  let ended = 0;
  for (const stream of w.__screenStreams.splice(0)) {
    for (const track of stream.getVideoTracks()) {
      if (track.readyState !== 'live') continue;
      track.stop();
      track.dispatchEvent(new Event('ended'));
      ended++;
    }
  }
  return ended;
}
