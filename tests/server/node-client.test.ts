// @vitest-environment node
// openvidu-node-client@2.32.2, unmodified, drives the REST API of an in-process server: the
// calls an application server makes, and what participants (raw JSON-RPC clients) see.
import { OpenVidu, OpenViduRole } from 'openvidu-node-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publish, rest, RpcClient, SECRET, startTestServer, testState, eventually, type TestServer } from './helpers.ts';

let server: TestServer;
let ov: OpenVidu;
const clients: RpcClient[] = [];

async function joinWith(token: string, nickname: string): Promise<{ client: RpcClient; id: string }> {
  const client = await RpcClient.open(server.wsUrl);
  clients.push(client);
  const result = await client.join(token, nickname);
  return { client, id: result.id as string };
}

beforeAll(async () => {
  server = await startTestServer();
  ov = new OpenVidu(server.url, SECRET);
});

afterAll(async () => {
  for (const client of clients) client.ws.terminate();
  await server.close();
});

describe('openvidu-node-client against the local server', () => {
  it('creates a session, and the 409 path gives back the same session', async () => {
    const first = await ov.createSession({ customSessionId: 'NodeClientA' });
    expect(first.sessionId).toBe('NodeClientA');
    // node-client turns the 409 into a GET of the existing session.
    const again = await ov.createSession({ customSessionId: 'NodeClientA' });
    expect(again.sessionId).toBe('NodeClientA');
    const raw = await rest(server, 'POST', '/openvidu/api/sessions', { customSessionId: 'NodeClientA' });
    expect(raw.status).toBe(409);
    expect(await raw.text()).toBe('');
    const generated = await ov.createSession();
    expect(generated.sessionId).toMatch(/^ses_[A-Z][0-9A-Za-z]{9}$/);
  });

  it('creates connections whose tokens point at the WebSocket, and fetch sees who joined', async () => {
    const session = await ov.createSession({ customSessionId: 'NodeClientB' });
    const connection = await session.createConnection({ role: OpenViduRole.PUBLISHER, data: 'server-data' });
    expect(connection.token).toMatch(new RegExp(`^ws://localhost:${server.port}\\?sessionId=NodeClientB&token=tok_[A-Z][0-9A-Za-z]{15}$`));
    expect(connection.connectionId).toMatch(/^con_/);
    expect(connection.status).toBe('pending');

    const { client, id } = await joinWith(connection.token, 'Alice');
    expect(id).toBe(connection.connectionId);
    await publish(client);

    expect(await session.fetch()).toBe(true);
    const active = session.activeConnections.find((c) => c.connectionId === id);
    expect(active?.status).toBe('active');
    expect(active?.serverData).toBe('server-data');
    expect(active?.clientData).toBe(JSON.stringify({ clientData: 'Alice' }));
    expect(active?.publishers).toHaveLength(1);
    expect(active?.publishers[0]?.hasVideo).toBe(true);

    await ov.fetch();
    expect(ov.activeSessions.map((s) => s.sessionId)).toContain('NodeClientB');

    // The deprecated token endpoint (generateToken) works too.
    const token = await session.generateToken({ role: OpenViduRole.SUBSCRIBER });
    expect(token).toMatch(/token=tok_/);
  });

  it('forceDisconnect evicts: participantLeft to the others, participantEvicted to all', async () => {
    const session = await ov.createSession({ customSessionId: 'NodeClientC' });
    const a = await joinWith((await session.createConnection()).token, 'A');
    const b = await joinWith((await session.createConnection()).token, 'B');
    await session.fetch();
    await session.forceDisconnect(b.id);
    const left = await a.client.notification('participantLeft', (p) => p.connectionId === b.id);
    expect(left.params?.reason).toBe('forceDisconnectByServer');
    const evicted = await b.client.notification('participantEvicted', (p) => p.connectionId === b.id);
    expect(evicted.params?.reason).toBe('forceDisconnectByServer');
    await a.client.notification('participantEvicted', (p) => p.connectionId === b.id);
    await session.fetch();
    expect(session.activeConnections.map((c) => c.connectionId)).toEqual([a.id]);
    // The evicted socket no longer speaks for anyone.
    const echo = await b.client.call('echo', {});
    expect(echo.error?.code).toBe(803);
  });

  it('forceUnpublish tells everyone, the owner included', async () => {
    const session = await ov.createSession({ customSessionId: 'NodeClientD' });
    const a = await joinWith((await session.createConnection()).token, 'A');
    const b = await joinWith((await session.createConnection()).token, 'B');
    const { streamId, pc } = await publish(a.client);
    const published = await b.client.notification('participantPublished', (p) => p.id === a.id);
    expect((published.params?.streams as { id: string }[])[0]?.id).toBe(streamId);
    await session.fetch();
    await session.forceUnpublish(streamId);
    for (const client of [a.client, b.client]) {
      const unpublished = await client.notification('participantUnpublished', (p) => p.connectionId === a.id);
      expect(unpublished.params?.reason).toBe('forceUnpublishByServer');
    }
    await session.fetch();
    expect(session.activeConnections.find((c) => c.connectionId === a.id)?.publishers).toEqual([]);
    await pc.close();
  });

  it('close evicts everyone with sessionClosedByServer and the session is gone', async () => {
    const session = await ov.createSession({ customSessionId: 'NodeClientE' });
    const a = await joinWith((await session.createConnection()).token, 'A');
    await session.close();
    const evicted = await a.client.notification('participantEvicted');
    expect(evicted.params).toEqual({ connectionId: a.id, reason: 'sessionClosedByServer' });
    const gone = await rest(server, 'GET', '/openvidu/api/sessions/NodeClientE');
    expect(gone.status).toBe(404);
    await expect(session.createConnection()).rejects.toThrow('404');
  });

  it('signal (REST) reaches the named participants, with no `from`', async () => {
    const session = await ov.createSession({ customSessionId: 'NodeClientF' });
    const a = await joinWith((await session.createConnection()).token, 'A');
    const b = await joinWith((await session.createConnection()).token, 'B');
    const toB = await rest(server, 'POST', '/openvidu/api/signal', { session: 'NodeClientF', to: [b.id], type: 'signal:news', data: 'hello' });
    expect(toB.status).toBe(200);
    const got = await b.client.notification('sendMessage');
    expect(got.params).toEqual({ data: 'hello', type: 'signal:news' });
    const all = await rest(server, 'POST', '/openvidu/api/signal', { session: 'NodeClientF', type: 'signal:all', data: 'everyone' });
    expect(all.status).toBe(200);
    await a.client.notification('sendMessage', (p) => p.type === 'signal:all');
    await b.client.notification('sendMessage', (p) => p.type === 'signal:all');
    expect(a.client.notifications('sendMessage')).toHaveLength(1);
    const unknown = await rest(server, 'POST', '/openvidu/api/signal', { session: 'NodeClientF', to: ['con_Nobody12345'] });
    expect(unknown.status).toBe(406);
    const noSession = await rest(server, 'POST', '/openvidu/api/signal', { session: 'NoSuchSession' });
    expect(noSession.status).toBe(404);
  });

  it('a session ends when its last participant leaves', async () => {
    const session = await ov.createSession({ customSessionId: 'NodeClientG' });
    const a = await joinWith((await session.createConnection()).token, 'A');
    const left = await a.client.call('leaveRoom', {});
    expect(left.result).toBeDefined();
    expect((await rest(server, 'GET', '/openvidu/api/sessions/NodeClientG')).status).toBe(404);
    // The id is free again.
    expect((await ov.createSession({ customSessionId: 'NodeClientG' })).sessionId).toBe('NodeClientG');
  });

  it('REST connection and config routes answer as OpenVidu does', async () => {
    await ov.createSession({ customSessionId: 'NodeClientH' });
    const created = await rest(server, 'POST', '/openvidu/api/sessions/NodeClientH/connection', { role: 'SUBSCRIBER', data: null, record: null });
    const connection = (await created.json()) as { id: string; role: string; status: string };
    expect(connection).toMatchObject({ role: 'SUBSCRIBER', status: 'pending' });
    expect((await rest(server, 'GET', `/openvidu/api/sessions/NodeClientH/connection/${connection.id}`)).status).toBe(200);
    const list = (await (await rest(server, 'GET', '/openvidu/api/sessions/NodeClientH/connection')).json()) as { numberOfElements: number };
    expect(list.numberOfElements).toBe(1);
    expect((await rest(server, 'DELETE', `/openvidu/api/sessions/NodeClientH/connection/${connection.id}`)).status).toBe(204);
    expect((await rest(server, 'GET', `/openvidu/api/sessions/NodeClientH/connection/${connection.id}`)).status).toBe(404);
    expect((await rest(server, 'GET', '/openvidu/api/sessions/Nope/connection/con_X')).status).toBe(400);
    expect((await rest(server, 'DELETE', '/openvidu/api/sessions/NodeClientH/stream/str_CAM_Abcd_con_X')).status).toBe(404);
    const config = (await (await rest(server, 'GET', '/openvidu/api/config')).json()) as Record<string, unknown>;
    expect(config.VERSION).toBe('2.32.2');
    expect(config.OPENVIDU_PUBLICURL).toBe(server.url);
    expect(await (await fetch(`${server.url}/openvidu/api/config/openvidu-version`)).text()).toBe('2.32.2');
    expect((await rest(server, 'POST', '/openvidu/api/recordings/start', { session: 'NodeClientH' })).status).toBe(501);
    expect((await rest(server, 'DELETE', '/openvidu/api/sessions')).status).toBe(405);
  });

  it('the application-server routes give a session id and a token as text, without the secret', async () => {
    const created = await fetch(`${server.url}/api/sessions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: 'http://localhost:5173' },
      body: JSON.stringify({ customSessionId: 'AppServerA' }),
    });
    expect(created.status).toBe(200);
    expect(created.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(await created.text()).toBe('AppServerA');
    const token = await (await fetch(`${server.url}/api/sessions/AppServerA/connections`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).text();
    expect(token).toMatch(/^ws:\/\/localhost:\d+\?sessionId=AppServerA&token=tok_/);
    const { id } = await joinWith(token, 'App');
    expect(id).toMatch(/^con_/);
    const missing = await fetch(`${server.url}/api/sessions/NoSuch/connections`, { method: 'POST' });
    expect(missing.status).toBe(404);
  });

  it('leaves nothing behind once everyone is gone', async () => {
    // leaveRoom, not just a closed socket: a dropped socket is kept for the reconnection window.
    for (const client of clients) {
      if (client.closeCode === undefined) await client.call('leaveRoom', {});
      client.close();
    }
    const state = await eventually(
      () => testState(server),
      (s) => s.counts.participants === 0 && s.counts.openPeerConnections === 0,
    );
    expect(state.counts.publishers).toBe(0);
    expect(state.counts.subscribers).toBe(0);
  });
});
