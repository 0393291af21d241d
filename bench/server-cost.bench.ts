// Figure 5: the local server's own cost (a child process, read from /proc: CPU as % of one core,
// RSS) with one 640x480@30 publisher (camera + microphone) and 1, 4, 8 and 16 subscribers, and the
// cost per extra subscriber (least-squares slope). Subscribers are bare openvidu-browser pages
// without a <video> (the server forwards the same RTP either way, and the browser is spared the
// rendering); each is checked to be decoding frames before a level is measured.
import type { Benchmark } from './context.ts';
import { reps } from './context.ts';
import { BareParticipant } from './bare.ts';
import { newInstrumentedContext, procUsage, round, sleep, startChildServer, waitFor, type Row } from './harness.ts';

const LEVELS = [1, 4, 8, 16];

async function sampleCpu(pid: number, seconds: number): Promise<{ cpu: number; rss: number }> {
  const a = procUsage(pid);
  const t0 = performance.now();
  await sleep(seconds * 1000);
  const b = procUsage(pid);
  return { cpu: (100 * (b.cpuSeconds - a.cpuSeconds)) / ((performance.now() - t0) / 1000), rss: b.rssMiB };
}

function slope(points: { x: number; y: number }[]): number {
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const num = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  const den = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  return num / den;
}

export const serverCostBench: Benchmark = {
  name: 'server-cost',
  async run(ctx) {
    const window = reps(ctx, 6, 3); // seconds per level: CPU ticks are 10 ms, so 6 s gives ±0.2 %
    const server = await startChildServer();
    const context = await newInstrumentedContext(ctx.browser);
    const publisherContext = await newInstrumentedContext(ctx.browser);
    const sessionId = `bench-server-cost-${Date.now()}`;
    const rows: Row[] = [];
    const levels: { subscribers: number; decoding: number; cpu: number; rss: number; fps: number; sentFps: number; size: string; kbps: number }[] = [];
    try {
      await sleep(1000);
      const idle = await sampleCpu(server.pid, window);
      const publisher = await BareParticipant.open(publisherContext, ctx.origin, server.url);
      await publisher.connect(sessionId, 'Publisher');
      await publisher.publish(true);
      await sleep(2000);
      const alone = await sampleCpu(server.pid, window);

      const subscribers: BareParticipant[] = [];
      for (const level of LEVELS) {
        while (subscribers.length < level) {
          const s = await BareParticipant.open(context, ctx.origin, server.url);
          await s.connect(sessionId, `Sub${subscribers.length}`, { subscribe: true, withVideo: false });
          subscribers.push(s);
        }
        // On a loaded 2-core machine not every Chromium subscriber may get going: measure anyway and
        // say how many were decoding.
        const decoding = await waitFor(`${level} subscribers decoding`, async () => {
          const frames = await Promise.all(subscribers.map((s) => s.framesDecoded()));
          return frames.every((f) => f > 0) && frames.length;
        }, 20_000, 250).catch(async () => (await Promise.all(subscribers.map((s) => s.framesDecoded()))).filter((f) => f > 0).length);
        await sleep(2000); // past the keyframe requests and bandwidth ramp of the newcomers
        // Frame counts around the CPU window: the publisher must really send 640x480@30, and the
        // subscribers must really get it, for the figure to mean what it says.
        const sent0 = await publisher.sent();
        const before = await Promise.all(subscribers.map((s) => s.framesDecoded()));
        const t0 = performance.now();
        const sample = await sampleCpu(server.pid, window);
        const sent1 = await publisher.sent();
        const after = await Promise.all(subscribers.map((s) => s.framesDecoded()));
        const elapsed = (performance.now() - t0) / 1000;
        const fps = after.reduce((sum, f, i) => sum + (f - (before[i] ?? 0)), 0) / subscribers.length / elapsed;
        const sentFps = (sent1.frames - sent0.frames) / elapsed;
        const kbps = (8 * (sent1.bytes - sent0.bytes)) / elapsed / 1000;
        const size = `${sent1.width}x${sent1.height}`;
        levels.push({ subscribers: level, decoding, ...sample, fps, sentFps, size, kbps });
        ctx.log(`server-cost: ${level} subscribers: ${round(sample.cpu)} % CPU, ${round(sample.rss)} MiB, sent ${size}@${round(sentFps, 0)}, ${round(fps)} fps decoded per subscriber`);
      }
      await Promise.all([publisher, ...subscribers].map((p) => p.disconnect().catch(() => undefined)));

      // Only levels where the media really flowed count for the slope: every subscriber decoding,
      // and the publisher sending at least 20 fps. Others are shown but left out, and said so.
      const valid = levels.filter((l) => l.decoding === l.subscribers && l.sentFps >= 20);
      const left = levels.filter((l) => !valid.includes(l)).map((l) => l.subscribers);
      const perSubscriber = valid.length >= 2 ? slope(valid.map((l) => ({ x: l.subscribers, y: l.cpu }))) : Number.NaN;
      const rssPerSubscriber = valid.length >= 2 ? slope(valid.map((l) => ({ x: l.subscribers, y: l.rss }))) : Number.NaN;
      rows.push({ figure: '5 server cost', metric: 'idle server', value: round(idle.cpu), unit: '% core', note: `RSS ${round(idle.rss, 0)} MiB` });
      rows.push({ figure: '5 server cost', metric: 'one publisher, no subscriber', value: round(alone.cpu), unit: '% core', note: `RSS ${round(alone.rss, 0)} MiB` });
      for (const l of levels) {
        rows.push({ figure: '5 server cost', metric: `one publisher, ${l.subscribers} subscriber${l.subscribers > 1 ? 's' : ''}`, value: round(l.cpu), unit: '% core', note: `${l.decoding < l.subscribers ? `only ${l.decoding} of ${l.subscribers} decoding within 20 s; ` : ''}RSS ${round(l.rss, 0)} MiB; publisher sends ${l.size} at ${round(l.sentFps, 0)} fps, ${round(l.kbps, 0)} kbit/s video; subscribers decode ${round(l.fps, 0)} fps each` });
      }
      rows.push({
        figure: '5 server cost', metric: `per extra subscriber (slope over ${valid.map((l) => l.subscribers).join(', ')} subscribers; one forwarded audio+video stream each)`, value: round(perSubscriber, 2), unit: '% core',
        goal: '≤ 1 % core', met: perSubscriber <= 1,
        note: `RSS ${round(rssPerSubscriber, 2)} MiB per subscriber; ${window} s per level${left.length ? `; left out (media not flowing on this loaded machine): ${left.join(', ')}` : ''}`,
      });
      return { rows, details: { idle, alone, levels } };
    } finally {
      await context.close();
      await publisherContext.close();
      await server.close();
    }
  },
};
