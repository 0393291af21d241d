// @vitest-environment node
// Issue 14, attacks through media signalling: offers with hundreds of m-lines (2), ICE candidates
// without bounds (5), and a publisher unsubscribing from itself (10). After each attack the server
// must still serve two honest participants.
import { afterEach, describe, expect, it } from 'vitest';
import {
  eventually,
  expectServerStillServes,
  makeOffer,
  memoryAfterGc,
  MiB,
  mib,
  publish,
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

async function joined(s: TestServer, sessionId: string, count: number): Promise<{ client: RpcClient; id: string }[]> {
  const tokens = await sessionWithTokens(s, sessionId, count);
  const out: { client: RpcClient; id: string }[] = [];
  for (const [i, token] of tokens.entries()) {
    const client = await RpcClient.open(s.wsUrl);
    clients.push(client);
    out.push({ client, id: (await client.join(token, `P${i}`)).id as string });
  }
  return out;
}

afterEach(async () => {
  for (const client of clients.splice(0)) client.ws.terminate();
  for (const pc of peers.splice(0)) await pc.close();
  for (const s of started.splice(0)) await s.close();
});

/** An offer with `copies` audio sections and no BUNDLE, built from a real werift offer. */
async function manySectionOffer(direction: 'sendonly' | 'recvonly', copies: number): Promise<string> {
  const { sdp, pc } = await makeOffer(direction);
  peers.push(pc);
  const [head, ...sections] = sdp.split(/\r\n(?=m=)/);
  const audio = sections.find((m) => m.startsWith('m=audio')) as string;
  const body = Array.from({ length: copies }, (_, i) => audio.replace(/a=mid:\S+/, `a=mid:${i}`).replace(/^a=candidate.*$/gm, ''));
  return [(head as string).replace(/^a=group:BUNDLE.*\r\n/m, ''), ...body].join('\r\n').replace(/\r\n\r\n/g, '\r\n');
}

describe('2: offers with many m-lines', () => {
  it('a publisher offer with 40 audio sections and no BUNDLE is refused before any socket opens', async () => {
    const s = await server();
    const [attacker] = await joined(s, 'ManyLines', 1);
    const offer = await manySectionOffer('sendonly', 40);
    const started = performance.now();
    const reply = await attacker!.client.call('publishVideo', { sdpOffer: offer, hasAudio: true, hasVideo: false, audioActive: true, videoActive: false });
    console.log(`2: publishVideo with 40 m-lines answered in ${(performance.now() - started).toFixed(0)} ms (${reply.error ? `error ${reply.error.code}` : 'accepted'})`);
    expect(reply.error, 'a 40-m-line offer was accepted').toBeDefined();
    expect((await testState(s)).counts.openPeerConnections).toBe(0);
    // Two video sections in one BUNDLE are refused too.
    const { sdp, pc } = await makeOffer('sendonly');
    peers.push(pc);
    const video = sdp.split(/\r\n(?=m=)/).find((m) => m.startsWith('m=video')) as string;
    const twoVideos = `${sdp}\r\n${video.replace(/a=mid:\S+/, 'a=mid:9')}`.replace(/\r\n\r\n/g, '\r\n');
    expect((await attacker!.client.call('publishVideo', { sdpOffer: twoVideos, hasAudio: true, hasVideo: true })).error).toBeDefined();
    // The honest offer (one audio, one video, BUNDLE) still publishes.
    await publish(attacker!.client);
    await expectServerStillServes(s);
  });

  it('a subscriber offer with 40 sections is refused too', async () => {
    const s = await server();
    const [publisher, viewer] = await joined(s, 'ManyLinesSub', 2);
    const { streamId, pc } = await publish(publisher!.client);
    peers.push(pc);
    const offer = await manySectionOffer('recvonly', 40);
    const reply = await viewer!.client.call('receiveVideoFrom', { sender: streamId, sdpOffer: offer });
    expect(reply.error, 'a 40-m-line subscriber offer was accepted').toBeDefined();
    expect((await testState(s)).counts.openPeerConnections).toBe(1);
    await expectServerStillServes(s);
  });
});

const CANDIDATE = 'candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host generation 0';
/** A candidate of about `bytes` bytes: real fields, then padding an attacker would add. */
const padded = (bytes: number) => `${CANDIDATE} ${'x'.repeat(Math.max(0, bytes - CANDIDATE.length - 1))}`;

/** Sends many onIceCandidate frames without waiting for each reply, then one ping: all were handled by then. */
async function flood(client: RpcClient, frames: Iterable<{ endpointName: string; candidate: string }>): Promise<void> {
  let id = 1_000_000;
  for (const f of frames) {
    client.sendRaw(JSON.stringify({ jsonrpc: '2.0', method: 'onIceCandidate', params: { ...f, sdpMid: '0', sdpMLineIndex: 0 }, id: id++ }));
  }
  await client.call('ping');
  client.messages.length = 0;
}

describe('5: ICE candidates without bounds', () => {
  it('a huge candidate is refused', async () => {
    const s = await server();
    const [attacker] = await joined(s, 'HugeCandidate', 1);
    const reply = await attacker!.client.call('onIceCandidate', { endpointName: 'con_Nobody1234', candidate: padded(50_000), sdpMid: '0', sdpMLineIndex: 0 });
    expect(reply.error, 'a 50 kB candidate was accepted').toBeDefined();
    await expectServerStillServes(s);
  });

  it('early candidates for endless endpoint names stay bounded', async () => {
    const s = await server({ limits: { pendingEndpointsPerParticipant: 4 } });
    const [attacker] = await joined(s, 'ManyNames', 1);
    const before = await memoryAfterGc();
    // Made one by one as they are sent, so the test itself holds none of them when memory is read.
    function* frames() {
      for (let name = 0; name < 150; name++) for (let i = 0; i < 64; i++) yield { endpointName: `con_Fake${name}`, candidate: padded(1000) };
    }
    await flood(attacker!.client, frames());
    const after = await memoryAfterGc();
    console.log(`5: 150 names × 64 candidates of 1 kB: memory after GC ${mib(before)} → ${mib(after)} MiB`);
    expect(after - before, `memory grew by ${mib(after - before)} MiB`).toBeLessThan(4 * MiB);
    await expectServerStillServes(s);
  });

  it('candidates for a prepared, never answered subscription stay bounded', async () => {
    const s = await server({ subscribeFlow: 'server-offer', limits: { iceCandidatesPerEndpoint: 16 } });
    const [publisher, viewer] = await joined(s, 'Unanswered', 2);
    const { streamId, pc } = await publish(publisher!.client);
    peers.push(pc);
    expect((await viewer!.client.call('prepareReceiveVideoFrom', { sender: streamId })).result?.sdpOffer).toBeDefined();
    const before = await memoryAfterGc();
    function* frames() {
      for (let i = 0; i < 8000; i++) yield { endpointName: publisher!.id, candidate: padded(1000) };
    }
    await flood(viewer!.client, frames());
    const after = await memoryAfterGc();
    console.log(`5: 8000 candidates of 1 kB on an unanswered subscription: memory after GC ${mib(before)} → ${mib(after)} MiB`);
    expect(after - before, `memory grew by ${mib(after - before)} MiB`).toBeLessThan(4 * MiB);
    await expectServerStillServes(s);
  });
});

describe('10: a publisher unsubscribing from itself', () => {
  it('is refused, its publisher leg stays, and new subscribers still get the stream', async () => {
    const s = await server();
    const [owner, viewer] = await joined(s, 'SelfUnsub', 2);
    const { streamId, pc } = await publish(owner!.client);
    peers.push(pc);
    expect((await owner!.client.call('unsubscribeFromVideo', { sender: owner!.id })).error, 'unsubscribing from itself was accepted').toBeDefined();
    expect((await owner!.client.call('unsubscribeFromVideo', { sender: streamId })).error).toBeDefined();
    const { sdp, pc: viewerPc } = await makeOffer('recvonly');
    peers.push(viewerPc);
    const reply = await viewer!.client.call('receiveVideoFrom', { sender: streamId, sdpOffer: sdp });
    expect(reply.error, `a new subscriber got ${JSON.stringify(reply.error)}`).toBeUndefined();
    const endpoints = (await testState(s)).endpoints;
    expect(endpoints.filter((e) => e.kind === 'publisher')).toHaveLength(1);
    await eventually(() => testState(s), (st) => st.counts.publishers === 1);
    await expectServerStillServes(s);
  });
});
