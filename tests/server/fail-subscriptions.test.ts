// @vitest-environment node
// The test control that makes one participant's next subscriptions fail, as a media server that
// cannot set up an endpoint would: the page tests use it to break one remote stream for one person.
import { afterEach, expect, it } from 'vitest';
import { controlsOf, makeOffer, publish, RpcClient, sessionWithTokens, startTestServer, testState, type TestServer } from './helpers.ts';

let server: TestServer | undefined;
const clients: RpcClient[] = [];
const closers: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.ws.terminate();
  for (const close of closers.splice(0)) await close();
  await server?.close();
  server = undefined;
});

async function joined(url: string, token: string, nickname: string): Promise<{ client: RpcClient; id: string }> {
  const client = await RpcClient.open(url);
  clients.push(client);
  return { client, id: (await client.join(token, nickname)).id as string };
}

async function receive(client: RpcClient, sender: string) {
  const { sdp, pc } = await makeOffer('recvonly');
  closers.push(() => pc.close());
  return client.call('receiveVideoFrom', { sender, sdpOffer: sdp });
}

function failSubscriptions(connectionId: string, body?: unknown): Promise<Response> {
  return controlsOf(server!).call('POST', `/test/connections/${connectionId}/fail-subscriptions`, body);
}

it('refuses only that participant\'s next subscription, with an SDP error, then subscribes again', async () => {
  server = await startTestServer();
  const [ta, tb, tc] = await sessionWithTokens(server, 'Faulty', 3);
  const alice = await joined(server.wsUrl, ta as string, 'Alice');
  const bob = await joined(server.wsUrl, tb as string, 'Bob');
  const carol = await joined(server.wsUrl, tc as string, 'Carol');
  const { streamId, pc } = await publish(bob.client);
  closers.push(() => pc.close());

  expect((await failSubscriptions(alice.id)).status).toBe(204);
  const refused = await receive(alice.client, streamId);
  expect(refused.error).toEqual({ code: 302, message: `SDP error: could not set up the subscription to ${streamId}` });
  expect((await receive(carol.client, streamId)).result?.sdpAnswer).toEqual(expect.any(String));
  const state = await testState(server);
  expect(state.counts.subscribers).toBe(1);

  // One refusal by default: the next attempt (a retry) works.
  expect((await receive(alice.client, streamId)).result?.sdpAnswer).toEqual(expect.any(String));
});

it('takes a count, 0 lifts it, and bad bodies or unknown participants get 400 and 404', async () => {
  server = await startTestServer();
  const [ta, tb] = await sessionWithTokens(server, 'Counted', 2);
  const alice = await joined(server.wsUrl, ta as string, 'Alice');
  const bob = await joined(server.wsUrl, tb as string, 'Bob');
  const { streamId, pc } = await publish(bob.client);
  closers.push(() => pc.close());

  expect((await failSubscriptions(alice.id, { count: 2 })).status).toBe(204);
  expect((await receive(alice.client, streamId)).error?.code).toBe(302);
  expect((await receive(alice.client, streamId)).error?.code).toBe(302);
  expect((await receive(alice.client, streamId)).error).toBeUndefined();

  expect((await failSubscriptions(alice.id, { count: 5 })).status).toBe(204);
  expect((await failSubscriptions(alice.id, { count: 0 })).status).toBe(204);
  expect((await receive(alice.client, streamId)).error).toBeUndefined();

  for (const count of [-1, 1.5, 'two', 1001]) expect((await failSubscriptions(alice.id, { count })).status).toBe(400);
  expect((await failSubscriptions('con_NOBODY')).status).toBe(404);
});

it('refuses prepareReceiveVideoFrom too, where the server makes the offer (mediasoup flow)', async () => {
  server = await startTestServer({ subscribeFlow: 'server-offer' });
  const [ta, tb] = await sessionWithTokens(server, 'ServerOffer', 2);
  const alice = await joined(server.wsUrl, ta as string, 'Alice');
  const bob = await joined(server.wsUrl, tb as string, 'Bob');
  const { streamId, pc } = await publish(bob.client);
  closers.push(() => pc.close());
  expect((await failSubscriptions(alice.id)).status).toBe(204);
  expect((await alice.client.call('prepareReceiveVideoFrom', { sender: streamId })).error?.code).toBe(302);
  expect((await alice.client.call('prepareReceiveVideoFrom', { sender: streamId })).result?.sdpOffer).toEqual(expect.any(String));
});
