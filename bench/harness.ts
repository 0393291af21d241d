// What every benchmark shares: the server, the built page and a static server for it, Chromium with
// the test flags, the in-page instrumentation, REST helpers and statistics. Benchmarks measure from
// outside the page (init scripts, CDP, the server's /test/state), so src/ stays untouched.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { startOpenViduServer, type RunningServer } from '../server/index.ts';
import { CHROMIUM_ARGS, chromiumExecutable } from '../tests/support/chromium.ts';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const RESULTS_DIR = join(ROOT, 'bench/results');
export const SECRET = 'MY_SECRET';

/** One line of the table. `baseline` and `ratio` only where a baseline ran beside it. */
export interface Row {
  figure: string;
  metric: string;
  value: number | string;
  unit: string;
  baseline?: number;
  ratio?: number;
  goal?: string;
  met?: boolean;
  note?: string;
}

export interface Stats {
  n: number;
  median: number;
  p95: number;
  min: number;
  max: number;
}

export function stats(samples: number[]): Stats {
  const s = samples.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] ?? Number.NaN;
  const mid = s.length % 2 ? at(0.5) : ((s[s.length / 2 - 1] ?? Number.NaN) + (s[s.length / 2] ?? Number.NaN)) / 2;
  return { n: s.length, median: mid, p95: at(0.95), min: s[0] ?? Number.NaN, max: s[s.length - 1] ?? Number.NaN };
}

export const round = (x: number, digits = 1): number => Math.round(x * 10 ** digits) / 10 ** digits;
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls until `check` returns a value; every wait is bounded, so a stuck run fails instead of hanging. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | null | false> | T | undefined | null | false, timeoutMs = 20_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

// ---------------------------------------------------------------------------------------------
// The OpenVidu server

/** In-process: what the browser benchmarks join. Loopback ICE only, and /test/state for leak checks. */
export function startInProcessServer(): Promise<RunningServer> {
  return startOpenViduServer({ port: 0, host: '127.0.0.1', loopbackOnly: true, testControls: true, logger: () => {} });
}

export interface ChildServer {
  url: string;
  pid: number;
  close(): Promise<void>;
}

/**
 * A server in a process of its own, for the cost figures: its CPU is then read from /proc without
 * Playwright's or the clients' work mixed in.
 */
export async function startChildServer(): Promise<ChildServer> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', 'server/main.ts', '--port', String(port), '--secret', SECRET, '--loopback-only', '--test-controls'],
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = `http://localhost:${port}`;
  await waitFor(`the child server on ${port} (${stderr})`, async () => {
    if (child.exitCode !== null) throw new Error(`server exited: ${stderr}`);
    return fetch(`${url}/openvidu/api/config/openvidu-publicurl`).then((r) => r.ok, () => false);
  }, 30_000, 100);
  return {
    url,
    pid: child.pid as number,
    close: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await waitFor('the child server to exit', () => child.exitCode !== null || child.signalCode !== null, 10_000).catch(() => child.kill('SIGKILL'));
    },
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** CPU seconds (user + system) and resident memory of a process, from /proc (Linux). */
export function procUsage(pid: number): { cpuSeconds: number; rssMiB: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
  const rssKiB = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? Number.NaN);
  return { cpuSeconds: ticks / 100, rssMiB: rssKiB / 1024 };
}

// ---------------------------------------------------------------------------------------------
// REST, as an application server would call it

const auth = `Basic ${Buffer.from(`OPENVIDUAPP:${SECRET}`).toString('base64')}`;

export async function api(serverUrl: string, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${serverUrl}${path}`, {
    method,
    headers: { Authorization: auth, 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

export async function createToken(serverUrl: string, sessionId: string): Promise<string> {
  const created = await api(serverUrl, 'POST', '/openvidu/api/sessions', { customSessionId: sessionId });
  if (created.status !== 200 && created.status !== 409) throw new Error(`session create answered ${created.status}`);
  await created.body?.cancel();
  const response = await api(serverUrl, 'POST', `/openvidu/api/sessions/${sessionId}/connection`, {});
  if (response.status !== 200) throw new Error(`connection create answered ${response.status}`);
  return ((await response.json()) as { token: string }).token;
}

export interface ServerCounts {
  sessions: number;
  participants: number;
  publishers: number;
  subscribers: number;
  openPeerConnections: number;
  pendingTokens: number;
}

export async function serverCounts(serverUrl: string): Promise<ServerCounts & { openSockets: number }> {
  const state = (await (await fetch(`${serverUrl}/test/state`)).json()) as { counts: ServerCounts; openSockets: number };
  return { ...state.counts, openSockets: state.openSockets };
}

// ---------------------------------------------------------------------------------------------
// The built page and a static server for it (plus the bare pages under bench/pages)

let built: Promise<string> | undefined;

/**
 * Builds the page once per run into bench/results/dist, so the others' `dist/` is never touched
 * mid-test. Same vite.config.ts as `npm run build`. BENCH_DIST=<dir> benches a page built
 * elsewhere instead (to measure a proposed change beside the current one).
 */
export function buildPage(): Promise<string> {
  if (process.env.BENCH_DIST) return Promise.resolve(process.env.BENCH_DIST);
  built ??= (async () => {
    const outDir = join(RESULTS_DIR, 'dist');
    const { build } = await import('vite');
    await build({ root: ROOT, logLevel: 'error', build: { outDir, emptyOutDir: true } });
    // The benchmarks point the page at their own server through the link (callPageUrl), which the
    // build's own config.json does not allow.
    writeFileSync(join(outDir, 'config.json'), JSON.stringify({ tokenMode: 'openvidu', allowLinkOverrides: true }));
    return outDir;
  })();
  return built;
}

const OPENVIDU_BROWSER = join(ROOT, 'node_modules/openvidu-browser/static/js/openvidu-browser-2.32.2.js');
const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.map': 'application/json',
  '.json': 'application/json',
};

export interface StaticServer {
  origin: string;
  close(): Promise<void>;
}

/**
 * The built page at `/`, the bare openvidu-browser pages at `/bench/<name>.html` and the unmodified
 * library at `/openvidu-browser.js`. A real loopback origin (not page.route) so Chromium treats
 * the page as local and lets it reach the local server.
 */
export async function startStaticServer(distDir: string): Promise<StaticServer> {
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/');
    let file: string;
    if (path === '/openvidu-browser.js') file = OPENVIDU_BROWSER;
    else if (path.startsWith('/bench/')) file = join(ROOT, 'bench/pages', normalize(path.slice('/bench/'.length)).replace(/^(\.\.[/\\])+/, ''));
    else file = join(distDir, normalize(path === '/' ? '/index.html' : path).replace(/^(\.\.[/\\])+/, ''));
    if (!existsSync(file) || !(file.startsWith(ROOT) || file.startsWith(distDir))) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-cache' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://localhost:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The call page pointed at `serverUrl` through its runtime override. */
export function callPageUrl(origin: string, serverUrl: string): string {
  return `${origin}/?${new URLSearchParams({ openviduUrl: serverUrl, openviduSecret: SECRET })}`;
}

/** The bare openvidu-browser page (bench/pages/bare.html). */
export function barePageUrl(origin: string, serverUrl: string, extra: Record<string, string> = {}): string {
  return `${origin}/bench/bare.html?${new URLSearchParams({ server: serverUrl, secret: SECRET, ...extra })}`;
}

// ---------------------------------------------------------------------------------------------
// Chromium

export function launchChromium(): Promise<Browser> {
  const executablePath = chromiumExecutable();
  return chromium.launch({ args: CHROMIUM_ARGS, ...(executablePath ? { executablePath } : {}) });
}

const INSTRUMENT = readFileSync(join(ROOT, 'bench/pages/instrument.js'), 'utf8');

/** A context of its own (own camera, empty cache) with the instrumentation installed before any script. */
export async function newInstrumentedContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
  // The machine is shared with other test runs: a slow navigation is noise, not a failure.
  context.setDefaultNavigationTimeout(60_000);
  context.setDefaultTimeout(45_000);
  await context.addInitScript({ content: INSTRUMENT });
  return context;
}

/** What bench/pages/instrument.js collects in every page. Times are performance.now() of that page. */
export interface BenchMarks {
  marks: Record<string, number>;
  steps: { text: string; t: number }[];
  remoteFrames: { key: string; epoch: number }[];
  rpc: { method: string; sent: number; epoch?: number; answered?: number; answeredEpoch?: number }[];
  /** Every RTCPeerConnection: created and connected (epoch). */
  pcs: { created: number; connected?: number }[];
}

export function readMarks(page: Page): Promise<BenchMarks> {
  return page.evaluate(() => {
    const b = (window as unknown as { __bench: BenchMarks }).__bench;
    return JSON.parse(JSON.stringify({ marks: b.marks, steps: b.steps, remoteFrames: b.remoteFrames, rpc: b.rpc, pcs: b.pcs })) as BenchMarks;
  });
}

/** Peer connections the page made that are not closed yet (from the RTCPeerConnection wrapper). */
export function openPeerConnections(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as { __benchOpenPcs: () => number }).__benchOpenPcs());
}

/** The Join button of the call page is there, visible and enabled: the form is usable. */
/** The pre-join preview's camera is playing (a person about to Join sees themselves). */
export async function waitForPreviewPlaying(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const video = document.querySelector<HTMLVideoElement>('.prejoin video');
    return !!video && video.videoWidth > 0 && !video.paused;
  }, undefined, { timeout: 30_000 });
}

export async function waitForJoinForm(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const button = document.querySelector<HTMLButtonElement>('main[data-screen="form"] button[type="submit"]');
    const usable = !!button && !button.disabled && button.getBoundingClientRect().width > 0;
    // Marked inside the check (each animation frame), not after the round trip back to Node.
    if (usable) (window as unknown as { __bench: BenchMarks }).__bench.marks.formReady ??= performance.now();
    return usable;
  }, undefined, { timeout: 20_000, polling: 'raf' });
}

/** Fill the form and press Join from inside the page, marking the moment of the click. */
export async function clickJoin(page: Page, sessionName: string, nickname: string): Promise<void> {
  await page.getByLabel('Session').fill(sessionName);
  await page.getByLabel('Nickname').fill(nickname);
  await page.evaluate(() => {
    (window as unknown as { __bench: BenchMarks }).__bench.marks.click = performance.now();
    document.querySelector<HTMLButtonElement>('button[type="submit"]')?.click();
  });
}
