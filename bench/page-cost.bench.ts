// Figure 6: the call page's own CPU with 0 (own camera only), 1, 4 and 8 remote tiles playing. From
// CDP Performance.getMetrics on the observing page: ThreadTime (the CPU time its main thread used)
// per second of wall time, i.e. % of one core. TaskDuration (the wall time of its main-thread
// tasks) is given beside it: on a shared 2-core machine a task that waits for a core stretches, so
// wall time overstates the page's cost as soon as the machine is busy, and CPU time does not.
// Video decoding runs off the main thread and is not in these figures. The remote publishers are
// one bare openvidu-browser page in a context of its own (a "crowd"): each publisher a Session of
// its own, publishing clones of one camera and one microphone at 160x120@10. Sixteen pages, each
// with its own fake capture, at 320x240@15 drove the load average past 35 and pages dropped out of
// the call; the page's main-thread work per tile (events, actors, rendering of the tile, speaking
// detection) does not depend on the picture size.
//
// Then the grid view with 8 and 16 remote tiles, speaking detection on (the page as it ships), beside
// a second call page in the same session whose speaking detection cannot run, measured over the
// same seconds: the difference, divided by the streams, is what speaking detection costs per remote
// stream. That second page is the same build with Web Audio removed before its scripts run (an init
// script deletes AudioContext): openvidu-browser's speech detection (hark) then does nothing, as in
// a browser without Web Audio; nothing else in a call uses Web Audio. Every remote microphone plays
// a steady tone, so on the first page every tile carries the speaking mark.
import type { BrowserContext, CDPSession, Page } from '@playwright/test';
import type { Benchmark } from './context.ts';
import { reps } from './context.ts';
import { BareParticipant } from './bare.ts';
import { callPageUrl, clickJoin, newInstrumentedContext, round, sleep, waitFor, waitForJoinForm, type Row } from './harness.ts';

const LEVELS = [0, 1, 4, 8];
const PUBLISHED = { resolution: '160x120', frameRate: 10 };
const GRID_LEVELS = [8, 16];

/** Before any script: no Web Audio, so openvidu-browser's hark has nothing to run on. */
const WITHOUT_WEB_AUDIO = 'delete window.AudioContext; delete window.webkitAudioContext;';

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

/** How many tiles show the speaking mark: checks that detection runs on one page and not the other. */
const speakingMarks = (page: Page) => page.locator('.tiles .speaking-mark').count();

async function joinCall(page: Page, ctx: { origin: string; serverUrl: string }, sessionId: string, nickname: string): Promise<void> {
  await page.goto(callPageUrl(ctx.origin, ctx.serverUrl));
  await waitForJoinForm(page);
  await clickJoin(page, sessionId, nickname);
  // With 8 streams to subscribe to at once on a shared 2-core machine, joining can take a while.
  await page.waitForSelector('main[data-screen="call"]', { timeout: 60_000 });
}

async function waitPlaying(page: Page, level: number): Promise<number> {
  return waitFor(`${level} remote tiles playing`, async () => {
    const { playing: n } = await remoteVideos(page);
    return n >= level && n + 1; // +1: 0 tiles is a valid answer
  }, 30_000, 200).then((n) => n - 1, async () => (await remoteVideos(page)).playing);
}

/** Main-thread use of each page over the same `seconds`. */
async function measure(pages: { page: Page; cdp: CDPSession }[], seconds: number) {
  const before = await Promise.all(pages.map(async ({ page, cdp }) => ({ m: await metrics(cdp), v: await remoteVideos(page) })));
  const t0 = performance.now();
  await sleep(seconds * 1000);
  const after = await Promise.all(pages.map(async ({ page, cdp }) => ({ m: await metrics(cdp), v: await remoteVideos(page) })));
  const elapsed = (performance.now() - t0) / 1000;
  return pages.map((_, i) => {
    const per = (name: string) => (100 * ((after[i]!.m[name] ?? 0) - (before[i]!.m[name] ?? 0))) / elapsed;
    return {
      cpu: per('ThreadTime'), process: per('ProcessTime'), task: per('TaskDuration'), script: per('ScriptDuration'), layout: per('LayoutDuration') + per('RecalcStyleDuration'),
      frames: after[i]!.v.frames - before[i]!.v.frames, elapsed, playing: after[i]!.v.playing, framesWentBack: after[i]!.v.frames < before[i]!.v.frames,
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
    const levels: { tiles: number; playing: number; cpu: number; process: number; task: number; script: number; layout: number; fps: number; unstable: boolean }[] = [];
    type Measured = Awaited<ReturnType<typeof measure>>[number];
    const grid: { tiles: number; playing: number[]; on: Measured; off: Measured; marks: number[] }[] = [];
    const contexts: BrowserContext[] = [];
    try {
      const page = await viewerContext.newPage();
      await page.goto(callPageUrl(ctx.origin, ctx.serverUrl));
      await waitForJoinForm(page);
      await clickJoin(page, sessionId, 'Viewer');
      await page.waitForSelector('main[data-screen="call"]', { timeout: 20_000 });
      const cdp = await viewerContext.newCDPSession(page);
      await cdp.send('Performance.enable');

      const crowd = await BareParticipant.open(publishersContext, ctx.origin, ctx.serverUrl);
      let asked = 0;
      let published = 0;
      const publishUpTo = async (level: number) => {
        // Asked for once per level: a publisher that failed to start is not retried (the rows say how many played).
        if (asked < level) {
          published = await crowd.addPublishers(sessionId, level - asked, PUBLISHED);
          asked = level;
        }
      };
      for (const level of LEVELS) {
        await publishUpTo(level);
        const playing = await waitPlaying(page, level);
        await sleep(2000);
        const [m] = await measure([{ page, cdp }], window);
        levels.push({
          tiles: level, playing, cpu: m!.cpu, process: m!.process, task: m!.task, script: m!.script, layout: m!.layout,
          fps: level ? m!.frames / m!.elapsed / level : 0,
          // A frame counter going backwards means a tile's <video> was replaced mid-window.
          unstable: m!.framesWentBack || m!.playing < level,
        });
        ctx.log(`page-cost: ${level} tiles: cpu ${round(m!.cpu)} %, task ${round(m!.task)} %, script ${round(m!.script)} %`);
      }
      // The grid view, speaking detection on (page) and off (quiet), measured side by side.
      const quietContext = await newInstrumentedContext(ctx.browser);
      contexts.push(quietContext);
      await quietContext.addInitScript({ content: WITHOUT_WEB_AUDIO });
      const quiet = await quietContext.newPage();
      await joinCall(quiet, ctx, sessionId, 'Quiet viewer');
      const quietCdp = await quietContext.newCDPSession(quiet);
      await quietCdp.send('Performance.enable');
      // A full-HD window, where 16 tiles fit without scrolling: Chromium pauses a muted video
      // scrolled out of view, which would leave tiles out of the figure.
      for (const p of [page, quiet]) {
        await p.setViewportSize({ width: 1920, height: 1080 });
        await p.getByRole('group', { name: 'Layout' }).getByRole('button', { name: 'Grid' }).click();
      }
      for (const level of GRID_LEVELS) {
        await publishUpTo(level);
        const playing = [await waitPlaying(page, level), await waitPlaying(quiet, level)];
        await sleep(2000);
        const [on, off] = await measure([{ page, cdp }, { page: quiet, cdp: quietCdp }], window);
        const marks = [await speakingMarks(page), await speakingMarks(quiet)];
        grid.push({ tiles: level, playing, on: on!, off: off!, marks });
        ctx.log(`page-cost: grid, ${level} tiles: cpu with speaking detection ${round(on!.cpu)} %, without ${round(off!.cpu)} %; marks ${marks.join('/')}`);
      }
      await quiet.getByRole('button', { name: 'Leave' }).click({ timeout: 5000 }).catch(() => undefined);
      await page.getByRole('button', { name: 'Leave' }).click({ timeout: 5000 }).catch(() => undefined);
      await crowd.leaveCrowd().catch(() => undefined);

      const rows: Row[] = levels.map((l) => ({
        figure: '6 page cost',
        metric: `call page main thread CPU, ${l.tiles} remote tile${l.tiles === 1 ? '' : 's'} (${PUBLISHED.resolution}@${PUBLISHED.frameRate}) + own camera`,
        value: round(l.cpu), unit: '% core',
        note: `whole renderer process (decoding included) ${round(l.process)} %; wall time of its tasks ${round(l.task)} %, script ${round(l.script)} %, style+layout ${round(l.layout)} %${l.tiles ? `; ${l.playing} of ${l.tiles} playing${l.fps >= 0 ? ` at ${round(l.fps, 0)} fps each` : ''}` : ''}; ${window} s${l.unstable ? '; UNSTABLE: tiles stalled or were re-created during the window (machine overloaded)' : ''}`,
      }));
      const GOALS: Record<number, number> = { 8: 5, 16: 10 };
      for (const g of grid) {
        const fps = (m: Measured) => round(m.frames / m.elapsed / g.tiles, 0);
        const note = (m: Measured, playing: number, marks: number) =>
          `whole renderer process (decoding included) ${round(m.process)} %; wall time of its tasks ${round(m.task)} %, script ${round(m.script)} %, style+layout ${round(m.layout)} %; ${playing} of ${g.tiles} playing at ${fps(m)} fps each; ${marks} speaking marks; ${window} s` +
          (m.framesWentBack || m.playing < g.tiles ? '; UNSTABLE: tiles stalled or were re-created during the window (machine overloaded)' : '');
        const goal = GOALS[g.tiles];
        rows.push({
          figure: '6 page cost', metric: `grid view, ${g.tiles} remote tiles (${PUBLISHED.resolution}@${PUBLISHED.frameRate}, audio) + own camera, speaking detection on: main thread CPU`,
          value: round(g.on.cpu), unit: '% core', baseline: round(g.off.cpu), ratio: round(g.on.cpu / g.off.cpu, 2),
          ...(goal ? { goal: `≤ ${goal} % core`, met: g.on.cpu <= goal } : {}),
          note: `${note(g.on, g.playing[0]!, g.marks[0]!)}; baseline: the same page beside it, speaking detection off`,
        });
        rows.push({
          figure: '6 page cost', metric: `grid view, ${g.tiles} remote tiles, speaking detection off (no Web Audio), same seconds: main thread CPU`,
          value: round(g.off.cpu), unit: '% core', note: note(g.off, g.playing[1]!, g.marks[1]!),
        });
        rows.push({
          figure: '6 page cost', metric: `speaking detection, main thread per remote stream (on − off) / ${g.tiles}`,
          value: round((g.on.cpu - g.off.cpu) / g.tiles, 2), unit: '% core', note: `CPU time; script alone: ${round((g.on.script - g.off.script) / g.tiles, 2)} % per stream`,
        });
      }
      return { rows, details: { levels, grid } };
    } finally {
      for (const c of contexts) await c.close();
      await publishersContext.close();
      await viewerContext.close();
    }
  },
};
