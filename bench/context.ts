// What run.ts hands every benchmark: one Chromium, the in-process server and the static origin.
import type { Browser } from '@playwright/test';
import type { Row } from './harness.ts';

export interface BenchContext {
  browser: Browser;
  /** The in-process OpenVidu server (loopback ICE, test controls). */
  serverUrl: string;
  /** The static server: the built page at `/`, bare pages at `/bench/`. */
  origin: string;
  distDir: string;
  /** Repetition scale (BENCH_SCALE, default 1): 0.25 for a quick smoke run. */
  scale: number;
  log(message: string): void;
}

export interface Benchmark {
  name: string;
  run(ctx: BenchContext): Promise<{ rows: Row[]; details?: unknown }>;
}

export const reps = (ctx: BenchContext, n: number, min = 2): number => Math.max(min, Math.round(n * ctx.scale));
