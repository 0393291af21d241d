// What a person does on the call page, and what they can see there, for the e2e specs. Every
// check reads the page as a person would: text on screen, and videos that decode frames.
import { expect, type Browser, type Locator, type Page } from '@playwright/test';
import { TEST_PAGE_URL, TEST_SECRET, TEST_SERVER_URL } from '../support/ports.ts';

/** The page pointed at the test server through its runtime override (no rebuild). */
export function callPageUrl(extra: Record<string, string> = {}): string {
  const query = new URLSearchParams({ openviduUrl: TEST_SERVER_URL, openviduSecret: TEST_SECRET, ...extra });
  return `${TEST_PAGE_URL}/?${query}`;
}

/** A participant in a browser context of their own (own camera, own cookies). */
export async function openParticipant(browser: Browser, extra: Record<string, string> = {}): Promise<Page> {
  const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
  await context.addInitScript(countPeerConnections);
  const page = await context.newPage();
  await page.goto(callPageUrl(extra));
  return page;
}

/** An init script: counts the page's peer connections, to check none outlives the call. */
export function countPeerConnections(): void {
  const opened: RTCPeerConnection[] = [];
  (window as unknown as { openPeerConnections: () => number }).openPeerConnections = () =>
    opened.filter((pc) => pc.connectionState !== 'closed').length;
  const Native = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends Native {
    constructor(...args: ConstructorParameters<typeof RTCPeerConnection>) {
      super(...args);
      opened.push(this);
    }
  };
}

/** Peer connections of the page not yet closed. */
export const openPeerConnections = (page: Page): Promise<number> =>
  page.evaluate(() => (window as unknown as { openPeerConnections: () => number }).openPeerConnections());

export async function join(page: Page, sessionName: string, nickname: string): Promise<void> {
  await page.getByLabel('Session').fill(sessionName);
  await page.getByLabel('Nickname').fill(nickname);
  await page.getByRole('button', { name: 'Join' }).click();
}

export async function joinAndWaitForCall(page: Page, sessionName: string, nickname: string): Promise<void> {
  await join(page, sessionName, nickname);
  await expect(page.getByRole('heading', { name: sessionName, exact: true })).toBeVisible({ timeout: 30_000 });
  // Camera, connection and publish on a loaded 2-core machine: more than the default 15 s wait.
  await expect(ownTile(page)).toBeVisible({ timeout: 30_000 });
}

export const ownTile = (page: Page): Locator => page.locator('.tiles .video-tile[data-media-key="self"]');
export const remoteTiles = (page: Page): Locator => page.locator('.tiles .video-tile:not([data-media-key="self"])');
export const tileOf = (page: Page, nickname: string): Locator =>
  page.locator('.tiles .video-tile').filter({ has: page.locator('.nickname', { hasText: nickname }) });
export const mainVideo = (page: Page): Locator => page.locator('.stage .video-tile.main');

/** A video that has a picture and keeps decoding new frames: what "I can see them" means. */
export async function expectDecodingFrames(tile: Locator): Promise<void> {
  const video = tile.locator('video');
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.videoWidth), { timeout: 20_000 }).toBeGreaterThan(0);
  const frames = () => video.evaluate((v: HTMLVideoElement) => v.getVideoPlaybackQuality().totalVideoFrames);
  const before = await frames();
  await expect.poll(frames, { timeout: 10_000 }).toBeGreaterThan(before + 5);
}

export async function leave(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Leave' }).click();
  await expect(page.getByRole('button', { name: 'Join' })).toBeVisible();
}
