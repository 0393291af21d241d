// Serves the fixture page and the unmodified openvidu-browser bundle from a small static server on
// localhost: a secure context (getUserMedia works), and a real loopback origin. Responses made up
// with page.route count as public, and Chromium's local-network-access checks then block the
// WebSocket to localhost.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { TEST_SECRET, TEST_SERVER_URL } from '../support/ports.ts';

const bundle = readFileSync(
  fileURLToPath(new URL('../../node_modules/openvidu-browser/static/js/openvidu-browser-2.32.2.js', import.meta.url)),
);
const html = readFileSync(fileURLToPath(new URL('./fixtures/openvidu-page.html', import.meta.url)));

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

export async function openFixture(page: Page, origin: string): Promise<void> {
  // Page errors and warnings go to the test output: they are the first clue when media fails.
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning' || process.env.FIXTURE_LOG) console.log(`[page] ${message.text()}`);
  });
  page.on('pageerror', (error) => console.log(`[page error] ${error.message}`));
  await page.goto(`${origin}/`);
}

const auth = `Basic ${Buffer.from(`OPENVIDUAPP:${TEST_SECRET}`).toString('base64')}`;

/** A REST call to the server under test, as an application server would make it. */
export async function api(method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${TEST_SERVER_URL}${path}`, {
    method,
    headers: { Authorization: auth, 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

export async function createSessionWithTokens(sessionId: string, count: number): Promise<string[]> {
  const created = await api('POST', '/openvidu/api/sessions', { customSessionId: sessionId });
  if (created.status !== 200) throw new Error(`session create answered ${created.status}`);
  const tokens: string[] = [];
  for (let i = 0; i < count; i++) {
    const response = await api('POST', `/openvidu/api/sessions/${sessionId}/connection`, {});
    tokens.push(((await response.json()) as { token: string }).token);
  }
  return tokens;
}

export interface ServerState {
  sessions: unknown[];
  counts: { sessions: number; participants: number; publishers: number; subscribers: number; openPeerConnections: number; pendingTokens: number };
  openSockets: number;
}

export async function serverState(): Promise<ServerState> {
  return (await (await fetch(`${TEST_SERVER_URL}/test/state`)).json()) as ServerState;
}
