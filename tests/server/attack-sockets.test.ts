// @vitest-environment node
// Issue 14, attacks on sockets and liveness: connection resets at every point of an upgrade (1),
// a ghost participant made through `connect` (8), sockets and participants that never ping or
// never join (9), and the smaller ones: a forged X-Real-IP, log forging, aborted bodies (11).
// Every loop is bounded, every client is on loopback, and after each attack the server must
// still serve two honest participants.
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { localServer } from '../support/local-server.ts';
import {
  basicAuth,
  capturingLogger,
  eventually,
  expectServerStillServes,
  rest,
  RpcClient,
  sessionWithTokens,
  startTestServer,
  testState,
  type TestServer,
} from './helpers.ts';

const started: TestServer[] = [];
const clients: RpcClient[] = [];

async function server(options: Parameters<typeof startTestServer>[0] = {}): Promise<TestServer> {
  const s = await startTestServer(options);
  started.push(s);
  return s;
}

async function open(s: TestServer, headers?: Record<string, string>): Promise<RpcClient> {
  const client = await RpcClient.open(s.wsUrl, headers);
  clients.push(client);
  return client;
}

afterEach(async () => {
  for (const client of clients.splice(0)) client.ws.terminate();
  for (const s of started.splice(0)) await s.close();
});

interface Participants {
  sessions: { id: string; participants: { id: string; connected: boolean }[] }[];
  counts: Record<string, number>;
  openSockets: number;
}
const state = async (s: TestServer) => (await testState(s)) as unknown as Participants;

// ---- 1: resets on the upgrade path ----

function upgradeRequest(path: string): string {
  return (
    `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n'
  );
}

async function rawSocket(port: number): Promise<Socket> {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  await once(socket, 'connect');
  return socket;
}

/** Writes `payload`, optionally waits for the first bytes of an answer, then resets the connection (RST). */
async function resetAfter(port: number, payload: string | Buffer, waitForAnswer: boolean): Promise<string> {
  const socket = await rawSocket(port);
  let answer = '';
  socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
  socket.write(payload);
  if (waitForAnswer) await eventually(() => answer, (a) => a.includes('\r\n\r\n'), 3000);
  socket.resetAndDestroy();
  return answer.split('\r\n')[0] ?? '';
}

describe('1: resets anywhere on the upgrade path', () => {
  it('a client resetting before the answer, after a 404, after a 503 or mid-frame does not end the server', async () => {
    const s = await server();
    const crashes: Error[] = [];
    const onCrash = (error: Error) => crashes.push(error);
    process.on('uncaughtException', onCrash);
    try {
      for (let i = 0; i < 5; i++) {
        // Before the answer: half a request, then a reset.
        await resetAfter(s.port, upgradeRequest('/openvidu').slice(0, 40), false);
        // The whole request and an immediate reset.
        await resetAfter(s.port, upgradeRequest('/elsewhere'), false);
        // After the 404 refusal of another path.
        expect(await resetAfter(s.port, upgradeRequest('/elsewhere'), true)).toContain('404');
        // Mid-frame on an accepted socket: the 101, then half a masked frame header.
        expect(await resetAfter(s.port, Buffer.concat([Buffer.from(upgradeRequest('/openvidu')), Buffer.from([0x81])]), true)).toContain('101');
      }
      // After the 503 refusal (the server refusing sockets for a while).
      await localServer(s.url).refuseWebSockets(60_000);
      for (let i = 0; i < 5; i++) expect(await resetAfter(s.port, upgradeRequest('/openvidu'), true)).toContain('503');
      await localServer(s.url).refuseWebSockets(0);
      // Plain http too: a reset in the middle of a request body.
      for (let i = 0; i < 5; i++) {
        await resetAfter(s.port, `POST /openvidu/api/sessions HTTP/1.1\r\nHost: x\r\nAuthorization: ${basicAuth()}\r\nContent-Length: 100\r\n\r\n{"cus`, false);
      }
      // The check is this window: an uncaught exception from the resets above would surface within
      // it (they are all handled in the next turns of the event loop); nothing else to wait for.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(crashes.map((e) => e.message)).toEqual([]);
      await expectServerStillServes(s);
    } finally {
      process.off('uncaughtException', onCrash);
    }
  });
});

// ---- 8: a ghost through connect ----

describe('8: connect cannot make a ghost', () => {
  it('a joined socket cannot take over another participant; once every socket is closed, all are evicted', async () => {
    const s = await server({ reconnectionWindowMs: 300 });
    const [tokenA, tokenB] = await sessionWithTokens(s, 'Ghost', 2);
    const a = await open(s);
    const b = await open(s);
    await a.join(tokenA as string, 'A');
    const bJoined = await b.join(tokenB as string, 'B');
    const takeover = await a.call('connect', { sessionId: bJoined.sessionId as string, reconnect: true });
    expect(takeover.error, 'a socket already bound to A took over B').toBeDefined();
    a.ws.terminate();
    b.ws.terminate();
    const after = await eventually(() => state(s), (st) => st.counts.participants === 0, 4000).catch(async () => state(s));
    expect(after.counts, 'a participant with no open socket stayed after the reconnection window').toMatchObject({ participants: 0, sessions: 0 });
    await expectServerStillServes(s);
  });

  it('a fresh socket that reconnects as A cannot then also bind to B', async () => {
    const s = await server({ reconnectionWindowMs: 300 });
    const [tokenA, tokenB] = await sessionWithTokens(s, 'Ghost2', 2);
    const a = await open(s);
    const b = await open(s);
    const aJoined = await a.join(tokenA as string, 'A');
    const bJoined = await b.join(tokenB as string, 'B');
    const thief = await open(s);
    expect((await thief.call('connect', { sessionId: aJoined.sessionId as string, reconnect: true })).result).toBeDefined();
    expect((await thief.call('connect', { sessionId: bJoined.sessionId as string, reconnect: true })).error).toBeDefined();
    for (const c of [a, b, thief]) c.ws.terminate();
    const after = await eventually(() => state(s), (st) => st.counts.participants === 0, 4000).catch(async () => state(s));
    expect(after.counts).toMatchObject({ participants: 0, sessions: 0 });
    await expectServerStillServes(s);
  });
});

// ---- 9: liveness ----

describe('9: liveness', () => {
  it('a participant that never pings is evicted by the watchdog', async () => {
    const s = await server({ pingTimeoutMs: 500 });
    const [token] = await sessionWithTokens(s, 'Silent', 1);
    const silent = await open(s);
    const joined = await silent.call('joinRoom', { token, session: 'Silent', platform: 'x', metadata: '' });
    expect(joined.result).toBeDefined();
    const after = await eventually(() => state(s), (st) => st.counts.participants === 0, 4000).catch(async () => state(s));
    expect(after.counts.participants, 'a joined socket that never pinged is still a participant').toBe(0);
    await expectServerStillServes(s);
  });

  it('an absurd announced ping interval is clamped', async () => {
    const s = await server({ pingTimeoutMs: 0, limits: { maxPingIntervalMs: 300 } });
    const [token] = await sessionWithTokens(s, 'Lazy', 1);
    const lazy = await open(s);
    await lazy.call('ping', { interval: 1e12 });
    expect((await lazy.call('joinRoom', { token, session: 'Lazy', platform: 'x', metadata: '' })).result).toBeDefined();
    const after = await eventually(() => state(s), (st) => st.counts.participants === 0, 4000).catch(async () => state(s));
    expect(after.counts.participants, 'a participant announcing 10^12 ms was never evicted').toBe(0);
    await expectServerStillServes(s);
  });

  it('sockets that never join are closed after the join timeout', async () => {
    const s = await server({ limits: { joinTimeoutMs: 300 } });
    const idle = await open(s);
    const pinging = await open(s);
    await pinging.call('ping', { interval: 5000 });
    await eventually(() => [idle.closeCode, pinging.closeCode], (codes) => codes.every((c) => c !== undefined), 4000).catch(() => undefined);
    expect(idle.closeCode, 'an idle socket stayed open').toBeDefined();
    expect(pinging.closeCode, 'a socket that pings but never joins stayed open').toBeDefined();
    expect((await state(s)).openSockets).toBe(0);
    await expectServerStillServes(s);
  });

  it('concurrent unjoined sockets from one address are capped', async () => {
    const s = await server({ limits: { unjoinedSocketsPerAddress: 10 } });
    let refused = 0;
    for (let i = 0; i < 40; i++) {
      try {
        await open(s);
      } catch {
        refused++;
      }
    }
    expect((await state(s)).openSockets, 'more unjoined sockets than the cap were kept open').toBeLessThanOrEqual(10);
    expect(refused).toBe(30);
    for (const client of clients.splice(0)) client.ws.terminate();
    await eventually(() => state(s), (st) => st.openSockets === 0);
    await expectServerStillServes(s);
  });
});

// ---- 11: X-Real-IP, log forging, aborted bodies ----

async function ipOf(s: TestServer, sessionId: string, connectionId: string): Promise<string> {
  const response = await rest(s, 'GET', `/openvidu/api/sessions/${sessionId}/connection/${connectionId}`);
  return ((await response.json()) as { ip: string }).ip;
}

describe('11: the smaller ones', () => {
  it('X-Real-IP is ignored unless a proxy is configured', async () => {
    const s = await server();
    const [token] = await sessionWithTokens(s, 'Forged', 1);
    const client = await open(s, { 'X-Real-IP': '203.0.113.9' });
    const joined = await client.join(token as string);
    expect(await ipOf(s, 'Forged', joined.id as string)).toMatch(/127\.0\.0\.1$/);
    await expectServerStillServes(s);

    const behindProxy = await server({ trustProxy: true });
    const [proxied] = await sessionWithTokens(behindProxy, 'Proxied', 1);
    const viaProxy = await open(behindProxy, { 'X-Real-IP': '203.0.113.9' });
    const joinedViaProxy = await viaProxy.join(proxied as string);
    expect(await ipOf(behindProxy, 'Proxied', joinedViaProxy.id as string)).toBe('203.0.113.9');
  });

  it('a nickname with newlines and ANSI escapes cannot forge log lines or reach the terminal', async () => {
    const { lines, logger } = capturingLogger();
    const s = await server({ logger });
    const [token] = await sessionWithTokens(s, 'Forgery', 1);
    const eve = await open(s);
    await eve.join(token as string, 'Eve\n12:00:00 session Admin closed (forged)\r\x1b[2J\x1b]0;pwned\x07\u2028x');
    const joinedLine = lines.find((l) => l.includes('Eve'));
    expect(joinedLine).toBeDefined();
    for (const line of lines) expect(line).not.toMatch(/[\x00-\x1f\x7f-\x9f\u2028\u2029]/);
    expect(joinedLine).toContain('\\n12:00:00 session Admin closed (forged)');
    await expectServerStillServes(s);
  });

  it('an aborted request body is one log line, no stack', async () => {
    const { lines, logger } = capturingLogger();
    const s = await server({ logger });
    const before = lines.length;
    const socket = await rawSocket(s.port);
    socket.write(`POST /openvidu/api/sessions HTTP/1.1\r\nHost: x\r\nAuthorization: ${basicAuth()}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"customSessionId":`);
    // The server must be reading the body when the client goes: the head is parsed within this
    // (loopback) pause, and nothing the server exposes tells it has started on the body.
    await new Promise((resolve) => setTimeout(resolve, 100));
    socket.destroy();
    await eventually(() => lines.length, (n) => n > before, 3000);
    // The check is this window: a second line (a stack, a retry) would be logged within it.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const logged = lines.slice(before);
    expect(logged).toHaveLength(1);
    expect(logged[0]).not.toContain('\n');
    expect(logged[0]).toMatch(/abort/i);
    await expectServerStillServes(s);
  });
});
