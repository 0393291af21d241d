// `npm test`: every test, in two phases, with the time each part took.
//
// 1. Side by side, two parts that each keep one core busy: svelte-check and the model's machine
//    paths (one large vitest file). On 2 cores they overlap instead of queueing. Their output is
//    printed whole as each ends, not interleaved.
// 2. Then one after the other: vitest's unit tests (they use every core, and some time real
//    servers), the production build (after them: tests/app/entrypoint.test.ts copies dist/ when
//    it exists), and, alone on the machine, the browser tests: Playwright's e2e and conformance
//    specs, then the model's page paths (reported with the machine's coverage from phase 1). The
//    media-heavy browser tests keep the CPU to themselves (one worker, see playwright.config.ts):
//    frame rates stay honest.
//
// A failure in phase 1 stops before phase 2, as `a && b && c` did.
import { spawn, spawnSync } from 'node:child_process';

interface Part {
  name: string;
  args: string[];
}

const SIDE_BY_SIDE: Part[] = [
  { name: 'svelte-check', args: ['run', 'check'] },
  { name: 'model: machine paths', args: ['run', 'test:model', '--', '--machine'] },
];
const ONE_BY_ONE: Part[] = [
  { name: 'unit tests', args: ['run', 'test:unit'] },
  { name: 'build', args: ['run', 'build'] },
  { name: 'browser: e2e and conformance', args: ['run', 'test:e2e'] },
  { name: 'model: page paths', args: ['run', 'test:model', '--', '--page'] },
];

const times: string[] = [];
const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(0)} s`;

/** Runs a part with its output kept, and prints that output once it ends. */
function runQuietly(part: Part): Promise<boolean> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn('npm', part.args, { env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const output: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk));
    child.on('close', (code) => {
      const ok = code === 0;
      console.log(`\n===== ${part.name}: ${ok ? 'passed' : 'FAILED'} (${seconds(started)}) =====`);
      process.stdout.write(Buffer.concat(output));
      times.push(`${part.name}: ${seconds(started)}${ok ? '' : ' (failed)'}`);
      resolve(ok);
    });
  });
}

function runAlone(part: Part): boolean {
  const started = performance.now();
  console.log(`\n===== ${part.name} =====`);
  const ok = spawnSync('npm', part.args, { env: process.env, stdio: 'inherit' }).status === 0;
  times.push(`${part.name}: ${seconds(started)}${ok ? '' : ' (failed)'}`);
  return ok;
}

function finish(ok: boolean): never {
  console.log(`\nTimes:\n${times.map((t) => `  ${t}`).join('\n')}\n  total: ${seconds(0)}`);
  if (!ok) console.error('\nnpm test FAILED');
  process.exit(ok ? 0 : 1);
}

const phaseOne = await Promise.all(SIDE_BY_SIDE.map(runQuietly));
if (phaseOne.includes(false)) finish(false);
for (const part of ONE_BY_ONE) if (!runAlone(part)) finish(false);
finish(true);
