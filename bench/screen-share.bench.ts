// Figure: a shared screen's first frame at the other participant, from the click on Share screen.
// Two call pages in one session; the sharer clicks Share screen (Chromium's fake picker answers at
// once, so the picker's own time is not in these figures: a person's is seconds), and the viewer's
// page presents the screen's first frame (requestVideoFrameCallback on its tile). Epoch times in
// each page, so the two compare directly. Split at the sharer's publishVideo answer on its screen
// connection: the sharer's side (picker, token, second connection, publish) and the viewer's
// (notification, subscribe, ICE + DTLS, keyframe).
import type { Benchmark } from './context.ts';
import { reps } from './context.ts';
import { callPageUrl, clickJoin, newInstrumentedContext, readMarks, round, stats, waitFor, waitForJoinForm, type Row } from './harness.ts';

const SCREEN_TILE = '.tiles .video-tile[data-screen="true"]';

export const screenShareBench: Benchmark = {
  name: 'screen-share',
  async run(ctx) {
    const n = reps(ctx, 8, 2);
    const sessionId = `bench-screen-${Date.now()}`;
    const sharerContext = await newInstrumentedContext(ctx.browser);
    const viewerContext = await newInstrumentedContext(ctx.browser);
    try {
      const viewer = await viewerContext.newPage();
      const sharer = await sharerContext.newPage();
      for (const [page, name] of [[viewer, 'Viewer'], [sharer, 'Sharer']] as const) {
        await page.goto(callPageUrl(ctx.origin, ctx.serverUrl));
        await waitForJoinForm(page);
        await clickJoin(page, sessionId, name);
        await page.waitForSelector('main[data-screen="call"] .tiles .video-tile[data-media-key="self"]', { timeout: 30_000 });
      }
      const share = sharer.getByRole('button', { name: 'Share screen', exact: true });
      const total: number[] = [];
      const sharerSide: number[] = [];
      const viewerSide: number[] = [];
      // The viewer's side, split as figure 2 splits a camera's: the notification, the subscribe
      // request, the server's SDP answer, ICE + DTLS, the first frame.
      const toNotified: number[] = [];
      const toSubscribe: number[] = [];
      const toAnswer: number[] = [];
      const toConnected: number[] = [];
      const toFrame: number[] = [];
      for (let i = -1; i < n; i++) {
        const clicked = await sharer.evaluate(() => {
          const at = performance.timeOrigin + performance.now();
          [...document.querySelectorAll('button')].find((b) => b.textContent?.trim().endsWith('Share screen'))?.click();
          return at;
        });
        const key = await waitFor('the screen tile at the viewer', () => viewer.locator(SCREEN_TILE).first().getAttribute('data-media-key').catch(() => null), 30_000);
        const frame = await waitFor('the screen\'s first frame at the viewer', async () => (await readMarks(viewer)).remoteFrames.find((f) => f.key === key)?.epoch, 30_000, 20);
        const published = (await readMarks(sharer)).rpc.filter((r) => r.method === 'publishVideo').at(-1)?.answeredEpoch ?? Number.NaN;
        if (i >= 0) {
          total.push(frame - clicked);
          sharerSide.push(published - clicked);
          viewerSide.push(frame - published);
          const v = await readMarks(viewer);
          const notified = v.rpc.filter((r) => r.method === 'notify:participantPublished').at(-1)?.epoch ?? Number.NaN;
          const request = v.rpc.filter((r) => r.method === 'receiveVideoFrom').at(-1);
          const sent = request?.epoch ?? Number.NaN;
          const answered = request?.answeredEpoch ?? Number.NaN;
          const connected = v.pcs.filter((pc) => pc.created <= sent).at(-1)?.connected ?? Number.NaN;
          toNotified.push(notified - published);
          toSubscribe.push(sent - notified);
          toAnswer.push(answered - sent);
          toConnected.push(connected - answered);
          toFrame.push(frame - connected);
        }
        await share.click();
        await waitFor('the screen tile to go', () => viewer.locator(SCREEN_TILE).count().then((c) => c === 0), 15_000);
      }
      const t = stats(total);
      const rows: Row[] = [
        {
          figure: 'screen share', metric: `Share screen click → first screen frame at the other participant (median; p95 ${round(t.p95, 0)}; n ${t.n})`,
          value: round(t.median, 0), unit: 'ms', note: 'fake picker (answers at once); a person\'s picker adds their own seconds',
        },
        { figure: 'screen share', metric: '… click → screen published (picker, token, second connection, publishVideo answered) (median)', value: round(stats(sharerSide).median, 0), unit: 'ms' },
        { figure: 'screen share', metric: '… published → first frame at the viewer (notify, subscribe, ICE + DTLS, keyframe) (median)', value: round(stats(viewerSide).median, 0), unit: 'ms' },
        ...([
          ['published → participantPublished at the viewer', toNotified],
          ['→ viewer sends its subscribe request', toSubscribe],
          ['→ SDP answer', toAnswer],
          ['→ peer connection connected (ICE + DTLS)', toConnected],
          ['→ first frame presented (the keyframe)', toFrame],
        ] as const).map(([what, xs]): Row => ({
          figure: 'screen share', metric: `… … ${what} (median)`, value: round(stats([...xs]).median, 0), unit: 'ms', note: `p95 ${round(stats([...xs]).p95, 0)}`,
        })),
      ];
      return { rows, details: { total, sharerSide, viewerSide, toNotified, toSubscribe, toAnswer, toConnected, toFrame } };
    } finally {
      await sharerContext.close();
      await viewerContext.close();
    }
  },
};
