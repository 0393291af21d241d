// Figure 1: Join click → own video playing, → stream published (publishVideo answered), → in call,
// each page once it has loaded what it loads by itself (see joinOnce).
// The call page and the tutorial's bare page take turns in the same run (ABC ABC …), each join in a
// fresh context (cold cache, as a person opening the page), each in a session of its own. A third
// variant, the bare page starting the camera while the token and connection are under way, shows
// what reordering the join would gain.
import type { Page } from '@playwright/test';
import type { Benchmark, BenchContext } from './context.ts';
import { reps } from './context.ts';
import {
  barePageUrl, callPageUrl, clickJoin, newInstrumentedContext, readMarks, round, serverCounts, stats, waitFor,
  waitForJoinForm, waitForPreviewPlaying, type BenchMarks, type Row,
} from './harness.ts';

// 'prejoin': the call page with its pre-join preview already playing when Join is clicked (the
// camera is open before the click, and its tracks are the ones published).
type Variant = 'page' | 'tutorial' | 'parallel' | 'prejoin';
const VARIANTS: Variant[] = ['page', 'tutorial', 'parallel', 'prejoin'];

interface JoinSample {
  ownPlaying: number;
  published: number;
  inCall: number;
  /** Time in each step, ms: fetchingToken, connecting, publishing (the page's progress text; the bare page's marks). */
  token: number;
  connect: number;
  publish: number;
  /** From the WebSocket: joinRoom and publishVideo round trips, and the click → joinRoom sent gap. */
  beforeJoinRoom: number;
  joinRoomRtt: number;
  publishVideoRtt: number;
  /** The call page only: when the lazily imported openvidu-browser chunk finished arriving (ms after click). */
  libLoaded: number;
}

async function joinOnce(ctx: BenchContext, variant: Variant, i: number): Promise<JoinSample> {
  const context = await newInstrumentedContext(ctx.browser);
  try {
    const page: Page = await context.newPage();
    if (variant === 'page' || variant === 'prejoin') {
      await page.goto(callPageUrl(ctx.origin, ctx.serverUrl));
      await waitForJoinForm(page);
      if (variant === 'prejoin') {
        await waitForPreviewPlaying(page);
      }
      // Like the bare page's 'load' (which includes openvidu-browser), wait until the page has
      // fetched what it fetches by itself: the form is usable first (figure 4), and the library
      // and call screens arrive while a person types. Clicking within milliseconds of the form
      // appearing would measure a person nobody is.
      await page.waitForLoadState('networkidle');
    } else {
      await page.goto(barePageUrl(ctx.origin, ctx.serverUrl, variant === 'parallel' ? { order: 'parallel' } : {}), { waitUntil: 'load' });
    }
    await clickJoin(page, `bench-join-${variant}-${i}-${Date.now()}`, `Bench${i}`);
    const callPage = variant === 'page' || variant === 'prejoin';
    const done = callPage ? 'screen:call' : 'inCall';
    const m = await waitFor(`${variant} join ${i}`, async () => {
      const marks = await readMarks(page);
      if (marks.marks.failed !== undefined || marks.marks['screen:failed'] !== undefined) throw new Error(`${variant} join ${i} failed`);
      return marks.marks[done] !== undefined && marks.marks.ownPlaying !== undefined && marks.marks['answered:publishVideo'] !== undefined ? marks : undefined;
    }, 30_000, 25);
    // Leave explicitly (leaveRoom): a closed socket alone keeps the participant for the server's
    // 10 s reconnection window.
    if (callPage) {
      await page.getByRole('button', { name: 'Leave' }).click();
      await page.waitForSelector('main[data-screen="form"]', { timeout: 10_000 });
    } else {
      await page.evaluate(() => (window as unknown as { bare: { disconnect(): void } }).bare.disconnect());
    }
    // Resource Timing of the lazy chunk (the call page imports openvidu-browser on the first join).
    const libEnd = await page.evaluate(() =>
      (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).find((e) => /\/assets\/lib-[^/]*\.js$/.test(e.name))?.responseEnd ?? Number.NaN);
    return { ...sample(variant, m), libLoaded: libEnd - (m.marks.click ?? Number.NaN) };
  } finally {
    await context.close();
    await waitFor('participants to leave', async () => (await serverCounts(ctx.serverUrl)).participants === 0, 15_000, 50).catch(() => undefined);
  }
}

function sample(variant: Variant, { marks }: BenchMarks): JoinSample {
  const at = (name: string) => (marks[name] ?? Number.NaN) - (marks.click ?? Number.NaN);
  const page = variant === 'page' || variant === 'prejoin';
  const token = page ? at('step:Connecting…') - at('step:Getting a token…') : at('token');
  const connect = page ? at('step:Starting your camera…') - at('step:Connecting…') : at('connected') - at('token');
  const inCall = page ? at('screen:call') : at('inCall');
  return {
    ownPlaying: at('ownPlaying'),
    published: at('answered:publishVideo'),
    inCall,
    token: page ? token + at('step:Getting a token…') : token, // the click → first step gap counts as token time
    connect,
    publish: page ? inCall - at('step:Starting your camera…') : inCall - at('connected'),
    beforeJoinRoom: at('sent:joinRoom'),
    joinRoomRtt: at('answered:joinRoom') - at('sent:joinRoom'),
    publishVideoRtt: at('answered:publishVideo') - at('sent:publishVideo'),
    libLoaded: Number.NaN,
  };
}

export const joinBench: Benchmark = {
  name: 'join',
  async run(ctx) {
    const n = reps(ctx, 20);
    const samples: Record<Variant, JoinSample[]> = { page: [], tutorial: [], parallel: [], prejoin: [] };
    for (const v of VARIANTS) await joinOnce(ctx, v, -1); // warm-up: Chromium's first camera and first peer connection
    // The parallel variant is an extra (what reordering would gain): a third as many joins keeps the run short.
    const nParallel = Math.ceil(n / 3);
    for (let i = 0; i < n; i++) {
      for (const v of VARIANTS) if (v !== 'parallel' || i % 3 === 0) samples[v].push(await joinOnce(ctx, v, i));
    }
    ctx.log(`join: ${n} joins each for page and tutorial, ${nParallel} for parallel`);

    const of = (v: Variant, k: keyof JoinSample) => stats(samples[v].map((s) => s[k]));
    const rows: Row[] = [];
    const compare = (metric: string, k: keyof JoinSample, goal?: string) => {
      const page = of('page', k);
      const base = of('tutorial', k);
      const ratio = page.median / base.median;
      rows.push({
        figure: '1 join', metric: `${metric} (median; p95 ${round(page.p95, 0)}; n ${page.n})`, value: round(page.median, 0), unit: 'ms',
        baseline: round(base.median, 0), ratio: round(ratio, 2), ...(goal ? { goal, met: ratio <= 1.05 } : {}),
        note: `tutorial p95 ${round(base.p95, 0)}`,
      });
      const par = of('parallel', k);
      rows.push({
        figure: '1 join', metric: `${metric}: bare page, camera started in parallel`, value: round(par.median, 0), unit: 'ms',
        baseline: round(base.median, 0), ratio: round(par.median / base.median, 2), note: `p95 ${round(par.p95, 0)}; baseline = tutorial order`,
      });
    };
    compare('click → own video playing', 'ownPlaying', 'ratio ≤ 1.05');
    compare('click → published (publishVideo answered)', 'published', 'ratio ≤ 1.05');
    compare('click → inCall (page: data-screen=call; bare: publish() resolved)', 'inCall', 'ratio ≤ 1.05');
    // Issue 11: Join with the preview already running, against the bare page in tutorial order.
    for (const [metric, k] of [
      ['pre-join: click (preview playing) → own video playing', 'ownPlaying'],
      ['pre-join: click (preview playing) → published', 'published'],
    ] as const) {
      const pre = of('prejoin', k);
      const base = of('tutorial', k);
      const ratio = pre.median / base.median;
      rows.push({
        figure: '1 join', metric: `${metric} (median; p95 ${round(pre.p95, 0)}; n ${pre.n})`, value: round(pre.median, 0), unit: 'ms',
        baseline: round(base.median, 0), ratio: round(ratio, 2), goal: 'ratio ≤ 0.6', met: ratio <= 0.6, note: 'baseline = tutorial order',
      });
    }
    for (const [k, label] of [
      ['token', 'fetchingToken ("Getting a token…")'],
      ['connect', 'connecting ("Connecting…": lazy openvidu-browser + WebSocket + joinRoom)'],
      ['publish', 'publishing ("Starting your camera…": camera + offer + publishVideo)'],
      ['beforeJoinRoom', 'click → joinRoom sent'],
      ['joinRoomRtt', 'joinRoom round trip'],
      ['publishVideoRtt', 'publishVideo round trip (server SDP answer)'],
    ] as const) {
      const page = of('page', k);
      const base = of('tutorial', k);
      rows.push({
        figure: '1 join breakdown', metric: `${label} (median)`, value: round(page.median, 0), unit: 'ms',
        baseline: round(base.median, 0), ratio: round(page.median / base.median, 2), note: `page p95 ${round(page.p95, 0)}`,
      });
    }
    // The same steps for the pre-join join (issue 11): where its time goes, against the same baseline.
    for (const [k, label] of [
      ['token', 'pre-join: fetchingToken (click → "Connecting…")'],
      ['connect', 'pre-join: connecting ("Connecting…" → "Starting your camera…")'],
      ['beforeJoinRoom', 'pre-join: click → joinRoom sent'],
      ['publishVideoRtt', 'pre-join: publishVideo round trip'],
    ] as const) {
      const pre = of('prejoin', k);
      const base = of('tutorial', k);
      rows.push({
        figure: '1 join breakdown', metric: `${label} (median)`, value: round(pre.median, 0), unit: 'ms',
        baseline: round(base.median, 0), ratio: round(pre.median / base.median, 2), note: `pre-join p95 ${round(pre.p95, 0)}`,
      });
    }
    const lib = of('page', 'libLoaded');
    rows.push({ figure: '1 join breakdown', metric: 'click → openvidu-browser chunk loaded (call page only; Resource Timing)', value: round(lib.median, 0), unit: 'ms', note: `p95 ${round(lib.p95, 0)}` });
    return { rows, details: samples };
  },
};
