// Figure 6: the call page's own CPU with 0 (own camera only), 1, 4 and 8 remote tiles playing. From
// CDP Performance.getMetrics on the observing page: TaskDuration (all main-thread work) and
// ScriptDuration (JavaScript) per second of wall time, i.e. % of one core on the main thread.
// Video decoding runs off the main thread and is not in these figures. Remote publishers are bare
// openvidu-browser pages in a context of their own, at 320x240@15 with audio: eight 640x480@30
// encoders beside the decoders starve a shared 2-core machine, and the page's main-thread work per
// tile (events, actors, rendering of the tile) does not depend on the picture size.
import type { CDPSession, Page } from '@playwright/test';
import type { Benchmark } from './context.ts';
import { reps } from './context.ts';
import { BareParticipant } from './bare.ts';
import { callPageUrl, clickJoin, newInstrumentedContext, round, sleep, waitFor, waitForJoinForm, type Row } from './harness.ts';

const LEVELS = [0, 1, 4, 8];

async function metrics(cdp: CDPSession): Promise<Record<string, number>> {
  const { metrics: list } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
  return Object.fromEntries(list.map((m) => [m.name, m.value]));
}

/** Remote tiles whose video has a picture, and the frames all remote videos have presented. */
function remoteVideos(page: Page): Promise<{ playing: number; frames: number }> {
  return page.evaluate(() => {
    const videos = [...document.querySelectorAll<HTMLVideoElement>('.tiles .video-tile:not([data-media-key="self"]) video')];
    return {
      playing: videos.filter((v) => v.videoWidth > 0 && !v.paused).length,
      frames: videos.reduce((n, v) => n + v.getVideoPlaybackQuality().totalVideoFrames, 0),
    };
  });
}

export const pageCostBench: Benchmark = {
  name: 'page-cost',
  async run(ctx) {
    const window = reps(ctx, 5, 2); // seconds measured per level
    const sessionId = `bench-page-cost-${Date.now()}`;
    const viewerContext = await newInstrumentedContext(ctx.browser);
    const publishersContext = await newInstrumentedContext(ctx.browser);
    const levels: { tiles: number; playing: number; task: number; script: number; layout: number; fps: number; unstable: boolean }[] = [];
    try {
      const page = await viewerContext.newPage();
      await page.goto(callPageUrl(ctx.origin, ctx.serverUrl));
      await waitForJoinForm(page);
      await clickJoin(page, sessionId, 'Viewer');
      await page.waitForSelector('main[data-screen="call"]', { timeout: 20_000 });
      const cdp = await viewerContext.newCDPSession(page);
      await cdp.send('Performance.enable');

      const publishers: BareParticipant[] = [];
      for (const level of LEVELS) {
        while (publishers.length < level) {
          const p = await BareParticipant.open(publishersContext, ctx.origin, ctx.serverUrl);
          await p.connect(sessionId, `Remote${publishers.length}`);
          await p.publish(true, { resolution: '320x240', frameRate: 15 });
          publishers.push(p);
        }
        const playing = await waitFor(`${level} remote tiles playing`, async () => {
          const { playing: n } = await remoteVideos(page);
          return n >= level && n + 1; // +1: 0 tiles is a valid answer
        }, 20_000, 200).then((n) => n - 1, async () => (await remoteVideos(page)).playing);
        await sleep(2000);
        const m0 = await metrics(cdp);
        const v0 = await remoteVideos(page);
        const t0 = performance.now();
        await sleep(window * 1000);
        const m1 = await metrics(cdp);
        const v1 = await remoteVideos(page);
        const elapsed = (performance.now() - t0) / 1000;
        const per = (name: string) => (100 * ((m1[name] ?? 0) - (m0[name] ?? 0))) / elapsed;
        levels.push({
          tiles: level, playing, task: per('TaskDuration'), script: per('ScriptDuration'),
          layout: per('LayoutDuration') + per('RecalcStyleDuration'), fps: level ? (v1.frames - v0.frames) / elapsed / level : 0,
          // A frame counter going backwards means a tile's <video> was replaced mid-window.
          unstable: v1.frames < v0.frames || v1.playing < level,
        });
        ctx.log(`page-cost: ${level} tiles: task ${round(per('TaskDuration'))} %, script ${round(per('ScriptDuration'))} %`);
      }
      await page.getByRole('button', { name: 'Leave' }).click({ timeout: 5000 }).catch(() => undefined);
      await Promise.all(publishers.map((p) => p.disconnect().catch(() => undefined)));

      const rows: Row[] = levels.map((l) => ({
        figure: '6 page cost',
        metric: `call page main thread, ${l.tiles} remote tile${l.tiles === 1 ? '' : 's'} (320x240@15) + own camera`,
        value: round(l.task), unit: '% core',
        note: `script ${round(l.script)} %, style+layout ${round(l.layout)} %${l.tiles ? `; ${l.playing} of ${l.tiles} playing${l.fps >= 0 ? ` at ${round(l.fps, 0)} fps each` : ''}` : ''}; ${window} s${l.unstable ? '; UNSTABLE: tiles stalled or were re-created during the window (machine overloaded)' : ''}`,
      }));
      return { rows, details: levels };
    } finally {
      await publishersContext.close();
      await viewerContext.close();
    }
  },
};
