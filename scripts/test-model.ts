// `npm run test:model`: the model's paths on the machine (vitest) and on the real page
// (Playwright), then one table of what they covered. Fails when a run fails, or when a state or a
// transition is left uncovered, on the machine or on the page.
//
//   npm run test:model                 both
//   npm run test:model -- --machine    the machine paths only (no browser)
//   npm run test:model -- --page       the page paths only, reported with the machine's coverage
//                                      of an earlier `--machine` run (`npm test` runs that one
//                                      beside the unit tests, while the CPU is free of browsers)
//
// The page paths need the production build (`npm run build`); Playwright starts the local
// server and `vite preview` itself. PLAYWRIGHT_OUTPUT_DIR, TEST_SERVER_PORT and TEST_PAGE_PORT
// pass through.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { allTransitions, STATE_PATHS } from '../tests/model/call.model.ts';
import { clearCoverage, readCoverage, type CoverageReport, type Runner } from '../tests/model/coverage.ts';
import { allDeviceTransitions, DEVICE_STATE_PATHS } from '../tests/model/devices.model.ts';
import { NOT_PAINTED_ON_PAGE } from '../tests/model/not-painted.ts';
import { allScreenShareTransitions, SCREEN_SHARE_STATE_PATHS } from '../tests/model/screen-share.model.ts';

const machineOnly = process.argv.includes('--machine');
const pageOnly = process.argv.includes('--page');

function run(command: string, args: string[]): boolean {
  console.log(`\n$ ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', env: process.env });
  return result.status === 0;
}

clearCoverage(pageOnly ? 'page' : undefined);
const ok: Record<Runner, boolean> = { machine: false, page: machineOnly };
if (!pageOnly) ok.machine = run('npx', ['vitest', 'run', 'tests/model']);
if (!machineOnly) {
  if (!existsSync('dist/index.html')) {
    console.error('\nNo production build in dist/: run `npm run build` first.');
    ok.page = false;
  } else {
    ok.page = run('npx', ['playwright', 'test', 'tests/model']);
  }
}

// The call machine and its children (machines/devices.machine.ts, machines/screen-share.machine.ts), all at 100 %.
const allStates = [...STATE_PATHS, ...DEVICE_STATE_PATHS, ...SCREEN_SHARE_STATE_PATHS];
const transitions = [...allTransitions(), ...allDeviceTransitions(), ...allScreenShareTransitions()];
const problems: string[] = [];

interface Row {
  runner: string;
  states: string;
  transitions: string;
  paths: string;
  time: string;
}

function row(runner: Runner, report: CoverageReport | null): Row {
  if (!report) {
    problems.push(`${runner}: no coverage was recorded (the run failed before any path finished)`);
    return { runner, states: '—', transitions: '—', paths: '—', time: '—' };
  }
  const missingStates = allStates.filter((s) => !report.states.includes(s));
  const missing = transitions.filter((t) => !report.transitions.includes(t));
  for (const s of missingStates) problems.push(`${runner}: state ${s} never reached`);
  for (const t of missing) problems.push(`${runner}: transition ${t} never taken`);
  return {
    runner,
    states: `${allStates.length - missingStates.length} / ${allStates.length}`,
    transitions: `${transitions.length - missing.length} / ${transitions.length}`,
    paths: `${report.paths} paths, ${report.steps} steps`,
    time: `${(report.ms / 1000).toFixed(1)} s`,
  };
}

// With --page, the machine's paths ran earlier: their coverage file exists only if every one passed.
if (pageOnly) ok.machine = readCoverage('machine') !== null;
const rows: Row[] = [row('machine', readCoverage('machine'))];
if (!machineOnly) rows.push(row('page', readCoverage('page')));

const header: Row = { runner: '', states: 'states', transitions: 'transitions', paths: 'paths run', time: 'time' };
const keys = Object.keys(header) as (keyof Row)[];
const width = (k: keyof Row) => Math.max(...[header, ...rows].map((r) => r[k].length));
const line = (r: Row) => `| ${keys.map((k) => r[k].padEnd(width(k))).join(' | ')} |`;
console.log('\nModel coverage of machines/call.machine.ts, machines/devices.machine.ts and machines/screen-share.machine.ts\n');
console.log(line(header));
console.log(`|${keys.map((k) => '-'.repeat(width(k) + 2)).join('|')}|`);
for (const r of rows) console.log(line(r));

if (!machineOnly) {
  console.log('\nReached on the page but never painted (checked through the inspector stream instead):');
  for (const [state, why] of Object.entries(NOT_PAINTED_ON_PAGE)) console.log(`  - ${state}: ${why}`);
}

for (const runner of ['machine', 'page'] as const) if (!ok[runner]) problems.unshift(`${runner}: the test run failed`);
// The machine's paths write their coverage even when one of them failed: a later --page run must
// not report a failed run's coverage as good.
if (!ok.machine) clearCoverage('machine');
if (problems.length) {
  console.error(`\nFAILED:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  process.exit(1);
}
console.log('\nEvery state and transition is covered.');
