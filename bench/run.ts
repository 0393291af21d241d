// `npm run bench [-- name …]`: builds the page, starts one in-process server, one static server and
// one Chromium, runs every benchmark (or the named ones) in turn, prints one Markdown table and
// writes the figures to bench/results/latest.json. BENCH_SCALE=0.25 shrinks every repetition count
// for a quick look; the published figures use the default (1).
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { bundleBench } from './bundle.bench.ts';
import type { Benchmark, BenchContext } from './context.ts';
import { firstFrameBench } from './first-frame.bench.ts';
import { formReadyBench } from './form-ready.bench.ts';
import { buildPage, launchChromium, RESULTS_DIR, startInProcessServer, startStaticServer, type Row } from './harness.ts';
import { joinBench } from './join.bench.ts';
import { leaksBench } from './leaks.bench.ts';
import { pageCostBench } from './page-cost.bench.ts';
import { screenShareBench } from './screen-share.bench.ts';
import { serverCostBench } from './server-cost.bench.ts';
import { signallingBench } from './signalling.bench.ts';
import { formatTable } from './table.ts';

const ALL: Benchmark[] = [
  bundleBench, formReadyBench, joinBench, firstFrameBench, screenShareBench, leaksBench, pageCostBench, serverCostBench, signallingBench,
];
const wanted = process.argv.slice(2);
const selected = wanted.length ? ALL.filter((b) => wanted.includes(b.name)) : ALL;
if (!selected.length) throw new Error(`No benchmark named ${wanted.join(', ')}; choose from ${ALL.map((b) => b.name).join(', ')}`);

const started = Date.now();
const log = (message: string) => console.error(`[bench ${((Date.now() - started) / 1000).toFixed(0)}s] ${message}`);

log('building the page');
const distDir = await buildPage();
const server = await startInProcessServer();
const statics = await startStaticServer(distDir);
const browser = await launchChromium();
const ctx: BenchContext = {
  browser, serverUrl: server.url, origin: statics.origin, distDir, scale: Number(process.env.BENCH_SCALE ?? 1), log,
};

const rows: Row[] = [];
const details: Record<string, unknown> = {};
const timings: Record<string, number> = {};
try {
  for (const bench of selected) {
    log(`${bench.name}…`);
    const t0 = Date.now();
    try {
      const result = await bench.run(ctx);
      rows.push(...result.rows);
      details[bench.name] = result.details;
    } catch (error) {
      // One benchmark failing must not lose the others' figures.
      rows.push({ figure: bench.name, metric: 'FAILED', value: String((error as Error).message ?? error).split('\n')[0]?.slice(0, 160) ?? '', unit: '' });
      log(`${bench.name} failed: ${(error as Error).stack ?? String(error)}`);
    }
    timings[bench.name] = Math.round((Date.now() - t0) / 1000);
    log(`${bench.name} done in ${timings[bench.name]} s`);
  }
} finally {
  await browser.close();
  await statics.close();
  await server.close();
}

const table = formatTable(rows);
console.log(table);
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`;
// The load average says how much else was running: these machines are shared.
const footer = `${new Date().toISOString()} · ${machine} · load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} · ` +
  `scale ${ctx.scale} · ${Math.round((Date.now() - started) / 1000)} s · seconds per benchmark: ${JSON.stringify(timings)}`;
console.log(`\n${footer}`);
mkdirSync(RESULTS_DIR, { recursive: true });
writeFileSync(
  join(RESULTS_DIR, 'latest.json'),
  JSON.stringify({ date: new Date().toISOString(), machine, scale: ctx.scale, seconds: timings, rows, details }, null, 2),
);
writeFileSync(join(RESULTS_DIR, 'latest.md'), `${table}\n\n${footer}\n`);
log(`wrote bench/results/latest.json and latest.md`);
