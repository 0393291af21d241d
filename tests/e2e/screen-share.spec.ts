// Screen sharing through the real page, the unmodified openvidu-browser and the local server:
// Alice shares her screen on a second connection; Bob decodes it, large, labelled as hers, and
// still counts two people. Stopped from the page, ended by the browser, shared again; a closed
// picker says nothing, a refusal says what happened. One test, several steps: each join costs
// seconds on a 2-core machine.
//
// Chromium's fake UI flags (tests/support/chromium.ts) make getDisplayMedia answer at once with a
// fake screen; tests/support/screen-picker.ts lets a step close the picker or refuse instead.
import { expect, test, type Page } from '@playwright/test';
import { controllableScreenPicker, endSharedScreen } from '../support/screen-picker.ts';
import { expectDecodingFrames, joinAndWaitForCall, mainVideo, openParticipant, remoteTiles } from './call-page.ts';

const pages: Page[] = [];
test.afterEach(async () => {
  for (const page of pages.splice(0)) await page.context().close();
});

const shareButton = (page: Page) => page.getByRole('button', { name: 'Share screen', exact: true });
const screenTileOf = (page: Page, nickname: string) =>
  page.locator('.tiles .video-tile[data-screen="true"]').filter({ has: page.locator('.nickname', { hasText: nickname }) });
const setPicker = (page: Page, answer: 'grant' | 'cancel' | 'refuse') =>
  page.evaluate((a) => ((window as unknown as { __screenPicker: string }).__screenPicker = a), answer);

test('share a screen: the other person sees it large and decodes it; stop, end by the browser, share again; cancel and refusal', async ({
  browser,
}) => {
  test.setTimeout(150_000);
  const session = `Screen_${Date.now()}`;
  const alice = await openParticipant(browser);
  pages.push(alice);
  await alice.context().addInitScript(controllableScreenPicker);
  await alice.reload();
  const bob = await openParticipant(browser);
  pages.push(bob);
  await joinAndWaitForCall(alice, session, 'Alice');
  await joinAndWaitForCall(bob, session, 'Bob');
  await expect(remoteTiles(bob)).toHaveCount(1);

  await test.step('Alice shares: Bob sees "Alice (screen)" large, decoding, with its sound; still two people', async () => {
    await expect(shareButton(alice)).toHaveAttribute('aria-pressed', 'false');
    await shareButton(alice).click();
    await expect(alice.getByText('Sharing your screen')).toBeVisible({ timeout: 30_000 });
    await expect(shareButton(alice)).toHaveAttribute('aria-pressed', 'true');

    const screen = screenTileOf(bob, 'Alice');
    await expect(screen).toHaveCount(1, { timeout: 30_000 });
    await expect(screen.locator('figcaption')).toContainText('Alice (screen)');
    // Large because it is a screen, not because Bob pinned it: its tile is not pressed.
    await expect(bob.getByRole('button', { name: "Show Alice's screen as the main video" })).toHaveAttribute('aria-pressed', 'false');
    await expect(mainVideo(bob)).toHaveAttribute('data-screen', 'true');
    await expect(mainVideo(bob).locator('.nickname')).toHaveText('Alice');
    await expectDecodingFrames(mainVideo(bob));
    // Chromium's fake screen is 16:9 (1280x720), Alice's camera 4:3: what Bob decodes is the screen.
    const ratio = await mainVideo(bob).locator('video').evaluate((v: HTMLVideoElement) => v.videoWidth / v.videoHeight);
    expect(ratio).toBeCloseTo(16 / 9, 1);
    // Screen audio, offered by the (fake) picker, is published and played at Bob's.
    const screenKey = await screen.getAttribute('data-media-key');
    await expect(bob.locator(`audio[data-media-key="${screenKey}"]`)).toHaveCount(1);
    // A screen is not a person: both still count two, and Bob has no extra person tile.
    await expect(bob.locator('.people-count')).toHaveText('2 people in the call');
    await expect(alice.locator('.people-count')).toHaveText('2 people in the call');
    await expect(bob.locator('.person-tile')).toHaveCount(0);
    // Alice sees her screen as hers, and never receives it back from the server.
    await expect(alice.locator('.tiles .video-tile[data-media-key="self-screen"]')).toHaveCount(1);
    await expect(remoteTiles(alice)).toHaveCount(1);
  });

  await test.step('Alice stops from the page: the screen goes from Bob\'s page, and the main video falls back', async () => {
    await shareButton(alice).click();
    await expect(shareButton(alice)).toHaveAttribute('aria-pressed', 'false');
    await expect(screenTileOf(bob, 'Alice')).toHaveCount(0);
    await expect(mainVideo(bob)).toHaveAttribute('data-screen', 'false');
    await expect(alice.locator('.tiles .video-tile[data-media-key="self-screen"]')).toHaveCount(0);
  });

  await test.step('Alice shares again, then the browser\'s own "Stop sharing" ends the track: gone everywhere', async () => {
    await shareButton(alice).click();
    await expect(screenTileOf(bob, 'Alice')).toHaveCount(1, { timeout: 30_000 });
    await expectDecodingFrames(mainVideo(bob));
    // The browser's "Stop sharing" stops the track and fires `ended`; a page's own track.stop()
    // fires nothing, so the test stops the track and dispatches `ended` itself.
    expect(await alice.evaluate(endSharedScreen)).toBe(1);
    await expect(shareButton(alice)).toHaveAttribute('aria-pressed', 'false');
    await expect(screenTileOf(bob, 'Alice')).toHaveCount(0);
  });

  await test.step('a closed picker changes nothing and says nothing; a refusal says what happened', async () => {
    await setPicker(alice, 'cancel');
    await shareButton(alice).click();
    await expect(shareButton(alice)).toHaveAttribute('aria-pressed', 'false');
    await expect(alice.getByRole('status')).toHaveCount(0);
    await expect(alice.getByRole('alert')).toHaveCount(0);
    await expect(alice.getByRole('heading', { name: session, exact: true })).toBeVisible();

    await setPicker(alice, 'refuse');
    await shareButton(alice).click();
    await expect(alice.getByRole('status')).toContainText('did not let the browser record the screen');
    await alice.getByRole('button', { name: 'Dismiss the screen sharing message' }).click();
    await expect(alice.getByRole('status')).toHaveCount(0);
    await expect(screenTileOf(bob, 'Alice')).toHaveCount(0);
    await expect(bob.locator('.people-count')).toHaveText('2 people in the call');
  });
});
