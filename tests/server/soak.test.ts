// @vitest-environment node
// A bounded soak: signalling-only participants (raw JSON-RPC clients, no media) join, publish,
// unpublish and leave, in several sessions at once, for a fixed number of rounds. Every
// notification the protocol promises must arrive, exactly once, and afterwards the server must
// hold nothing and its memory must be back where it started.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { eventually, makeOffer, publishOffer, RpcClient, sessionWithTokens, startTestServer, testState, type TestServer } from './helpers.ts';

const SESSIONS = 4;
const PARTICIPANTS = 10;
const ROUNDS = 5;
// Heap after a full GC moves by a few MB between samples even with no leak (code compiled
// lazily, V8's own caches); a leak of the soak's size would be far above this: every round
// creates 40 participants, 40 server peer connections and 900 notifications.
const HEAP_TOLERANCE_BYTES = 10 * 1024 * 1024;

// The server runs in this process, so its heap is this process's heap. gc() is not exposed to a
// vitest worker by default; turning the flag on at run time and taking gc from a fresh context
// works in Node 20+ without a special vitest config for this one file.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

async function heapAfterGc(): Promise<number> {
  // Several passes with a turn of the event loop between: closed sockets and peer connections
  // release their last references in callbacks that run after the first collection.
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return process.memoryUsage().heapUsed;
}

const NOTIFICATIONS = ['participantJoined', 'participantPublished', 'participantUnpublished', 'participantLeft'] as const;

/** "method:connectionId" for each notification a client got, sorted: what an exact check compares. */
function received(client: RpcClient): string[] {
  return client
    .notifications()
    .map((m) => `${m.method ?? ''}:${String(m.params?.id ?? m.params?.connectionId ?? '')}`)
    .sort();
}

/**
 * One session for one round. Participants join one by one, all publish at once, every second one
 * unpublishes, then all leave one by one. Returns how many notifications were checked.
 */
async function soakSession(server: TestServer, sessionId: string, offer: string): Promise<number> {
  const tokens = await sessionWithTokens(server, sessionId, PARTICIPANTS);
  const members: { client: RpcClient; id: string }[] = [];
  for (const [i, token] of tokens.entries()) {
    const client = await RpcClient.open(server.wsUrl);
    members.push({ client, id: (await client.join(token, `P${i}`)).id as string });
  }
  await Promise.all(members.map((m) => publishOffer(m.client, offer)));
  const unpublishers = members.filter((_, i) => i % 2 === 1);
  for (const reply of await Promise.all(unpublishers.map((m) => m.client.call('unpublishVideo', {})))) {
    expect(reply.error).toBeUndefined();
  }
  for (const m of members) {
    expect((await m.client.call('leaveRoom', {})).error).toBeUndefined();
    m.client.close();
  }

  // A socket delivers in order, and each notification for a member was sent before that member's
  // own leaveRoom was answered, so by now every member has all it will ever get: compare exactly.
  let checked = 0;
  for (const [i, m] of members.entries()) {
    const others = members.filter((o) => o !== m);
    const expected = [
      ...members.slice(i + 1).map((o) => `participantJoined:${o.id}`),
      ...others.map((o) => `participantPublished:${o.id}`),
      ...unpublishers.filter((o) => o !== m).map((o) => `participantUnpublished:${o.id}`),
      ...members.slice(0, i).map((o) => `participantLeft:${o.id}`),
    ].sort();
    expect(received(m.client), `notifications of participant ${i} in ${sessionId}`).toEqual(expected);
    checked += expected.length;
  }
  return checked;
}

let server: TestServer;
let offerPc: Awaited<ReturnType<typeof makeOffer>>['pc'];
let offer: string;

beforeAll(async () => {
  server = await startTestServer();
  // One real werift offer for every publisher: the server answers each with a peer connection of
  // its own. Its candidates are removed so no server peer tries to reach this one: signalling only.
  const made = await makeOffer('sendonly');
  offerPc = made.pc;
  offer = made.sdp.split('\r\n').filter((line) => !line.startsWith('a=candidate')).join('\r\n');
});

afterAll(async () => {
  await offerPc?.close();
  await server?.close();
});

async function round(r: number): Promise<number> {
  const perSession = await Promise.all(Array.from({ length: SESSIONS }, (_, s) => soakSession(server, `Soak${s}_r${r}`, offer)));
  return perSession.reduce((a, b) => a + b, 0);
}

it(`${SESSIONS} sessions × ${PARTICIPANTS} participants × ${ROUNDS} rounds: every notification arrives, nothing is left, memory returns`, async () => {
  // A first round warms up code paths and lazily loaded modules, so the baseline is a steady heap.
  await round(0);
  await eventually(() => testState(server), (s) => s.openSockets === 0);
  const before = await heapAfterGc();

  let notifications = 0;
  for (let r = 1; r <= ROUNDS; r++) notifications += await round(r);

  const state = await eventually(
    () => testState(server),
    (s) => s.openSockets === 0 && s.counts.participants === 0 && s.counts.openPeerConnections === 0,
  );
  expect(state.counts).toMatchObject({ sessions: 0, participants: 0, publishers: 0, subscribers: 0, openPeerConnections: 0, pendingTokens: 0 });
  expect(state.openSockets).toBe(0);
  const after = await heapAfterGc();

  const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
  console.log(
    `soak: ${SESSIONS * PARTICIPANTS * ROUNDS} participants (${PARTICIPANTS} per session), ` +
      `${SESSIONS * ROUNDS} sessions, ${notifications} notifications checked ` +
      `(${NOTIFICATIONS.join(', ')}); heap after GC before ${mib(before)} MiB, after ${mib(after)} MiB`,
  );
  // Per session and round: joins heard by those already in (n(n-1)/2), each publish by all others
  // (n(n-1)), each unpublish by all others, each leave by those still in (n(n-1)/2).
  const n = PARTICIPANTS;
  expect(notifications).toBe(SESSIONS * ROUNDS * (2 * ((n * (n - 1)) / 2) + n * (n - 1) + Math.floor(n / 2) * (n - 1)));
  expect(after, `heap grew from ${mib(before)} MiB to ${mib(after)} MiB`).toBeLessThanOrEqual(before + HEAP_TOLERANCE_BYTES);
}, 90_000);
