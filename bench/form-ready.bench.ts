// Figure 4: a cold load of the built page (fresh context: empty cache), from navigation start to the
// Join button being there, visible and enabled. Also checks that openvidu-browser's chunk is not
// requested before then (the join form must not wait for it).
import type { Benchmark } from './context.ts';
import { reps } from './context.ts';
import { callPageUrl, newInstrumentedContext, readMarks, round, stats, waitForJoinForm, type Row } from './harness.ts';

export const formReadyBench: Benchmark = {
  name: 'form-ready',
  async run(ctx) {
    const n = reps(ctx, 15);
    const ready: number[] = [];
    const fcp: number[] = [];
    let libBeforeReady = 0;
    for (let i = -1; i < n; i++) {
      const context = await newInstrumentedContext(ctx.browser);
      try {
        const page = await context.newPage();
        await page.goto(callPageUrl(ctx.origin, ctx.serverUrl), { waitUntil: 'commit' });
        await waitForJoinForm(page);
        // performance.now() is relative to this document's navigation start.
        const t = (await readMarks(page)).marks.formReady ?? Number.NaN;
        const paint = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN);
        if (i < 0) continue; // the first load warms Chromium up, not the page
        ready.push(t);
        fcp.push(paint);
        // The lazy library chunk, if requested at all by now, must have started after the form was usable.
        const libStart = await page.evaluate(() =>
          performance.getEntriesByType('resource').find((e) => /\/assets\/lib-[^/]*\.js$/.test(e.name))?.startTime ?? Number.POSITIVE_INFINITY);
        if (libStart < t) libBeforeReady++;
      } finally {
        await context.close();
      }
    }
        const s = stats(ready);
    const rows: Row[] = [
      { figure: '4 form ready', metric: `navigation → Join usable, cold (median; p95 ${round(s.p95, 0)}; n ${s.n})`, value: round(s.median, 0), unit: 'ms', note: `first contentful paint median ${round(stats(fcp).median, 0)} ms; checked every animation frame` },
      { figure: '4 form ready', metric: 'loads that fetched openvidu-browser before the form was usable', value: libBeforeReady, unit: `of ${n}`, goal: '0', met: libBeforeReady === 0 },
    ];
    return { rows, details: { ready, fcp } };
  },
};
