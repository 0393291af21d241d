// `npx tsx bench/compare-form-ready.ts <baseline dist>`: figure 4 (navigation → Join usable) for a
// baseline build and this checkout's build, in the same run, alternating rounds so both see the
// same machine load. Prints both medians and the ratio (this build / baseline). Used to check that
// loading config.json at start does not slow the form (goal: ratio ≤ 1.05).
import type { BenchContext } from './context.ts';
import { formReadyBench } from './form-ready.bench.ts';
import { buildPage, launchChromium, startInProcessServer, startStaticServer } from './harness.ts';

const baselineDist = process.argv[2];
if (!baselineDist) throw new Error('usage: tsx bench/compare-form-ready.ts <baseline dist directory>');
const rounds = Number(process.env.ROUNDS ?? 4);
const log = (message: string) => console.error(`[compare] ${message}`);

const distDir = await buildPage();
const server = await startInProcessServer();
const [base, mine] = [await startStaticServer(baselineDist), await startStaticServer(distDir)];
const browser = await launchChromium();
const samples: Record<'baseline' | 'this', number[]> = { baseline: [], this: [] };
try {
  for (let round = 0; round < rounds; round++) {
    for (const [name, origin, dir] of [['baseline', base.origin, baselineDist], ['this', mine.origin, distDir]] as const) {
      const ctx: BenchContext = { browser, serverUrl: server.url, origin, distDir: dir, scale: Number(process.env.BENCH_SCALE ?? 1), log };
      const { details } = await formReadyBench.run(ctx);
      samples[name].push(...(details as { ready: number[] }).ready);
      log(`round ${round + 1} ${name} done`);
    }
  }
} finally {
  await browser.close();
  await base.close();
  await mine.close();
  await server.close();
}
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};
const [b, m] = [median(samples.baseline), median(samples.this)];
console.log(`form ready (median, n ${samples.this.length} each): baseline ${b.toFixed(0)} ms, this build ${m.toFixed(0)} ms, ratio ${(m / b).toFixed(3)}`);
