// The application server (`npm run serve`): the token contract against the local OpenVidu server,
// every bad input it must refuse, OpenVidu down, refusing or hanging, and the secret never in an
// answer or a log line.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppServer, type RunningAppServer } from '../../server/app/app-server.ts';
import { startOpenViduServer, type RunningServer } from '../../server/index.ts';

const SECRET = 'app-server-test-secret-7f3a';
const logs: string[] = [];
const logger = (line: string) => logs.push(line);

let openvidu: RunningServer;
let app: RunningAppServer;
let pageDir: string;

beforeAll(async () => {
  openvidu = await startOpenViduServer({ port: 0, host: '127.0.0.1', secret: SECRET, loopbackOnly: true, logger: () => {} });
  pageDir = mkdtempSync(join(tmpdir(), 'app-server-page-'));
  mkdirSync(join(pageDir, 'assets'));
  writeFileSync(join(pageDir, 'index.html'), '<!doctype html><title>call</title>');
  writeFileSync(join(pageDir, 'config.json'), '{"tokenMode":"application-server"}');
  writeFileSync(join(pageDir, 'assets', 'index-abc.js'), 'export {}');
  app = await startAppServer({ openviduUrl: openvidu.url, openviduSecret: SECRET, port: 0, host: '127.0.0.1', pageDir, logger });
});

afterAll(async () => {
  await app?.close();
  await openvidu?.close();
  // Whatever happened above, the secret was never logged.
  expect(logs.join('\n')).not.toContain(SECRET);
});

interface Answer {
  status: number;
  text: string;
  headers: Headers;
}

async function post(base: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(base + path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const answer = { status: response.status, text: await response.text(), headers: response.headers };
  expect(answer.text).not.toContain(SECRET);
  return answer;
}

/** What OpenVidu holds for a session: its connections and their roles. */
async function connectionsOf(sessionId: string): Promise<Array<{ role: string; serverData: string; kurentoOptions?: unknown }>> {
  const response = await fetch(`${openvidu.url}/openvidu/api/sessions/${sessionId}/connection`, {
    headers: { Authorization: `Basic ${Buffer.from(`OPENVIDUAPP:${SECRET}`).toString('base64')}` },
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { content: Array<{ role: string; serverData: string }> }).content;
}

describe('the token contract', () => {
  it('creates (or reuses) a session and hands out a publisher token for it', async () => {
    const created = await post(app.url, '/api/sessions', { customSessionId: 'AppA' });
    expect(created).toMatchObject({ status: 200, text: 'AppA' });
    // The same name again joins the same session.
    expect(await post(app.url, '/api/sessions', { customSessionId: 'AppA' })).toMatchObject({ status: 200, text: 'AppA' });

    const token = await post(app.url, '/api/sessions/AppA/connections', {});
    expect(token.status).toBe(200);
    expect(token.text).toMatch(/^ws:\/\/localhost:\d+\?sessionId=AppA&token=/);
    expect(token.headers.get('access-control-allow-origin')).toBeNull();

    const withNickname = await post(app.url, '/api/sessions/AppA/connections', { nickname: 'Zoë' });
    expect(withNickname.status).toBe(200);
    const connections = await connectionsOf('AppA');
    expect(connections).toHaveLength(2);
    for (const connection of connections) {
      expect(connection.role).toBe('PUBLISHER');
      expect(connection.serverData).toBe('');
    }
  });

  it('answers its own origin (same host), as the page in the browser calls it', async () => {
    const origin = app.url;
    expect((await post(app.url, '/api/sessions', { customSessionId: 'AppOwn' }, { Origin: origin })).status).toBe(200);
    // Behind a reverse proxy (OpenVidu's nginx): the public host arrives as X-Forwarded-Host.
    const proxied = { Origin: 'https://call.example', 'X-Forwarded-Host': 'call.example' };
    expect((await post(app.url, '/api/sessions', { customSessionId: 'AppOwn' }, proxied)).status).toBe(200);
  });
});

describe('bad input', () => {
  it('a client-chosen role, server data or media options are refused, and no connection is made', async () => {
    await post(app.url, '/api/sessions', { customSessionId: 'AppRole' });
    for (const body of [{ role: 'MODERATOR' }, { data: 'admin' }, { kurentoOptions: { allowedFilters: ['*'] } }, { type: 'IPCAM', rtspUri: 'rtsp://x' }]) {
      const answer = await post(app.url, '/api/sessions/AppRole/connections', body);
      expect(answer.status).toBe(400);
      expect(answer.text).toMatch(/^Not accepted: /);
    }
    expect(await post(app.url, '/api/sessions', { customSessionId: 'AppRole2', mediaMode: 'RELAYED' })).toMatchObject({ status: 400 });
    expect(await connectionsOf('AppRole')).toEqual([]);
  });

  it('session ids that are not 1 to 100 letters, digits, - or _ are refused, in the body and in the path', async () => {
    for (const id of ['', 'a b', '<img>', '../etc', 'x'.repeat(101), 'é', 42, null]) {
      expect((await post(app.url, '/api/sessions', { customSessionId: id })).status, `body ${String(id)}`).toBe(400);
    }
    expect((await post(app.url, '/api/sessions', {})).status).toBe(400);
    for (const path of ['a%20b', '%3Cimg%3E', 'x'.repeat(101), 'a%2Fb', '..%2F..']) {
      expect((await post(app.url, `/api/sessions/${path}/connections`, {})).status, path).toBe(400);
    }
  });

  it('nicknames that are empty, too long, not text or carry control characters are refused', async () => {
    await post(app.url, '/api/sessions', { customSessionId: 'AppNick' });
    for (const nickname of ['', '   ', 'x'.repeat(51), 7, { name: 'x' }, 'a\u0000b', 'a\u202Eb', 'line\nbreak']) {
      expect((await post(app.url, '/api/sessions/AppNick/connections', { nickname })).status, JSON.stringify(nickname)).toBe(400);
    }
    expect((await post(app.url, '/api/sessions/AppNick/connections', { nickname: 'x'.repeat(50) })).status).toBe(200);
  });

  it('bodies that are not a small JSON object are refused: 415, 400, 413', async () => {
    expect((await post(app.url, '/api/sessions', 'customSessionId=A', { 'Content-Type': 'application/x-www-form-urlencoded' })).status).toBe(415);
    expect((await post(app.url, '/api/sessions', '{"customSessionId":"A"}', { 'Content-Type': 'text/plain' })).status).toBe(415);
    expect((await post(app.url, '/api/sessions', '{"customSessionId":')).status).toBe(400);
    expect((await post(app.url, '/api/sessions', '["A"]')).status).toBe(400);
    expect((await post(app.url, '/api/sessions', 'null')).status).toBe(400);
    const big = await post(app.url, '/api/sessions', { customSessionId: 'A', pad: 'x'.repeat(2000) });
    expect(big.status).toBe(413);
  });

  it('a foreign origin is refused, preflight included, and never given CORS headers', async () => {
    const foreign = await post(app.url, '/api/sessions', { customSessionId: 'AppCors' }, { Origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await fetch(`${app.url}/api/sessions`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
    });
    expect(preflight.status).toBe(403);
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    expect((await post(app.url, '/api/sessions', { customSessionId: 'AppCors' }, { Origin: 'null' })).status).toBe(403);
  });

  it('wrong methods and unknown paths: 405 and 404; a session that does not exist: 404', async () => {
    expect((await fetch(`${app.url}/api/sessions`)).status).toBe(405);
    expect((await post(app.url, '/api/sessions/AppX/tokens', {})).status).toBe(404);
    expect((await post(app.url, '/api/other', {})).status).toBe(404);
    expect((await post(app.url, '/api/sessions/NeverCreated/connections', {})).status).toBe(404);
  });
});

describe('the page', () => {
  it('serves dist/: index.html at /, config.json afresh, assets cached, nothing outside it', async () => {
    const index = await fetch(`${app.url}/?session=A`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toMatch(/^text\/html/);
    const config = await fetch(`${app.url}/config.json`);
    expect(await config.json()).toEqual({ tokenMode: 'application-server' });
    expect(config.headers.get('cache-control')).toBe('no-cache');
    expect((await fetch(`${app.url}/assets/index-abc.js`)).headers.get('cache-control')).toContain('immutable');
    for (const path of ['/../package.json', '/%2e%2e/package.json', '/assets/../../package.json', '/missing.js', '/assets']) {
      expect((await fetch(`${app.url}${path}`)).status, path).toBe(404);
    }
  });
});

describe('OpenVidu unreachable, refusing or slow', () => {
  it('down: 503 that says so, without the secret', async () => {
    const down = await startAppServer({ openviduUrl: 'http://127.0.0.1:9', openviduSecret: SECRET, port: 0, host: '127.0.0.1', pageDir: null, logger });
    try {
      const answer = await post(down.url, '/api/sessions', { customSessionId: 'AppDown' });
      expect(answer.status).toBe(503);
      expect(answer.text).toBe('OpenVidu is unreachable (check OPENVIDU_URL and that OpenVidu is running)');
      expect(logs.some((line) => line.includes('503'))).toBe(true);
    } finally {
      await down.close();
    }
  });

  it('the wrong secret: 502 naming OPENVIDU_SECRET, never its value', async () => {
    const wrong = await startAppServer({ openviduUrl: openvidu.url, openviduSecret: 'not-the-secret', port: 0, host: '127.0.0.1', pageDir: null, logger });
    try {
      const answer = await post(wrong.url, '/api/sessions', { customSessionId: 'AppWrong' });
      expect(answer.status).toBe(502);
      expect(answer.text).toContain('OPENVIDU_SECRET');
      expect(answer.text).not.toContain('not-the-secret');
      expect(logs.join('\n')).not.toContain('not-the-secret');
    } finally {
      await wrong.close();
    }
  });

  it('hanging (accepts, never answers): 504 within the limit', async () => {
    const held: Array<import('node:net').Socket> = [];
    const silent: Server = createServer((socket) => held.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as import('node:net').AddressInfo).port;
    const slow = await startAppServer({
      openviduUrl: `http://127.0.0.1:${port}`, openviduSecret: SECRET, port: 0, host: '127.0.0.1', pageDir: null, logger, openviduTimeoutMs: 300,
    });
    try {
      const answer = await post(slow.url, '/api/sessions', { customSessionId: 'AppSlow' });
      expect(answer.status).toBe(504);
      expect(answer.text).toMatch(/^OpenVidu did not answer in time/);
    } finally {
      await slow.close();
      for (const socket of held) socket.destroy();
      silent.close();
    }
  });
});
