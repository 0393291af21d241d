// The pre-join screen: your camera's live preview and microphone level before you join, the
// device lists once the page may use the devices, the preview's tracks published as they are
// (the camera opens once per join), a refusal that leaves the form usable, and remembered
// devices (one that is gone falls back to the default, with a notice).
import { chromium, expect, test, type Browser, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumExecutable } from '../support/chromium.ts';
import { callPageUrl, expectDecodingFrames, joinAndWaitForCall, openParticipant, ownTile, tileOf } from './call-page.ts';

/** An init script: counts the page's getUserMedia calls, and keeps the camera tracks they opened. */
function countGetUserMedia(): void {
  const w = window as unknown as { getUserMediaCalls: number; cameraTracks: MediaStreamTrack[] };
  w.getUserMediaCalls = 0;
  w.cameraTracks = [];
  const devices = navigator.mediaDevices;
  const native = devices.getUserMedia.bind(devices);
  devices.getUserMedia = async (constraints?: MediaStreamConstraints) => {
    w.getUserMediaCalls++;
    const stream = await native(constraints);
    w.cameraTracks.push(...stream.getVideoTracks());
    return stream;
  };
}

/** How many cameras the page holds open (its light is on while one is). */
const liveCameras = (page: Page) =>
  page.evaluate(() => (window as unknown as { cameraTracks: MediaStreamTrack[] }).cameraTracks.filter((t) => t.readyState === 'live').length);

async function openWithPreview(browser: Browser, init?: () => void): Promise<Page> {
  const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
  await context.addInitScript(countGetUserMedia);
  if (init) await context.addInitScript(init);
  const page = await context.newPage();
  await page.goto(callPageUrl());
  return page;
}

const preview = (page: Page) => page.locator('.prejoin .preview-tile');
const getUserMediaCalls = (page: Page) => page.evaluate(() => (window as unknown as { getUserMediaCalls: number }).getUserMediaCalls);

test('the preview runs before joining, and its tracks are the ones published: one getUserMedia per join', async ({ browser }) => {
  test.setTimeout(120_000);
  const session = `PreJoin${Date.now()}`;
  const alice = await openWithPreview(browser);

  await test.step('permission already granted: the camera starts at once, with the level meter and device lists', async () => {
    await expect(alice.getByLabel('Session')).toBeEditable();
    await expectDecodingFrames(preview(alice));
    await expect.poll(() => alice.getByRole('meter', { name: 'Microphone level' }).evaluate((m: HTMLMeterElement) => m.value), {
      timeout: 15_000,
    }).toBeGreaterThan(0);
    const cameras = alice.getByRole('combobox', { name: 'Camera' });
    await expect(cameras.locator('option')).not.toHaveCount(0);
    for (const label of await cameras.locator('option').allTextContents()) expect(label.trim()).not.toBe('');
    await expect(alice.getByRole('combobox', { name: 'Microphone' }).locator('option')).not.toHaveCount(0);
  });

  await test.step('Join publishes the preview’s tracks: no second getUserMedia, and Bob sees Alice', async () => {
    expect(await getUserMediaCalls(alice)).toBe(1);
    await joinAndWaitForCall(alice, session, 'Alice');
    await expectDecodingFrames(ownTile(alice));
    const bob = await openParticipant(browser);
    await joinAndWaitForCall(bob, session, 'Bob');
    await expectDecodingFrames(tileOf(bob, 'Alice'));
    expect(await getUserMediaCalls(alice)).toBe(1);
    await bob.context().close();
  });

  await test.step('after leaving, the camera stays off until the person turns it on', async () => {
    await alice.getByRole('button', { name: 'Leave' }).click();
    await expect(alice.getByRole('button', { name: 'Join' })).toBeVisible();
    await expect(alice.getByRole('button', { name: 'Turn on camera and microphone' })).toBeVisible();
    await alice.getByRole('button', { name: 'Turn on camera and microphone' }).click();
    await expectDecodingFrames(preview(alice));
  });
  await alice.context().close();
});

test('refusing the camera keeps the form usable, says why, and shows no device names', async () => {
  const executablePath = chromiumExecutable();
  const refusing = await chromium.launch({
    ...(executablePath ? { executablePath } : {}),
    args: [...CHROMIUM_ARGS.filter((arg) => arg !== '--use-fake-ui-for-media-stream'), '--deny-permission-prompts'],
  });
  try {
    const context = await refusing.newContext();
    await context.clearPermissions(); // nothing granted: every prompt is answered "no"
    const page = await context.newPage();
    await page.goto(callPageUrl());
    await expect(page.getByText('The camera and microphone lists appear once this page may use them.')).toBeVisible();
    await expect(page.getByRole('combobox', { name: 'Camera' })).toHaveCount(0);
    await page.getByRole('button', { name: 'Turn on camera and microphone' }).click();
    await expect(page.getByText('You did not allow this page to use your camera and microphone. You can still join without them.')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Join' })).toBeEnabled();
    await expect(page.getByLabel('Nickname')).toBeEditable();
  } finally {
    await refusing.close();
  }
});

test('the chosen devices are remembered across a reload; one that is gone falls back to the default, with a notice', async ({ browser }) => {
  const page = await openWithPreview(browser, () => {
    // Only on the first load: a device chosen on an earlier visit that is no longer there.
    if (!sessionStorage.getItem('seeded')) {
      sessionStorage.setItem('seeded', '1');
      localStorage.setItem('call.devices', JSON.stringify({ cameraId: 'a-camera-that-was-unplugged' }));
    }
  });
  await expect(page.getByText('A camera or microphone you chose before is not available now: using the default one.')).toBeVisible();
  await expectDecodingFrames(preview(page));
  const cameras = page.getByRole('combobox', { name: 'Camera' });
  const chosen = await cameras.inputValue();
  expect(chosen).not.toBe('');
  const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('call.devices') ?? '{}') as { cameraId?: string });
  expect(stored.cameraId).toBe(chosen);

  await page.reload();
  await expectDecodingFrames(preview(page));
  await expect(page.getByText('A camera or microphone you chose before is not available now: using the default one.')).toHaveCount(0);
  await expect(page.getByRole('combobox', { name: 'Camera' })).toHaveValue(chosen);
  await page.context().close();
});

test('camera and microphone turned off before joining: the camera closes, the call starts with both off, and the choice survives a reload', async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const session = `PreJoinOff${Date.now()}`;
  const bob = await openParticipant(browser);
  await joinAndWaitForCall(bob, session, 'Bob');
  const alice = await openWithPreview(browser);
  const previewVideoTracks = () =>
    preview(alice)
      .locator('video')
      .evaluate((v: HTMLVideoElement) => ((v.srcObject as MediaStream | null)?.getVideoTracks() ?? []).map((t) => t.readyState));
  const formButton = (name: 'Camera' | 'Microphone') => alice.getByRole('button', { name, exact: true });

  await test.step('the toggles turn the camera off (no live track, "Camera is off") and the microphone off (the meter says muted)', async () => {
    await expectDecodingFrames(preview(alice));
    const camera = await alice.evaluate(() => {
      // Keep the preview's camera track, to see it stop.
      const video = document.querySelector('.prejoin .preview-tile video') as HTMLVideoElement;
      const track = (video.srcObject as MediaStream).getVideoTracks()[0]!;
      (window as unknown as { previewCamera: MediaStreamTrack }).previewCamera = track;
      return track.readyState;
    });
    expect(camera).toBe('live');
    await expect(formButton('Camera')).toHaveAttribute('aria-pressed', 'true');
    await formButton('Camera').click();
    await expect(formButton('Camera')).toHaveAttribute('aria-pressed', 'false');
    await expect(alice.getByText('Camera is off')).toBeVisible();
    await expect.poll(previewVideoTracks).toEqual([]);
    expect(await alice.evaluate(() => (window as unknown as { previewCamera: MediaStreamTrack }).previewCamera.readyState)).toBe('ended');
    expect(await liveCameras(alice)).toBe(0);

    await formButton('Microphone').focus();
    await alice.keyboard.press('Enter'); // keyboard works like a click
    await expect(formButton('Microphone')).toHaveAttribute('aria-pressed', 'false');
    await expect(alice.locator('.mic-level').getByText('Muted')).toBeVisible();
    await expect.poll(() => alice.getByRole('meter', { name: 'Microphone level' }).evaluate((m: HTMLMeterElement) => m.value)).toBe(0);
  });

  await test.step('a reload keeps both off (remembered), without opening the camera', async () => {
    await alice.reload();
    await expect(formButton('Camera')).toHaveAttribute('aria-pressed', 'false');
    await expect(formButton('Microphone')).toHaveAttribute('aria-pressed', 'false');
    await expect(alice.getByText('Camera is off')).toBeVisible();
    await expect(alice.locator('.mic-level').getByText('Muted')).toBeVisible();
    expect(await previewVideoTracks()).toEqual([]);
    expect(await liveCameras(alice)).toBe(0);
  });

  await test.step('joined with both off: Bob sees the name card and the muted mark from the start; the control bar shows both off', async () => {
    await joinAndWaitForCall(alice, session, 'Alice');
    await expect(alice.getByRole('button', { name: 'Microphone', exact: true })).toHaveAttribute('aria-pressed', 'false');
    await expect(alice.getByRole('button', { name: 'Camera', exact: true })).toHaveAttribute('aria-pressed', 'false');
    await expect(ownTile(alice).getByRole('img', { name: 'Alice: camera off' })).toBeVisible();
    // No camera is open on Alice's page (since the reload, none was ever opened).
    expect(await liveCameras(alice)).toBe(0);
    const aliceTile = tileOf(bob, 'Alice');
    await expect(aliceTile.getByRole('img', { name: 'Alice: camera off' })).toBeVisible();
    await expect(aliceTile.getByRole('img', { name: 'microphone off' })).toBeVisible();
  });

  await test.step('Alice turns her camera on in the call: Bob decodes her frames instead of the card', async () => {
    await alice.getByRole('button', { name: 'Camera', exact: true }).click();
    await expect(alice.getByRole('button', { name: 'Camera', exact: true })).toHaveAttribute('aria-pressed', 'true');
    await expect(tileOf(bob, 'Alice').getByRole('img', { name: 'Alice: camera off' })).toHaveCount(0);
    await expectDecodingFrames(tileOf(bob, 'Alice'));
    await expectDecodingFrames(ownTile(alice));
    expect(await liveCameras(alice)).toBe(1);
  });
  await alice.context().close();
  await bob.context().close();
});
