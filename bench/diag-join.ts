// Diagnostic, not a benchmark (bench/run.ts does not run it): where figure 1's pre-join join
// spends its time. Takes turns between the call page with its preview playing and the bare page
// (tutorial order), and prints one timeline per join, in ms after the click: the REST requests as
// the server saw them arrive (preflights included) and as the page's Resource Timing saw them,
// the progress text, the JSON-RPC requests and own video playing.
//   npx tsx bench/diag-join.ts [n]      builds the page (as npm run bench does) unless BENCH_DIST is set
import { Server } from 'node:http';
import { buildPage, barePageUrl, callPageUrl, clickJoin, launchChromium, newInstrumentedContext, readMarks, serverCounts, startInProcessServer, startStaticServer, waitFor, waitForJoinForm, waitForPreviewPlaying } from './harness.ts';

const arrivals: { epoch: number; what: string }[] = [];
const emit = Server.prototype.emit;
Server.prototype.emit = function (this: Server, event: string, ...args: unknown[]) {
  if (event === 'request') {
    const req = args[0] as { method?: string; url?: string };
    if (req.url?.startsWith('/openvidu/api')) arrivals.push({ epoch: performance.timeOrigin + performance.now(), what: `srv ${req.method} ${req.url.replace(/bench-[\w-]+/, 'S')}` });
  }
  return emit.apply(this, [event, ...args] as Parameters<typeof emit>);
} as typeof emit;

const n = Number(process.argv[2] ?? 4);
const dist = await buildPage();
const server = await startInProcessServer();
const statics = await startStaticServer(dist);
const browser = await launchChromium();
try {
  for (let i = -1; i < n; i++) {
    for (const variant of ['prejoin', 'bare'] as const) {
      const context = await newInstrumentedContext(browser);
      const page = await context.newPage();
      if (variant === 'prejoin') {
        await page.goto(callPageUrl(statics.origin, server.url));
        await waitForJoinForm(page);
        await waitForPreviewPlaying(page);
        await page.waitForLoadState('networkidle');
      } else {
        await page.goto(barePageUrl(statics.origin, server.url), { waitUntil: 'load' });
      }
      arrivals.length = 0;
      await clickJoin(page, `bench-diag-${variant}-${i}-${Date.now()}`, `Diag${i}`);
      const m = await waitFor('join', async () => {
        const marks = await readMarks(page);
        return marks.marks.ownPlaying !== undefined && marks.marks['answered:publishVideo'] !== undefined ? marks : undefined;
      }, 30_000, 25);
      const origin = await page.evaluate(() => performance.timeOrigin);
      const click = m.marks.click ?? 0;
      const rows: [number, string][] = [];
      for (const a of arrivals) rows.push([a.epoch - origin - click, a.what]);
      const resources = await page.evaluate(() =>
        (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).filter((e) => e.name.includes('/openvidu/api')).map((e) => ({ name: e.name, start: e.startTime, end: e.responseEnd })));
      for (const r of resources) {
        const name = new URL(r.name).pathname.replace(/bench-[\w-]+/, 'S');
        rows.push([r.start - click, `page fetch start ${name}`], [r.end - click, `page fetch end ${name}`]);
      }
      for (const [name, t] of Object.entries(m.marks)) if (name !== 'click' && name !== 'formReady') rows.push([t - click, name]);
      rows.sort((a, b) => a[0] - b[0]);
      if (i >= 0) console.log(`\n${variant} #${i}\n${rows.map(([t, what]) => `${t.toFixed(1).padStart(8)}  ${what}`).join('\n')}`);
      if (variant === 'prejoin') {
        await page.getByRole('button', { name: 'Leave' }).click();
        await page.waitForSelector('main[data-screen="form"]', { timeout: 10_000 });
      } else await page.evaluate(() => (window as unknown as { bare: { disconnect(): void } }).bare.disconnect());
      await context.close();
      await waitFor('participants to leave', async () => (await serverCounts(server.url)).participants === 0, 15_000, 50).catch(() => undefined);
    }
  }
} finally {
  await browser.close();
  await statics.close();
  await server.close();
}
