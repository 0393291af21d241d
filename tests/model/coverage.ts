// Where the model's runs write what they covered, and how `npm run test:model` reads it back.
// One JSON file per runner (machine, page), written only when that runner finished every path.
import { mkdirSync, readFileSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export const COVERAGE_DIR = process.env.MODEL_COVERAGE_DIR ?? join(process.cwd(), 'node_modules', '.cache', 'model-coverage');

export type Runner = 'machine' | 'page';

export interface CoverageReport {
  runner: Runner;
  /** State paths (`session.inCall.live`) the runner saw the live system in. */
  states: string[];
  /** Transition keys (`call.idle user.join#0`) the live system took. */
  transitions: string[];
  paths: number;
  steps: number;
  /** Wall time of the paths, for the table (never asserted). */
  ms: number;
}

const fileOf = (runner: Runner) => join(COVERAGE_DIR, `${runner}.json`);

export function writeCoverage(report: CoverageReport): void {
  mkdirSync(COVERAGE_DIR, { recursive: true });
  writeFileSync(fileOf(report.runner), `${JSON.stringify(report, null, 2)}\n`);
}

export function readCoverage(runner: Runner): CoverageReport | null {
  const file = fileOf(runner);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as CoverageReport) : null;
}

/** Forgets what the runs covered: every runner's, or only `runner`'s. */
export function clearCoverage(runner?: Runner): void {
  rmSync(runner ? fileOf(runner) : COVERAGE_DIR, { recursive: true, force: true });
}
