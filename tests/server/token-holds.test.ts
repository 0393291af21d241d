// @vitest-environment node
// The token-request test controls: with --test-controls a test can have the server hold a page's
// token request (POST /openvidu/api/sessions/<id>/connection), then answer it normally, with a
// token it has just revoked, with the 401 of a wrong secret, or not at all. Without the flag
// none of it exists and token requests are answered at once.
import { afterEach, expect, it } from 'vitest';
import { controlsOf, eventually, rest, RpcClient, startTestServer, type TestServer } from './helpers.ts';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A token request, once the server holds it (wrapped: an async function would await the answer). */
async function heldRequest(s: TestServer, sessionId: string): Promise<{ answer: Promise<Response> }> {
  const answer = rest(s, 'POST', `/openvidu/api/sessions/${sessionId}/connection`, {});
  answer.catch(() => undefined);
  await eventually(() => controlsOf(s).heldTokenRequests(sessionId), (n) => n === 1);
  return { answer };
}

it('holds token requests until released, then answers each as told', async () => {
  server = await startTestServer();
  const controls = controlsOf(server);
  expect((await rest(server, 'POST', '/openvidu/api/sessions', { customSessionId: 'Held' })).status).toBe(200);
  await controls.holdTokenRequests('Held', true);

  // Only the held session waits: another session's token request is answered at once.
  expect((await rest(server, 'POST', '/openvidu/api/sessions', { customSessionId: 'Other' })).status).toBe(200);
  expect((await rest(server, 'POST', '/openvidu/api/sessions/Other/connection', {})).status).toBe(200);
  expect(await controls.heldTokenRequests('Other')).toBe(0);

  // Normally: the token works.
  let pending = (await heldRequest(server, 'Held')).answer;
  await controls.releaseTokenRequest('Held', 'normally');
  const token = ((await (await pending).json()) as { token: string }).token;
  const client = await RpcClient.open(server.wsUrl);
  try {
    expect((await client.join(token, 'Alice')).id).toMatch(/^con_/);
  } finally {
    client.ws.terminate();
  }

  // Revoked: a token comes back, but its connection is gone and joining with it is refused.
  pending = (await heldRequest(server, 'Held')).answer;
  await controls.releaseTokenRequest('Held', 'revoked');
  const revoked = (await (await pending).json()) as { token: string; connectionId: string };
  expect((await rest(server, 'GET', `/openvidu/api/sessions/Held/connection/${revoked.connectionId}`)).status).toBe(404);
  const late = await RpcClient.open(server.wsUrl);
  try {
    expect((await late.call('joinRoom', { token: revoked.token, session: 'Held', platform: 'test', metadata: '{}', secret: '', recorder: false })).error).toBeDefined();
  } finally {
    late.ws.terminate();
  }

  // Wrong secret: the 401 a wrong secret gets.
  pending = (await heldRequest(server, 'Held')).answer;
  await controls.releaseTokenRequest('Held', 'wrongSecret');
  const refused = await pending;
  expect(refused.status).toBe(401);
  expect(refused.headers.get('www-authenticate')).toBe('Basic realm="OpenVidu"');

  // Dropped, or still held when holding stops: no answer, the connection is closed.
  pending = (await heldRequest(server, 'Held')).answer;
  await controls.holdTokenRequests('Held', false);
  await expect(pending).rejects.toThrow();
  expect(await controls.heldTokenRequests('Held')).toBe(0);

  // Nothing held any more: answered at once; releasing with none held is a 404.
  expect((await rest(server, 'POST', '/openvidu/api/sessions/Held/connection', {})).status).toBe(200);
  await expect(controls.releaseTokenRequest('Held', 'normally')).rejects.toThrow(/404/);
});

it('does not exist without --test-controls', async () => {
  server = await startTestServer({ testControls: false });
  expect((await fetch(`${server.url}/test/sessions/Held/token-requests`)).status).toBe(404);
});
