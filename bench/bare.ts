// Typed handles on bench/pages/bare.html's `window.bare`, the scripted openvidu-browser participant.
import type { BrowserContext, Page } from '@playwright/test';
import { barePageUrl } from './harness.ts';

interface BareApi {
  connect(sessionId: string, nickname: string, options?: { subscribe?: boolean; withVideo?: boolean }): Promise<string>;
  publish(options?: { audio?: boolean; resolution?: string; frameRate?: number }): Promise<{ epoch: number; streamId: string }>;
  unpublish(): Promise<void>;
  framesDecoded(): Promise<number>;
  sent(): Promise<{ frames: number; width: number; height: number; bytes: number }>;
  disconnect(): void;
  addPublishers(sessionId: string, count: number, options?: { resolution?: string; frameRate?: number }): Promise<number>;
  leaveCrowd(): void;
}
type WithBare = { bare: BareApi };

export class BareParticipant {
  private constructor(readonly page: Page) {}

  static async open(context: BrowserContext, origin: string, serverUrl: string): Promise<BareParticipant> {
    const page = await context.newPage();
    await page.goto(barePageUrl(origin, serverUrl), { waitUntil: 'load' });
    return new BareParticipant(page);
  }

  connect(sessionId: string, nickname: string, options: { subscribe?: boolean; withVideo?: boolean } = {}): Promise<string> {
    return this.page.evaluate(([s, n, o]) => (window as unknown as WithBare).bare.connect(s, n, o), [sessionId, nickname, options] as const);
  }
  /** Default: the tutorial's 640x480@30 with audio. */
  publish(audio = true, video: { resolution?: string; frameRate?: number } = {}): Promise<{ epoch: number; streamId: string }> {
    return this.page.evaluate(([a, v]) => (window as unknown as WithBare).bare.publish({ audio: a, ...v }), [audio, video] as const);
  }
  unpublish(): Promise<void> {
    return this.page.evaluate(() => (window as unknown as WithBare).bare.unpublish());
  }
  framesDecoded(): Promise<number> {
    return this.page.evaluate(() => (window as unknown as WithBare).bare.framesDecoded());
  }
  /** Video frames sent so far by this page's publisher, and their current size. */
  sent(): Promise<{ frames: number; width: number; height: number; bytes: number }> {
    return this.page.evaluate(() => (window as unknown as WithBare).bare.sent());
  }
  disconnect(): Promise<void> {
    return this.page.evaluate(() => (window as unknown as WithBare).bare.disconnect());
  }
  /** `count` more publishers from this one page, each in a Session of its own (clones of one camera); returns how many in all. */
  addPublishers(sessionId: string, count: number, video: { resolution: string; frameRate: number }): Promise<number> {
    return this.page.evaluate(([s, n, v]) => (window as unknown as WithBare).bare.addPublishers(s, n, v), [sessionId, count, video] as const);
  }
  leaveCrowd(): Promise<void> {
    return this.page.evaluate(() => (window as unknown as WithBare).bare.leaveCrowd());
  }
}
