// Serves the fixture page and the unmodified openvidu-browser bundle from a small static server on
// localhost: a secure context (getUserMedia works), and a real loopback origin. Responses made up
// with page.route count as public, and Chromium's local-network-access checks then block the
// WebSocket to localhost.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { localServer, type ServerState } from '../support/local-server.ts';
import { TEST_SERVER_URL } from '../support/ports.ts';

const bundle = readFileSync(
  fileURLToPath(new URL('../../node_modules/openvidu-browser/static/js/openvidu-browser-2.32.2.js', import.meta.url)),
);
const html = readFileSync(fileURLToPath(new URL('./fixtures/openvidu-page.html', import.meta.url)));
/** A page that behaves as openvidu-call 2.x does (openvidu-call-interop.spec.ts). */
const openviduCallHtml = readFileSync(fileURLToPath(new URL('./fixtures/openvidu-call-page.html', import.meta.url)));

export interface FixtureServer {
  origin: string;
  close(): Promise<void>;
}

export async function startFixtureServer(): Promise<FixtureServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/openvidu-browser.js') {
      res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(bundle);
    } else if (path === '/') {
      res.writeHead(200, { 'Content-Type': 'text/html' }).end(html);
    } else if (path === '/openvidu-call.html') {
      res.writeHead(200, { 'Content-Type': 'text/html' }).end(openviduCallHtml);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    origin: `http://localhost:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export async function openFixture(page: Page, origin: string, path = '/'): Promise<void> {
  // Page errors and warnings go to the test output: they are the first clue when media fails.
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning' || process.env.FIXTURE_LOG) console.log(`[page] ${message.text().slice(0, 300)}`);
  });
  page.on('pageerror', (error) => console.log(`[page error] ${error.message}`));
  await page.goto(`${origin}${path}`);
}

/** A REST call to the server under test, as an application server would make it. */
export async function api(method: string, path: string, body?: unknown, base = TEST_SERVER_URL): Promise<Response> {
  return localServer(base).call(method, path, body);
}

export async function createSessionWithTokens(sessionId: string, count: number, base = TEST_SERVER_URL): Promise<string[]> {
  const created = await api('POST', '/openvidu/api/sessions', { customSessionId: sessionId }, base);
  if (created.status !== 200) throw new Error(`session create answered ${created.status}`);
  const tokens: string[] = [];
  for (let i = 0; i < count; i++) {
    const response = await api('POST', `/openvidu/api/sessions/${sessionId}/connection`, {}, base);
    tokens.push(((await response.json()) as { token: string }).token);
  }
  return tokens;
}

export type { ServerState } from '../support/local-server.ts';

export async function serverState(base = TEST_SERVER_URL): Promise<ServerState> {
  return localServer(base).state();
}

export interface RemoteVideo {
  width: number;
  height: number;
  frames: number;
}

export async function remoteVideo(page: Page, index = 0): Promise<RemoteVideo | null> {
  return page.evaluate((i) => window.fixture.remoteVideo(i), index);
}

/** Waits until the page's remote video `index` has a size and keeps decoding new frames. */
export async function expectFramesAdvancing(page: Page, index = 0): Promise<void> {
  // Generous bounds: ICE, DTLS and the first keyframe take seconds when other browser tests share the CPU.
  await expect.poll(async () => (await remoteVideo(page, index))?.width ?? 0, { timeout: 45_000 }).toBeGreaterThan(0);
  const first = (await remoteVideo(page, index)) as RemoteVideo;
  await expect.poll(async () => (await remoteVideo(page, index))?.frames ?? 0, { timeout: 45_000 }).toBeGreaterThan(first.frames + 10);
}

export interface Participant {
  context: BrowserContext;
  page: Page;
  connectionId: string;
}

/** One publisher and `viewers` subscribers in fresh browser contexts, every viewer decoding frames. */
export async function callWithViewers(
  browser: Browser,
  fixtureOrigin: string,
  viewers: number,
  base = TEST_SERVER_URL,
  contextOptions: Parameters<Browser['newContext']>[0] = {},
): Promise<{ sessionId: string; streamId: string; publisher: Participant; viewers: Participant[] }> {
  const sessionId = `Call_${Date.now()}`;
  const tokens = await createSessionWithTokens(sessionId, viewers + 1, base);
  const join = async (token: string, name: string): Promise<Participant> => {
    const context = await browser.newContext(contextOptions);
    const page = await context.newPage();
    await openFixture(page, fixtureOrigin);
    const connectionId = await page.evaluate(([t, n]) => window.fixture.connect(t as string, n as string), [token, name]);
    return { context, page, connectionId };
  };
  const publisher = await join(tokens[0] as string, 'Publisher');
  const streamId = await publisher.page.evaluate(() => window.fixture.publish());
  const joined: Participant[] = [];
  for (let i = 1; i <= viewers; i++) joined.push(await join(tokens[i] as string, `Viewer${i}`));
  for (const viewer of joined) await expectFramesAdvancing(viewer.page);
  return { sessionId, streamId, publisher, viewers: joined };
}
