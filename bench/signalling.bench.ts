// Figure 8: signalling only, no media. (a) How many joins per second the server sustains: many
// `ws` clients, a bounded number at a time, each doing what a browser does to join (token by REST,
// open the socket, joinRoom), all staying joined in sessions of 20 so every join also fans out
// participantJoined. (b) Notification latency with 50 participants in one session: one sends a
// signal to all, and one more joins, and we time how long until the others hear of it. The server
// runs in a process of its own, so the clients' work does not slow it down.
import type { Benchmark } from './context.ts';
import { reps } from './context.ts';
import { createToken, procUsage, round, startChildServer, stats, type Row } from './harness.ts';
import { RpcClient } from './rpc-client.ts';

async function join(serverUrl: string, sessionId: string, nickname: string): Promise<RpcClient> {
  const token = await createToken(serverUrl, sessionId);
  const client = await RpcClient.open(token);
  await client.joinRoom(token, nickname);
  return client;
}

export const signallingBench: Benchmark = {
  name: 'signalling',
  async run(ctx) {
    const server = await startChildServer();
    const rows: Row[] = [];
    try {
      // (a) throughput
      const total = reps(ctx, 300, 40);
      const concurrency = 20;
      const clients: RpcClient[] = [];
      const latencies: number[] = [];
      let next = 0;
      const cpu0 = procUsage(server.pid);
      const t0 = performance.now();
      await Promise.all(Array.from({ length: concurrency }, async () => {
        while (next < total) {
          const i = next++;
          const start = performance.now();
          clients.push(await join(server.url, `bench-scale-${Math.floor(i / 20)}`, `Ws${i}`));
          latencies.push(performance.now() - start);
        }
      }));
      const seconds = (performance.now() - t0) / 1000;
      const cpu1 = procUsage(server.pid);
      await Promise.all(clients.map((c) => c.leave()));
      const lat = stats(latencies);
      rows.push(
        { figure: '8 signalling', metric: `joins per second (${total} ws clients, ${concurrency} at a time, sessions of 20; REST token + socket + joinRoom)`, value: round(total / seconds, 0), unit: '/s', note: `server CPU ${round((100 * (cpu1.cpuSeconds - cpu0.cpuSeconds)) / seconds, 0)} % of a core meanwhile` },
        { figure: '8 signalling', metric: 'join latency under that load (median)', value: round(lat.median, 1), unit: 'ms', note: `p95 ${round(lat.p95, 1)} ms` },
        { figure: '8 signalling', metric: 'server CPU per join', value: round((1000 * (cpu1.cpuSeconds - cpu0.cpuSeconds)) / total, 2), unit: 'ms', note: '/proc ticks are 10 ms, so ±10 ms over the whole phase' },
      );

      // (b) fan-out latency at 50 participants
      const size = 50;
      const members: RpcClient[] = [];
      for (let i = 0; i < size; i++) members.push(await join(server.url, 'bench-fanout', `Fan${i}`));
      const signalDelays: number[] = [];
      const signalAll: number[] = [];
      const joinDelays: number[] = [];
      const joinAll: number[] = [];
      const rounds = reps(ctx, 20, 5);
      for (let r = 0; r < rounds; r++) {
        // A signal to everyone (to: [] includes the sender, as on the real server).
        const heard = new Map<RpcClient, number>();
        const allHeard = new Promise<void>((resolve) => {
          for (const m of members) m.onNotification = (method, _p, at) => {
            if (method === 'sendMessage' && !heard.has(m)) heard.set(m, at);
            if (heard.size === members.length) resolve();
          };
        });
        const sent = performance.now();
        await members[r % size]?.signal(`round ${r}`);
        await Promise.race([allHeard, new Promise((resolve) => setTimeout(resolve, 5000))]);
        const delays = [...heard.values()].map((at) => at - sent);
        signalDelays.push(...delays);
        signalAll.push(heard.size === members.length ? Math.max(...delays) : Number.NaN);

        // One more joins: how long until the 50 hear participantJoined.
        const joined = new Map<RpcClient, number>();
        const allJoined = new Promise<void>((resolve) => {
          for (const m of members) m.onNotification = (method, _p, at) => {
            if (method === 'participantJoined' && !joined.has(m)) joined.set(m, at);
            if (joined.size === members.length) resolve();
          };
        });
        const token = await createToken(server.url, 'bench-fanout');
        const newcomer = await RpcClient.open(token);
        const joinSent = performance.now();
        await newcomer.joinRoom(token, `New${r}`);
        await Promise.race([allJoined, new Promise((resolve) => setTimeout(resolve, 5000))]);
        const jd = [...joined.values()].map((at) => at - joinSent);
        joinDelays.push(...jd);
        joinAll.push(joined.size === members.length ? Math.max(...jd) : Number.NaN);
        await newcomer.leave();
      }
      await Promise.all(members.map((m) => m.leave()));
      const sd = stats(signalDelays);
      const jd = stats(joinDelays);
      rows.push(
        { figure: '8 signalling', metric: `signal to all at ${size} participants: send → each receipt (median; ${rounds} rounds)`, value: round(sd.median, 1), unit: 'ms', note: `p95 ${round(sd.p95, 1)} ms; last of ${size} median ${round(stats(signalAll).median, 1)} ms` },
        { figure: '8 signalling', metric: `join at ${size} participants: joinRoom sent → each participantJoined (median)`, value: round(jd.median, 1), unit: 'ms', note: `p95 ${round(jd.p95, 1)} ms; last of ${size} median ${round(stats(joinAll).median, 1)} ms` },
      );
      return { rows, details: { latencies, signalDelays, joinDelays } };
    } finally {
      await server.close();
    }
  },
};
