// Your microphone and camera in the call, as the other person experiences them: a muted mark and
// silence when you mute, your name card and a released camera when you turn it off, frames again
// when you turn it on. Real Chromium (fake devices), the unmodified openvidu-browser, the local
// server. Someone who joins after you muted sees it at once.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { SECOND_CAMERA, endOwnTrack, secondDevices } from '../support/second-devices.ts';
import { callPageUrl, countPeerConnections, expectDecodingFrames, joinAndWaitForCall, ownTile, tileOf } from './call-page.ts';

/** An init script: keeps the page's peer connections, to read the received audio's stats. */
function keepPeerConnections(): void {
  const kept: RTCPeerConnection[] = [];
  (window as unknown as { keptPeerConnections: RTCPeerConnection[] }).keptPeerConnections = kept;
  const Native = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends Native {
    constructor(...args: ConstructorParameters<typeof RTCPeerConnection>) {
      super(...args);
      kept.push(this);
    }
  };
}

async function openPage(browser: import('@playwright/test').Browser): Promise<Page> {
  const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
  await context.addInitScript(countPeerConnections);
  await context.addInitScript(keepPeerConnections);
  await context.addInitScript(secondDevices);
  const page = await context.newPage();
  await page.goto(callPageUrl());
  return page;
}

/** Total energy of all audio the page receives (inbound-rtp totalAudioEnergy, summed). */
const receivedAudioEnergy = (page: Page): Promise<number> =>
  page.evaluate(async () => {
    const pcs = (window as unknown as { keptPeerConnections: RTCPeerConnection[] }).keptPeerConnections;
    let total = 0;
    for (const pc of pcs) {
      if (pc.connectionState === 'closed') continue;
      const stats = await pc.getStats();
      stats.forEach((s: { type: string; kind?: string; totalAudioEnergy?: number }) => {
        if (s.type === 'inbound-rtp' && s.kind === 'audio') total += s.totalAudioEnergy ?? 0;
      });
    }
    return total;
  });

/** How much audio energy arrives over `ms` of the page's own time (no clock in the test). */
async function energyOver(page: Page, ms: number): Promise<number> {
  const before = await receivedAudioEnergy(page);
  await page.evaluate((wait) => new Promise((resolve) => setTimeout(resolve, wait)), ms);
  return (await receivedAudioEnergy(page)) - before;
}

/** The state of the camera track your own tile shows (the publisher's MediaStream). */
const ownVideoTrackState = (page: Page): Promise<string | undefined> =>
  ownTile(page)
    .locator('video')
    .evaluate((v: HTMLVideoElement) => (v.srcObject as MediaStream | null)?.getVideoTracks()[0]?.readyState);

/**
 * How blue the picture a tile shows is: the mean of blue minus the larger of red and green, over
 * a small copy of the current frame. The second fake camera is solid blue (about 170); Chromium's
 * fake camera is not (well under 60).
 */
const blueness = (tile: Locator): Promise<number> =>
  tile.locator('video').evaluate((video: HTMLVideoElement) => {
    if (!video.videoWidth) return Number.NaN;
    const canvas = document.createElement('canvas');
    canvas.width = 64;
    canvas.height = 48;
    const g = canvas.getContext('2d', { willReadFrequently: true })!;
    g.drawImage(video, 0, 0, 64, 48);
    const data = g.getImageData(0, 0, 64, 48).data;
    let r = 0;
    let gr = 0;
    let b = 0;
    for (let i = 0; i < data.length; i += 4) {
      r += data[i]!;
      gr += data[i + 1]!;
      b += data[i + 2]!;
    }
    const n = data.length / 4;
    return (b - Math.max(r, gr)) / n;
  });

const button = (page: Page, name: 'Microphone' | 'Camera') => page.getByRole('button', { name, exact: true });
const shortcut = (page: Page, letter: 'd' | 'e') => page.keyboard.press(`ControlOrMeta+${letter}`);

test('microphone and camera off and on: the other person sees the mark and the name card, hears silence, gets frames back', async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const session = `Devices${Date.now()}`;
  const alice = await openPage(browser);
  const bob = await openPage(browser);

  await test.step('Alice joins, then mutes and turns her camera off with the keyboard shortcuts', async () => {
    await joinAndWaitForCall(alice, session, 'Alice');
    await expect(button(alice, 'Microphone')).toHaveAttribute('aria-pressed', 'true');
    await expect(button(alice, 'Microphone')).toHaveAttribute('title', /microphone \((Ctrl\+|⌘)D\)/);
    await expect(button(alice, 'Camera')).toHaveAttribute('title', /camera \((Ctrl\+|⌘)E\)/);
    await expect.poll(() => ownVideoTrackState(alice)).toBe('live');
    await shortcut(alice, 'd');
    await expect(button(alice, 'Microphone')).toHaveAttribute('aria-pressed', 'false');
    await shortcut(alice, 'e');
    await expect(button(alice, 'Camera')).toHaveAttribute('aria-pressed', 'false');
    // The camera is released, not only hidden: its track has ended (the light goes out).
    await expect.poll(() => ownVideoTrackState(alice)).toBe('ended');
    await expect(ownTile(alice).getByRole('img', { name: 'Alice: camera off' })).toBeVisible();
  });

  await test.step('Bob joins after: Alice shows muted, as her name card', async () => {
    await joinAndWaitForCall(bob, session, 'Bob');
    const aliceTile = tileOf(bob, 'Alice');
    await expect(aliceTile).toBeVisible();
    await expect(aliceTile.getByRole('img', { name: 'microphone off' })).toBeVisible();
    await expect(aliceTile.getByRole('img', { name: 'Alice: camera off' })).toBeVisible();
    await expect(aliceTile.locator('.name-card')).toHaveText('A');
  });

  await test.step('Alice unmutes: the mark goes and Bob receives sound', async () => {
    await button(alice, 'Microphone').click();
    await expect(tileOf(bob, 'Alice').getByRole('img', { name: 'microphone off' })).toHaveCount(0);
    await expect.poll(() => energyOver(bob, 1500), { timeout: 20_000 }).toBeGreaterThan(0.001);
  });

  await test.step('Alice mutes again: the mark is back and the sound Bob receives stops', async () => {
    await shortcut(alice, 'd');
    await expect(tileOf(bob, 'Alice').getByRole('img', { name: 'microphone off' })).toBeVisible();
    await expect.poll(() => energyOver(bob, 1500), { timeout: 20_000 }).toBeLessThan(0.0001);
  });

  await test.step('Alice turns her camera on: a new live track, and Bob decodes frames instead of the card', async () => {
    await button(alice, 'Camera').click();
    await expect(button(alice, 'Camera')).toHaveAttribute('aria-pressed', 'true');
    await expect.poll(() => ownVideoTrackState(alice)).toBe('live');
    const aliceTile = tileOf(bob, 'Alice');
    await expect(aliceTile.locator('.name-card')).toHaveCount(0);
    await expectDecodingFrames(aliceTile);
  });

  await test.step('Alice switches to her second camera: what Bob decodes turns from the fake camera to blue', async () => {
    const aliceTile = tileOf(bob, 'Alice');
    await expect.poll(() => blueness(aliceTile), { timeout: 20_000 }).toBeLessThan(60);
    const cameras = alice.getByRole('combobox', { name: 'Choose camera' });
    await expect(cameras.locator('option')).toHaveCount(2);
    await cameras.selectOption({ label: SECOND_CAMERA.label });
    await expect(button(alice, 'Camera')).toHaveAttribute('aria-pressed', 'true');
    await expect.poll(() => blueness(aliceTile), { timeout: 20_000 }).toBeGreaterThan(120);
    await expectDecodingFrames(aliceTile);
    // The same published stream: a replaced track, not a new stream (Bob still has one tile of Alice).
    await expect(tileOf(bob, 'Alice')).toHaveCount(1);
  });

  await test.step('the camera is unplugged: Alice is told which, stays in the call, and Bob sees her name card', async () => {
    expect(await alice.evaluate(endOwnTrack, 'video' as const)).toBe(true);
    await expect(alice.getByRole('status').filter({ hasText: `Your camera (${SECOND_CAMERA.label}) was disconnected. Pick another camera.` })).toBeVisible();
    await expect(button(alice, 'Camera')).toHaveAttribute('aria-pressed', 'false');
    await expect(alice.getByRole('heading', { name: session, exact: true })).toBeVisible();
    await expect(tileOf(bob, 'Alice').getByRole('img', { name: 'Alice: camera off' })).toBeVisible();
  });

  await test.step('Alice picks her first camera: Bob decodes frames again, and they are not blue', async () => {
    const cameras = alice.getByRole('combobox', { name: 'Choose camera' });
    const first = await cameras.locator('option').first().getAttribute('value');
    await cameras.selectOption(first ?? '');
    await expect(button(alice, 'Camera')).toHaveAttribute('aria-pressed', 'true');
    await expect(alice.getByText('Pick another camera.')).toHaveCount(0);
    const aliceTile = tileOf(bob, 'Alice');
    await expect(aliceTile.locator('.name-card')).toHaveCount(0);
    await expectDecodingFrames(aliceTile);
    await expect.poll(() => blueness(aliceTile), { timeout: 20_000 }).toBeLessThan(60);
  });

  await alice.context().close();
  await bob.context().close();
});
