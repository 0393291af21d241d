// Your microphone and camera in the call, as the other person experiences them: a muted mark and
// silence when you mute, your name card and a released camera when you turn it off, frames again
// when you turn it on. Real Chromium (fake devices), the unmodified openvidu-browser, the local
// server. Someone who joins after you muted sees it at once.
import { expect, test, type Page } from '@playwright/test';
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

const button = (page: Page, name: 'Microphone' | 'Camera') => page.getByRole('button', { name, exact: true });
const shortcut = (page: Page, letter: 'd' | 'e') => page.keyboard.press(`ControlOrMeta+${letter}`);

test('microphone and camera off and on: the other person sees the mark and the name card, hears silence, gets frames back', async ({
  browser,
}) => {
  test.setTimeout(150_000);
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

  await alice.context().close();
  await bob.context().close();
});
