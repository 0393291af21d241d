// @vitest-environment node
// Issue 14, signal amplification (4): one sendMessage naming the same recipient a thousand times,
// data far larger than a signal needs, and a recipient that reads slowly while the server queues.
// After each attack the server must still serve two honest participants.
import { afterEach, describe, expect, it } from 'vitest';
import {
  capturingLogger,
  eventually,
  expectServerStillServes,
  memoryAfterGc,
  MiB,
  mib,
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

async function pair(s: TestServer, sessionId: string): Promise<{ attacker: RpcClient; victim: RpcClient; victimId: string }> {
  const [tokenA, tokenV] = await sessionWithTokens(s, sessionId, 2);
  const attacker = await RpcClient.open(s.wsUrl);
  const victim = await RpcClient.open(s.wsUrl);
  clients.push(attacker, victim);
  await attacker.join(tokenA as string, 'Attacker');
  const victimId = (await victim.join(tokenV as string, 'Victim')).id as string;
  return { attacker, victim, victimId };
}

afterEach(async () => {
  for (const client of clients.splice(0)) client.ws.terminate();
  for (const s of started.splice(0)) await s.close();
});

describe('4: signal amplification', () => {
  it('a recipient named 1,000 times gets the signal once', async () => {
    const s = await server();
    const { attacker, victim, victimId } = await pair(s, 'Amplify');
    const reply = await attacker.call('sendMessage', { message: JSON.stringify({ to: Array(1000).fill(victimId), data: 'x'.repeat(1000), type: 'signal:a' }) });
    expect(reply.error).toBeUndefined();
    await victim.call('ping');
    expect(victim.notifications('sendMessage').length, 'the victim got the signal more than once').toBe(1);
    // The same through REST /signal.
    expect((await rest(s, 'POST', '/openvidu/api/signal', { session: 'Amplify', to: Array(1000).fill(victimId), data: 'y', type: 'signal:b' })).status).toBe(200);
    await victim.call('ping');
    expect(victim.notifications('sendMessage').filter((m) => m.params?.type === 'signal:b')).toHaveLength(1);
    await expectServerStillServes(s);
  });

  it('signal data over the limit is refused on both doors', async () => {
    // A body limit above the signal limit, so it is the signal limit that refuses on REST too.
    const s = await server({ maxBodyBytes: 256 * 1024 });
    const { attacker, victim, victimId } = await pair(s, 'BigSignal');
    const reply = await attacker.call('sendMessage', { message: JSON.stringify({ to: [victimId], data: 'x'.repeat(100_000), type: 'signal' }) });
    expect(reply.error?.code, 'a 100 kB signal was relayed').toBe(600);
    expect((await rest(s, 'POST', '/openvidu/api/signal', { session: 'BigSignal', to: [victimId], data: 'x'.repeat(100_000) })).status).toBe(400);
    await victim.call('ping');
    expect(victim.notifications('sendMessage')).toHaveLength(0);
    await expectServerStillServes(s);
  });

  it('a recipient that does not read is cut off once too much is queued for it, and the log says so', async () => {
    const { lines, logger } = capturingLogger();
    const s = await server({ logger, maxFrameBytes: 256 * 1024 });
    const { attacker, victim, victimId } = await pair(s, 'SlowReader');
    victim.ws.pause();
    const before = await memoryAfterGc();
    const message = JSON.stringify({ to: [victimId], data: 'z'.repeat(60_000), type: 'signal' });
    for (let i = 0; i < 600; i++) attacker.sendRaw(JSON.stringify({ jsonrpc: '2.0', method: 'sendMessage', params: { message }, id: 10_000 + i }));
    await attacker.call('ping');
    attacker.messages.length = 0;
    const after = await memoryAfterGc();
    console.log(`4: 600 signals of 60 kB to a paused reader: memory after GC ${mib(before)} → ${mib(after)} MiB`);
    const state = (await testState(s)) as unknown as { sessions: { participants: { id: string; connected: boolean }[] }[] };
    const victimState = state.sessions.flatMap((x) => x.participants).find((p) => p.id === victimId);
    expect(victimState?.connected ?? false, 'the slow socket was kept').toBe(false);
    expect(lines.some((l) => l.includes(victimId) && /queued|slow/i.test(l))).toBe(true);
    expect(after - before, `memory grew by ${mib(after - before)} MiB`).toBeLessThan(10 * MiB);
    victim.ws.terminate();
    await eventually(() => testState(s), (st) => st.openSockets === 1);
    await expectServerStillServes(s);
  });
});
