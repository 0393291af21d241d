// @vitest-environment node
// Issue 14, attacks through what the server stores and hands on: the application-server routes
// (3), deeply nested JSON (6) and unvalidated stream properties (7). After each attack the server
// must still serve two honest participants.
import { afterEach, describe, expect, it } from 'vitest';
import {
  expectServerStillServes,
  memoryAfterGc,
  MiB,
  mib,
  publish,
  rest,
  RpcClient,
  sessionWithTokens,
  startTestServer,
  testState,
  type TestServer,
} from './helpers.ts';

const started: TestServer[] = [];
const clients: RpcClient[] = [];
const peers: { close(): Promise<void> }[] = [];

async function server(options: Parameters<typeof startTestServer>[0] = {}): Promise<TestServer> {
  const s = await startTestServer(options);
  started.push(s);
  return s;
}

async function openJoined(s: TestServer, token: string, nickname: string): Promise<{ client: RpcClient; result: Record<string, unknown> }> {
  const client = await RpcClient.open(s.wsUrl);
  clients.push(client);
  return { client, result: await client.join(token, nickname) };
}

afterEach(async () => {
  for (const client of clients.splice(0)) client.ws.terminate();
  for (const pc of peers.splice(0)) await pc.close();
  for (const s of started.splice(0)) await s.close();
});

/** The application-server routes, as a page without the secret calls them. */
function anonymous(s: TestServer, path: string, body: unknown): Promise<Response> {
  return fetch(`${s.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
}

describe('3: the application-server routes', () => {
  it('ignore a client-chosen role and server data', async () => {
    const s = await server();
    expect((await anonymous(s, '/api/sessions', { customSessionId: 'AppRoles' })).status).toBe(200);
    const response = await anonymous(s, '/api/sessions/AppRoles/connections', { role: 'MODERATOR', data: 'verified-admin', record: false });
    expect(response.status).toBe(200);
    const token = await response.text();
    const pending = await rest(s, 'GET', '/openvidu/api/sessions/AppRoles?pendingConnections=true');
    const connections = ((await pending.json()) as { connections: { content: { token: string; role: string; serverData: string }[] } }).connections.content;
    const mine = connections.find((c) => c.token === token);
    expect(mine).toMatchObject({ role: 'PUBLISHER', serverData: '' });
    // And the token cannot force anyone out.
    const [honestToken] = [await (await anonymous(s, '/api/sessions/AppRoles/connections', {})).text()];
    const { client: attacker, result } = await openJoined(s, token, 'Mallory');
    expect(result.role).toBe('PUBLISHER');
    const { result: victim } = await openJoined(s, honestToken as string, 'Victim');
    expect((await attacker.call('forceDisconnect', { connectionId: victim.id })).error?.code).toBe(401);
    await expectServerStillServes(s);
  });

  it('bound what can be created anonymously', async () => {
    const s = await server();
    const pad = 'x'.repeat(60_000);
    const before = await memoryAfterGc();
    const statuses = new Map<number, number>();
    for (let i = 0; i < 200; i++) {
      const response = await anonymous(s, '/api/sessions', { customSessionId: `Anon${i}`, defaultRecordingProperties: { name: pad } });
      await response.arrayBuffer();
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
    }
    // Tokens for the first of those sessions, each asking for 60 kB of server data.
    for (let i = 0; i < 200; i++) {
      const response = await anonymous(s, '/api/sessions/Anon0/connections', { data: pad });
      await response.arrayBuffer();
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
    }
    const after = await memoryAfterGc();
    console.log(`3: 200 anonymous sessions + 200 tokens with 60 kB bodies: ${JSON.stringify([...statuses])}; memory after GC ${mib(before)} → ${mib(after)} MiB`);
    expect(statuses.get(429), 'nothing was refused').toBeGreaterThan(0);
    expect(after - before, `memory grew by ${mib(after - before)} MiB`).toBeLessThan(6 * MiB);
    await expectServerStillServes(s);
  }, 60_000);
});

const deep = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;

describe('6: deeply nested JSON', () => {
  it('an 8,000-level mediaNode is refused, and the session list keeps answering', async () => {
    const s = await server();
    const created = await rest(s, 'POST', '/openvidu/api/sessions', `{"customSessionId":"Deep","mediaNode":${deep(8000)}}`);
    expect(created.status, 'an 8,000-level body was accepted').toBe(400);
    expect((await rest(s, 'GET', '/openvidu/api/sessions')).status).toBe(200);
    expect((await rest(s, 'GET', '/openvidu/api/sessions/Deep')).status).toBe(404);
    await expectServerStillServes(s);
  });

  it('an 8,000-level filter in publishVideo is refused and leaves no stream behind', async () => {
    const s = await server();
    const [tokenA, tokenB] = await sessionWithTokens(s, 'DeepFilter', 2);
    const { client: a } = await openJoined(s, tokenA as string, 'A');
    const { sdp, pc } = await import('./helpers.ts').then((h) => h.makeOffer('sendonly'));
    peers.push(pc);
    a.sendRaw(`{"jsonrpc":"2.0","method":"publishVideo","id":77,"params":{"sdpOffer":${JSON.stringify(sdp)},"hasAudio":true,"hasVideo":true,"filter":${deep(8000)}}}`);
    const reply = await a.wait((m) => m.id === 77);
    expect(reply.error).toBeDefined();
    expect((await testState(s)).counts).toMatchObject({ publishers: 0, openPeerConnections: 0 });
    const b = await RpcClient.open(s.wsUrl);
    clients.push(b);
    await b.call('ping', { interval: 5000 });
    const joined = await b.call('joinRoom', { token: tokenB, session: 'DeepFilter', platform: 'x', metadata: '' });
    expect(joined.error, 'a later joinRoom failed').toBeUndefined();
    await expectServerStillServes(s);
  });
});

/** What openvidu-browser does with a stream of joinRoom's `value[]`: it parses videoDimensions. */
function parseLikeTheBrowser(result: Record<string, unknown>): void {
  for (const p of result.value as { streams?: { videoDimensions: string | null; typeOfVideo: string | null }[] }[]) {
    for (const stream of p.streams ?? []) {
      if (stream.videoDimensions !== null) {
        const d = JSON.parse(stream.videoDimensions) as { width: unknown; height: unknown };
        expect(typeof d.width).toBe('number');
        expect(typeof d.height).toBe('number');
      }
      expect([null, 'CAMERA', 'SCREEN', 'CUSTOM', 'IPCAM']).toContain(stream.typeOfVideo);
    }
  }
}

describe('7: stream properties handed to later joiners', () => {
  it('publishVideo with a broken videoDimensions or typeOfVideo is refused', async () => {
    const s = await server();
    const [tokenA, tokenB] = await sessionWithTokens(s, 'BadDims', 2);
    const { client: a } = await openJoined(s, tokenA as string, 'A');
    const { sdp, pc } = await import('./helpers.ts').then((h) => h.makeOffer('sendonly'));
    peers.push(pc);
    const base = { sdpOffer: sdp, hasAudio: true, hasVideo: true, audioActive: true, videoActive: true, frameRate: 30 };
    expect((await a.call('publishVideo', { ...base, typeOfVideo: 'CAMERA', videoDimensions: '{' })).error, 'videoDimensions "{" was accepted').toBeDefined();
    expect((await a.call('publishVideo', { ...base, typeOfVideo: 'WEBCAM<script>', videoDimensions: '{"width":1,"height":1}' })).error).toBeDefined();
    const { result } = await openJoined(s, tokenB as string, 'B');
    parseLikeTheBrowser(result);
    await expectServerStillServes(s);
  });

  it('streamPropertyChanged with values of the wrong type is refused and not relayed', async () => {
    const s = await server();
    const [tokenA, tokenB, tokenC] = await sessionWithTokens(s, 'BadProps', 3);
    const { client: a } = await openJoined(s, tokenA as string, 'A');
    const { client: b } = await openJoined(s, tokenB as string, 'B');
    const { streamId, pc } = await publish(a);
    peers.push(pc);
    const bad = [
      { property: 'videoDimensions', newValue: '{' },
      { property: 'videoDimensions', newValue: '{"width":"wide","height":1}' },
      { property: 'audioActive', newValue: 'yes' },
      { property: 'typeOfVideo', newValue: 'SCREEN' },
      { property: 'videoTrack', newValue: { label: { nested: true } } },
    ];
    for (const change of bad) {
      const reply = await a.call('streamPropertyChanged', { streamId, ...change, reason: 'screenResized' });
      expect(reply.error, `${JSON.stringify(change)} was accepted`).toBeDefined();
    }
    expect((await a.call('streamPropertyChanged', { streamId, property: 'videoActive', newValue: false, reason: 'publishVideo' })).error).toBeUndefined();
    await b.call('ping');
    expect(b.notifications('streamPropertyChanged').map((m) => m.params?.property)).toEqual(['videoActive']);
    const { result } = await openJoined(s, tokenC as string, 'C');
    parseLikeTheBrowser(result);
    await expectServerStillServes(s);
  });
});
