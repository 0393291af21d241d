// Diagnostic, not a benchmark: does the speaker view churn while several people speak? Twice the
// page-cost bench saw the call page at 91–93 % of a core with 4 remote tiles in the speaker view
// (29 November: 8 %), and the page stop responding after. One call page and n bare publishers
// whose fake microphones play a steady tone; over `seconds`, it counts speaking marks appearing and
// going, changes of the large video, and <video> elements created, with the main-thread use.
//   npx tsx bench/diag-speaker-churn.ts [publishers=4] [seconds=10]   (BENCH_DIST=dir reuses a build)
import { BareParticipant } from './bare.ts';
import { buildPage, callPageUrl, clickJoin, launchChromium, newInstrumentedContext, startInProcessServer, startStaticServer, sleep, waitFor, waitForJoinForm } from './harness.ts';

const publishers = Number(process.argv[2] ?? 4);
const seconds = Number(process.argv[3] ?? 10);
const COUNT = `(() => {
  const c = { marksOn: 0, marksOff: 0, mainChanges: 0, videosCreated: 0 };
  window.__churn = c;
  const create = Document.prototype.createElement;
  Document.prototype.createElement = function (name, ...rest) { if (String(name).toLowerCase() === 'video') c.videosCreated++; return create.call(this, name, ...rest); };
  let main = null;
  new MutationObserver((records) => {
    for (const r of records) {
      for (const n of r.addedNodes) if (n.nodeType === 1 && (n.matches?.('.speaking-mark') || n.querySelector?.('.speaking-mark'))) c.marksOn++;
      for (const n of r.removedNodes) if (n.nodeType === 1 && (n.matches?.('.speaking-mark') || n.querySelector?.('.speaking-mark'))) c.marksOff++;
    }
    const now = document.querySelector('.stage .video-tile')?.getAttribute('data-media-key') ?? null;
    if (now !== main) { main = now; c.mainChanges++; }
  }).observe(document, { subtree: true, childList: true });
})();`;

const server = await startInProcessServer();
const statics = await startStaticServer(await buildPage());
const browser = await launchChromium();
try {
  const sessionId = `diag-churn-${Date.now()}`;
  const context = await newInstrumentedContext(browser);
  await context.addInitScript({ content: COUNT });
  const page = await context.newPage();
  await page.goto(callPageUrl(statics.origin, server.url));
  await waitForJoinForm(page);
  await clickJoin(page, sessionId, 'Viewer');
  await page.waitForSelector('main[data-screen="call"]', { timeout: 60_000 });
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const others = await newInstrumentedContext(browser);
  for (let i = 0; i < publishers; i++) {
    const p = await BareParticipant.open(others, statics.origin, server.url);
    await p.connect(sessionId, `Remote${i}`);
    await p.publish(true, { resolution: '320x240', frameRate: 15 });
  }
  await waitFor('tiles playing', () => page.evaluate((n) => [...document.querySelectorAll<HTMLVideoElement>('.tiles .video-tile:not([data-media-key="self"]) video')].filter((v) => v.videoWidth > 0).length >= n, publishers), 60_000, 200);
  await sleep(2000);
  const read = async () => ({
    churn: await page.evaluate(() => ({ ...(window as unknown as { __churn: Record<string, number> }).__churn })),
    m: Object.fromEntries(((await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] }).metrics.map((x) => [x.name, x.value])),
  });
  const a = await read();
  await sleep(seconds * 1000);
  const b = await read();
  const per = (k: string) => ((100 * ((b.m[k] ?? 0) - (a.m[k] ?? 0))) / seconds).toFixed(1);
  console.log(`${publishers} remote tiles, speaker view, ${seconds} s: main thread ${per('TaskDuration')} % (script ${per('ScriptDuration')} %)`);
  for (const k of Object.keys(b.churn)) console.log(`  ${k}: ${(b.churn[k] ?? 0) - (a.churn[k] ?? 0)}`);
} finally {
  await browser.close();
  await statics.close();
  await server.close();
}
