// What a person does on the call page, and what they can see there, for the e2e specs. Every
// check reads the page as a person would: text on screen, and videos that decode frames.
import { expect, type Browser, type BrowserContext, type Locator, type Page } from '@playwright/test';
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

/** What the page receives of one remote voice: its <audio>'s track, as WebRTC's inbound-rtp reports it. */
export interface InboundAudio {
  playing: boolean;
  packetsReceived: number;
  totalAudioEnergy: number;
}

/** An init script: counts the page's peer connections, to check none outlives the call, and reads
 * the inbound-rtp stats of the track a remote voice's <audio> plays (`inboundAudioOf(mediaKey)`). */
export function countPeerConnections(): void {
  const opened: RTCPeerConnection[] = [];
  (window as unknown as { openPeerConnections: () => number }).openPeerConnections = () =>
    opened.filter((pc) => pc.connectionState !== 'closed').length;
  (window as unknown as { inboundAudioOf: (key: string) => Promise<InboundAudio | null> }).inboundAudioOf = async (key) => {
    const audio = document.querySelector<HTMLAudioElement>(`audio[data-media-key="${CSS.escape(key)}"]`);
    const stream = audio?.srcObject;
    const track = stream instanceof MediaStream ? stream.getAudioTracks()[0] : undefined;
    if (!audio || !track) return null;
    for (const pc of opened) {
      if (pc.connectionState === 'closed') continue;
      const receiver = pc.getReceivers().find((r) => r.track.id === track.id);
      if (!receiver) continue;
      for (const report of (await receiver.getStats()).values()) {
        const stats = report as { type: string; kind?: string; packetsReceived?: number; totalAudioEnergy?: number };
        if (stats.type === 'inbound-rtp' && stats.kind === 'audio') {
          return { playing: !audio.paused, packetsReceived: stats.packetsReceived ?? 0, totalAudioEnergy: stats.totalAudioEnergy ?? 0 };
        }
      }
    }
    return null;
  };
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

/**
 * The page's config.json as the test page server serves it, with the reconnection window an
 * operator may set (`reconnectWindowSeconds`): for the tests that wait the window out. Set before
 * the page loads (or reload it after).
 */
export async function serveReconnectWindow(context: BrowserContext, seconds: number): Promise<void> {
  await context.route('**/config.json', async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, json: { ...(await response.json()), reconnectWindowSeconds: seconds } });
  });
}

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
/** Tiles of others: not your camera ('self'), nor your own screen ('self-screen'). */
export const remoteTiles = (page: Page): Locator => page.locator('.tiles .video-tile:not([data-media-key^="self"])');
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

/** A remote voice that plays and keeps arriving with sound in it: what "I can hear them" means.
 * The fake microphone beeps, so the received audio's energy rises along with its packet count. */
export async function expectHearing(page: Page, nickname: string): Promise<void> {
  const key = await tileOf(page, nickname).first().getAttribute('data-media-key');
  expect(key, `${nickname} has a tile`).toBeTruthy();
  const inbound = () =>
    page.evaluate(
      (k) => (window as unknown as { inboundAudioOf: (key: string) => Promise<InboundAudio | null> }).inboundAudioOf(k),
      key ?? '',
    );
  await expect.poll(async () => (await inbound())?.playing ?? false, { timeout: 20_000, message: `${nickname}'s voice plays` }).toBe(true);
  const before = (await inbound()) ?? { packetsReceived: 0, totalAudioEnergy: 0 };
  await expect
    .poll(async () => {
      const now = await inbound();
      return now !== null && now.packetsReceived > before.packetsReceived + 10 && now.totalAudioEnergy > before.totalAudioEnergy;
    }, { timeout: 10_000, message: `${nickname}'s audio packets and energy rise` })
    .toBe(true);
}

export async function leave(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Leave' }).click();
  await expect(page.getByRole('button', { name: 'Join' })).toBeVisible();
}
