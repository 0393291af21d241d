// @vitest-environment node
// Bad input, on both doors: each gets the right error, the server stays up, and a participant in
// another session notices nothing (no unexpected notification, its ping still answered).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basicAuth, rawRequest, rest, RpcClient, sessionWithTokens, startTestServer, type TestServer } from './helpers.ts';

let server: TestServer;
/** The bystander: joined in its own session before any of the bad input arrives. */
let bystander: RpcClient;
const clients: RpcClient[] = [];

async function open(): Promise<RpcClient> {
  const client = await RpcClient.open(server.wsUrl);
  clients.push(client);
  return client;
}

beforeAll(async () => {
  server = await startTestServer({ maxBodyBytes: 16 * 1024, maxFrameBytes: 32 * 1024 });
  const [token] = await sessionWithTokens(server, 'Bystanders', 1);
  bystander = await open();
  await bystander.join(token as string, 'bystander');
});

afterAll(async () => {
  // The bystander heard nothing at all from the other sessions' trouble, and still gets pongs.
  const pong = await bystander.call('ping');
  expect(pong.result?.value).toBe('pong');
  expect(bystander.notifications()).toEqual([]);
  for (const client of clients) client.ws.terminate();
  await server.close();
});

describe('JSON-RPC bad input', () => {
  it('answers ping before joinRoom', async () => {
    const client = await open();
    const pong = await client.call('ping', { interval: 5000 });
    expect(pong).toMatchObject({ jsonrpc: '2.0', id: 0, result: { value: 'pong' } });
  });

  it('a frame that is not JSON gets a parse error', async () => {
    const client = await open();
    client.sendRaw('{"jsonrpc":"2.0","method":');
    const reply = await client.wait((m) => m.error !== undefined);
    expect(reply).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32700 } });
  });

  it('JSON that is not JSON-RPC 2.0 gets an invalid-request error', async () => {
    const client = await open();
    client.sendRaw(JSON.stringify({ hello: 'world', id: 7 }));
    expect(await client.wait((m) => m.id === 7)).toMatchObject({ error: { code: -32600 } });
    client.sendRaw(JSON.stringify([1, 2, 3]));
    // The answer to a batch-like array (no id to echo): whatever comes back with id null must be
    // that invalid-request error, not a parse error or a result.
    expect(await client.wait((m) => m.id === null)).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32600 } });
    client.sendRaw(JSON.stringify({ jsonrpc: '1.0', method: 'ping', id: 8 }));
    expect(await client.wait((m) => m.id === 8)).toMatchObject({ error: { code: -32600 } });
    client.sendRaw(JSON.stringify({ jsonrpc: '2.0', method: 'ping', params: [1], id: 9 }));
    expect(await client.wait((m) => m.id === 9)).toMatchObject({ error: { code: -32602 } });
  });

  it('an unknown method gets method-not-found, never silence', async () => {
    const client = await open();
    const reply = await client.call('makeCoffee', {});
    expect(reply.error?.code).toBe(-32601);
    expect(reply.error?.message).toContain('makeCoffee');
  });

  it('methods before joinRoom get 803, as on the real server', async () => {
    const client = await open();
    expect((await client.call('publishVideo', { sdpOffer: 'v=0' })).error?.code).toBe(803);
    expect((await client.call('leaveRoom', {})).error?.code).toBe(803);
  });

  it('wrong param types are refused and name the parameter', async () => {
    const client = await open();
    const noToken = await client.call('joinRoom', { token: 42, session: 'x' });
    expect(noToken.error?.code).toBe(-32602);
    expect(noToken.error?.message).toContain("'token'");
    const [token] = await sessionWithTokens(server, 'BadParams', 1);
    await client.join(token as string);
    expect((await client.call('publishVideo', { sdpOffer: 12 })).error?.code).toBe(-32602);
    expect((await client.call('publishVideo', { sdpOffer: 'v=0', hasAudio: 'yes' })).error?.code).toBe(-32602);
    expect((await client.call('onIceCandidate', { endpointName: 1, candidate: '' })).error?.code).toBe(-32602);
    expect((await client.call('receiveVideoFrom', { sender: 'str_CAM_Abcd_con_X' })).error?.code).toBe(-32602);
    expect((await client.call('sendMessage', { message: 'not json' })).error?.code).toBe(600);
    expect((await client.call('sendMessage', { message: JSON.stringify({ to: 'everyone' }) })).error?.code).toBe(600);
    expect((await client.call('sendMessage', { message: JSON.stringify({ to: ['con_Unknown123'], data: 'x' }) })).error?.code).toBe(601);
    // A garbage SDP is an SDP error (302), not a crash.
    expect((await client.call('publishVideo', { sdpOffer: 'this is not sdp', hasAudio: true, hasVideo: true })).error?.code).toBe(302);
    // Subscribing to a stream nobody publishes.
    expect((await client.call('receiveVideoFrom', { sender: 'str_CAM_Abcd_con_Nobody1234', sdpOffer: 'v=0' })).error?.code).toBe(102);
    expect((await client.call('leaveRoom', {})).result).toBeDefined();
  });

  it('a used token and a forged token are refused with 401; an unknown session with 202', async () => {
    const [token] = await sessionWithTokens(server, 'TokenChecks', 2);
    const first = await open();
    await first.join(token as string);
    const second = await open();
    const reused = await second.call('joinRoom', { token, session: 'TokenChecks', platform: 'x', metadata: '' });
    expect(reused.error?.code).toBe(401);
    const forged = (token as string).replace(/tok_\w+/, 'tok_Aforgedforgedforg');
    expect((await second.call('joinRoom', { token: forged, session: 'TokenChecks', metadata: '' })).error?.code).toBe(401);
    const elsewhere = await second.call('joinRoom', { token: 'ws://localhost:1?sessionId=Nowhere&token=tok_X', session: 'Nowhere', metadata: '' });
    expect(elsewhere.error?.code).toBe(202);
    // A subscriber-role token may not publish: 401, which the browser maps to OPENVIDU_PERMISSION_DENIED.
    const [subscriberToken] = await sessionWithTokens(server, 'SubscriberOnly', 1, 'SUBSCRIBER');
    const viewer = await open();
    await viewer.join(subscriberToken as string);
    expect((await viewer.call('publishVideo', { sdpOffer: 'v=0', hasAudio: true, hasVideo: true })).error?.code).toBe(401);
    expect((await viewer.call('forceDisconnect', { connectionId: 'con_X' })).error?.code).toBe(401);
  });

  it('a frame over the size limit is refused by closing that socket only', async () => {
    const client = await open();
    client.sendRaw(JSON.stringify({ jsonrpc: '2.0', method: 'ping', params: { pad: 'x'.repeat(64 * 1024) }, id: 1 }));
    await new Promise<void>((resolve) => client.ws.once('close', () => resolve()));
    expect(client.closeCode).toBe(1009);
  });

  it('upgrades on other paths are refused', async () => {
    await expect(RpcClient.open(server.wsUrl.replace('/openvidu', '/elsewhere'))).rejects.toThrow('404');
  });
});

describe('REST bad input', () => {
  it('no secret or a wrong secret gives 401 with WWW-Authenticate', async () => {
    const none = await fetch(`${server.url}/openvidu/api/sessions`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Basic/);
    const wrong = await fetch(`${server.url}/openvidu/api/config`, { headers: { Authorization: basicAuth('nope') } });
    expect(wrong.status).toBe(401);
    const garbage = await fetch(`${server.url}/openvidu/api/config`, { headers: { Authorization: 'Basic !!!' } });
    expect(garbage.status).toBe(401);
  });

  it('preflight is answered without auth, with permissive CORS', async () => {
    const preflight = await fetch(`${server.url}/openvidu/api/sessions`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://example.test', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://example.test');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('authorization,content-type');
  });

  it('bad JSON bodies give 400 with the OpenVidu error shape', async () => {
    const broken = await rest(server, 'POST', '/openvidu/api/sessions', '{"customSessionId":');
    expect(broken.status).toBe(400);
    const body = (await broken.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 400, error: 'Bad Request', path: '/openvidu/api/sessions' });
    expect(typeof body.timestamp).toBe('number');
    expect((await rest(server, 'POST', '/openvidu/api/sessions', '[1,2]')).status).toBe(400);
    expect((await rest(server, 'POST', '/openvidu/api/sessions', { mediaMode: 'SIDEWAYS' })).status).toBe(400);
    expect((await rest(server, 'POST', '/openvidu/api/sessions', { customSessionId: 5 })).status).toBe(400);
    await rest(server, 'POST', '/openvidu/api/sessions', { customSessionId: 'BadBodies' });
    expect((await rest(server, 'POST', '/openvidu/api/sessions/BadBodies/connection', { role: 'KING' })).status).toBe(400);
    expect((await rest(server, 'POST', '/openvidu/api/sessions/BadBodies/connection', { customIceServers: [{ url: 'bad-ice-server' }] })).status).toBe(400);
    expect((await rest(server, 'POST', '/openvidu/api/signal', { session: 7 })).status).toBe(400);
  });

  it('an oversized body gives 413', async () => {
    const big = await rest(server, 'POST', '/openvidu/api/sessions', { customSessionId: 'Big', pad: 'x'.repeat(32 * 1024) });
    expect(big.status).toBe(413);
  });

  it('path tricks in ids are refused or not found, never resolved elsewhere', async () => {
    // Sent raw: "../config" must not reach GET /openvidu/api/config.
    expect(await rawRequest(server, 'GET', '/openvidu/api/sessions/../config')).toBe(404);
    expect(await rawRequest(server, 'DELETE', '/openvidu/api/sessions/Bystanders/../Bystanders')).toBe(404);
    for (const id of ['..%2Fconfig', '%2E%2E%2Fconfig', 'a%2Fb', 'Bystanders%00', 'Bystanders%2F..']) {
      expect(await rawRequest(server, 'GET', `/openvidu/api/sessions/${id}`)).toBe(404);
    }
    expect(await rawRequest(server, 'GET', '/openvidu/api/sessions/%E0%A4%A')).toBe(400);
    expect((await rest(server, 'POST', '/openvidu/api/sessions', { customSessionId: '../etc' })).status).toBe(400);
    expect((await rest(server, 'POST', '/openvidu/api/sessions', { customSessionId: 'a/b' })).status).toBe(400);
    // The bystander's session cannot be reached through an encoded id either.
    expect((await rest(server, 'DELETE', '/openvidu/api/sessions/Bystanders%2F..')).status).toBe(404);
    expect((await rest(server, 'GET', '/openvidu/api/sessions/Bystanders')).status).toBe(200);
  });

  it('test controls exist only when enabled', async () => {
    const plain = await startTestServer({ testControls: false });
    try {
      expect((await fetch(`${plain.url}/test/state`)).status).toBe(404);
    } finally {
      await plain.close();
    }
    expect((await fetch(`${server.url}/test/state`)).status).toBe(200);
  });
});
