// Figure 7: 50 join / leave cycles in one page, each seeing a remote publisher (so subscriber peer
// connections, stream actors and remote tiles come and go too). After the last leave: JS heap
// after a forced GC compared with after the first cycle (the first one loads openvidu-browser, so it
// is the fair "before"), peer connections the page still has open (RTCPeerConnection wrapper),
// <video> elements left, and participants / peer connections left on the server.
import type { Benchmark } from './context.ts';
import { reps } from './context.ts';
import { BareParticipant } from './bare.ts';
import {
  callPageUrl, clickJoin, newInstrumentedContext, openPeerConnections, round, serverCounts, sleep, waitForJoinForm, type Row,
} from './harness.ts';

export const leaksBench: Benchmark = {
  name: 'leaks',
  async run(ctx) {
    const cycles = reps(ctx, 50, 3);
    const sessionId = `bench-leaks-${Date.now()}`;
    const context = await newInstrumentedContext(ctx.browser);
    const remoteContext = await newInstrumentedContext(ctx.browser);
    try {
      const remote = await BareParticipant.open(remoteContext, ctx.origin, ctx.serverUrl);
      await remote.connect(sessionId, 'Remote');
      await remote.publish(false);
      const before = await serverCounts(ctx.serverUrl); // the remote publisher alone

      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      const heapAfterGc = async () => {
        await cdp.send('HeapProfiler.collectGarbage');
        await cdp.send('HeapProfiler.collectGarbage'); // a second pass frees what finalizers released
        return ((await cdp.send('Runtime.getHeapUsage')) as { usedSize: number }).usedSize / 2 ** 20;
      };
      await page.goto(callPageUrl(ctx.origin, ctx.serverUrl));
      await waitForJoinForm(page);
      const heapLoaded = await heapAfterGc();
      let heapFirst = Number.NaN;
      const started = Date.now();
      for (let i = 0; i < cycles; i++) {
        await clickJoin(page, sessionId, `Cycler${i}`);
        // In the call, own video playing and the remote's first frame decoded.
        await page.waitForFunction(() => {
          const own = document.querySelector<HTMLVideoElement>('.tiles [data-media-key="self"] video');
          const other = document.querySelector<HTMLVideoElement>('.tiles .video-tile:not([data-media-key="self"]) video');
          return !!own && own.readyState >= 2 && !!other && other.videoWidth > 0;
        }, undefined, { timeout: 20_000, polling: 50 });
        await page.getByRole('button', { name: 'Leave' }).click();
        await waitForJoinForm(page);
        if (i === 0) {
          await sleep(500);
          heapFirst = await heapAfterGc();
        }
      }
      const seconds = (Date.now() - started) / 1000;
      await sleep(1000); // let the last leave finish on both sides
      const heapLast = await heapAfterGc();
      const pcs = await openPeerConnections(page);
      const pcInfo = await page.evaluate(() => (window as unknown as { __benchPcInfo: () => unknown[] }).__benchPcInfo());
      const videos = await page.locator('video').count();
      const after = await serverCounts(ctx.serverUrl);
      const leftParticipants = after.participants - before.participants;
      const leftServerPcs = after.openPeerConnections - before.openPeerConnections;

      // Baseline: the bare openvidu-browser page doing the same cycles the tutorial's way
      // (connect, subscribe with the library's own <video>, publish, session.disconnect()).
      const bareCycles = Math.max(3, Math.round(cycles / 5)); // the baseline's growth per cycle, not a full leak run
      const bare = await BareParticipant.open(context, ctx.origin, ctx.serverUrl);
      const bareCdp = await context.newCDPSession(bare.page);
      const bareHeap = async () => {
        await bareCdp.send('HeapProfiler.collectGarbage');
        await bareCdp.send('HeapProfiler.collectGarbage');
        return ((await bareCdp.send('Runtime.getHeapUsage')) as { usedSize: number }).usedSize / 2 ** 20;
      };
      let bareFirst = Number.NaN;
      for (let i = 0; i < bareCycles; i++) {
        await bare.connect(sessionId, `BareCycler${i}`, { subscribe: true, withVideo: true });
        await bare.publish();
        await bare.page.waitForFunction(() => (document.querySelector<HTMLVideoElement>('#remote video')?.videoWidth ?? 0) > 0, undefined, { timeout: 20_000, polling: 50 });
        await bare.disconnect();
        await bare.page.waitForFunction(() => !document.querySelector('#remote video'), undefined, { timeout: 10_000, polling: 50 });
        if (i === 0) {
          await sleep(500);
          bareFirst = await bareHeap();
        }
      }
      await sleep(1000);
      const bareLast = await bareHeap();
      const barePcs = await openPeerConnections(bare.page);
      const bareGrowth = (bareLast - bareFirst) / Math.max(1, bareCycles - 1);
      await remote.disconnect();

      const growth = (heapLast - heapFirst) / Math.max(1, cycles - 1);
      const rows: Row[] = [
        {
          figure: '7 leaks', metric: `JS heap after GC: after cycle 1 → after cycle ${cycles}`, value: `${round(heapFirst, 2)} → ${round(heapLast, 2)}`, unit: 'MiB',
          note: `${round(heapLoaded, 2)} MiB after load, before any join; ${round(seconds / cycles, 1)} s per cycle`,
        },
        {
          figure: '7 leaks', metric: 'JS heap growth per cycle (after GC)', value: round(growth * 1024, 1), unit: 'KiB',
          baseline: round(bareGrowth * 1024, 1), ratio: round(growth / bareGrowth, 2),
          note: `baseline: bare page, ${bareCycles} cycles the tutorial's way, ${round(bareFirst, 2)} → ${round(bareLast, 2)} MiB`,
        },
        { figure: '7 leaks', metric: 'peer connections still open in the page', value: pcs, unit: '', goal: '0', met: pcs === 0, note: `bare page after its cycles: ${barePcs}` },
        { figure: '7 leaks', metric: '<video> elements left in the page', value: videos, unit: '', goal: '0', met: videos === 0 },
        { figure: '7 leaks', metric: 'participants left on the server', value: leftParticipants, unit: '', goal: '0', met: leftParticipants === 0, note: `server peer connections left: ${leftServerPcs}` },
      ];
      return { rows, details: { cycles, heapLoaded, heapFirst, heapLast, pcs, pcInfo, videos, before, after, bareCycles, bareFirst, bareLast, barePcs } };
    } finally {
      await context.close();
      await remoteContext.close();
    }
  },
};
