// Diagnostic, not a benchmark (bench/run.ts does not run it): where the screen share's viewer leg
// goes (published → first frame at the other participant). Two call pages, the sharer shares n
// times; for each, one timeline on one clock of the server (publisher's keyframes in, PLIs sent,
// each subscriber leg's connection, first packet and first keyframe out, replay size) and of the
// viewer's page (RPC, peer connection, first frame).
//   npx tsx bench/diag-screen-share.ts [n]       builds the page first (BENCH_DIST=dir to reuse one)
import { vp8KeyframeStart } from '../server/sfu/gop.ts';
import { PublisherEndpoint } from '../server/sfu/publisher.ts';
import { SubscriberEndpoint } from '../server/sfu/subscriber.ts';
import { buildPage, callPageUrl, clickJoin, launchChromium, newInstrumentedContext, readMarks, startInProcessServer, startStaticServer, waitFor, waitForJoinForm } from './harness.ts';

const events: { t: number; what: string }[] = [];
const at = (what: string) => events.push({ t: performance.timeOrigin + performance.now(), what });
let legs = 0;
const ids = new WeakMap<object, number>();
const idOf = (o: object) => ids.get(o) ?? (ids.set(o, ++legs), legs);

// Server side, observing only.
type Fan = (kind: 'audio' | 'video', payloadType: number | undefined, rtp: { payload: Buffer; header: { timestamp: number } }) => void;
const pub = PublisherEndpoint.prototype as unknown as { fanOut: Fan; sendPli: () => void; __id?: number };
const fanOut = pub.fanOut;
pub.fanOut = function (this: PublisherEndpoint & { __kf?: number; __n?: number }, kind, payloadType, rtp) {
  if (kind === 'video') {
    this.__n = (this.__n ?? 0) + 1;
    if (this.__n === 1) at(`srv pub${idOf(this)} first video packet in`);
    if (vp8KeyframeStart(rtp.payload) && rtp.header.timestamp !== this.__kf) {
      this.__kf = rtp.header.timestamp;
      at(`srv pub${idOf(this)} KEYFRAME in (packet #${this.__n})`);
    }
  }
  fanOut.call(this, kind, payloadType, rtp);
};
const sendPli = pub.sendPli;
pub.sendPli = function (this: PublisherEndpoint) {
  at(`srv pub${idOf(this)} PLI sent`);
  sendPli.call(this);
};
const sub = SubscriberEndpoint.prototype as unknown as { send: (kind: 'audio' | 'video', packet: Buffer) => void; onConnected: () => void };
const send = sub.send;
sub.send = function (this: SubscriberEndpoint & { __first?: Set<string> }, kind, packet) {
  this.__first ??= new Set();
  if (!this.__first.has(kind)) {
    this.__first.add(kind);
    at(`srv sub${idOf(this)} first ${kind} packet out`);
  }
  if (kind === 'video' && !this.__first.has('kf') && vp8KeyframeStart(packet.subarray(12 + (packet[0]! & 0x0f) * 4))) {
    this.__first.add('kf');
    at(`srv sub${idOf(this)} first keyframe packet out`);
  }
  send.call(this, kind, packet);
};
const onConnected = sub.onConnected;
sub.onConnected = function (this: SubscriberEndpoint) {
  const source = (this as unknown as { publisher: PublisherEndpoint }).publisher;
  at(`srv sub${idOf(this)} connected; replaying ${source.packetsSinceKeyframe.length} packets (pub${idOf(source)})`);
  onConnected.call(this);
};

const n = Number(process.argv[2] ?? 3);
const server = await startInProcessServer();
const statics = await startStaticServer(await buildPage());
const browser = await launchChromium();
const ctx = { origin: statics.origin, serverUrl: server.url };
try {
  const sessionId = `diag-screen-${Date.now()}`;
  const viewer = await (await newInstrumentedContext(browser)).newPage();
  const sharer = await (await newInstrumentedContext(browser)).newPage();
  for (const [page, name] of [[viewer, 'Viewer'], [sharer, 'Sharer']] as const) {
    await page.goto(callPageUrl(ctx.origin, ctx.serverUrl));
    await waitForJoinForm(page);
    await clickJoin(page, sessionId, name);
    await page.waitForSelector('main[data-screen="call"] .tiles .video-tile[data-media-key="self"]', { timeout: 30_000 });
  }
  for (let i = 0; i < n; i++) {
    events.length = 0;
    const clicked = await sharer.evaluate(() => {
      const t = performance.timeOrigin + performance.now();
      [...document.querySelectorAll('button')].find((b) => b.textContent?.trim().endsWith('Share screen'))?.click();
      return t;
    });
    const tile = '.tiles .video-tile[data-screen="true"]';
    const key = await waitFor('the screen tile', () => viewer.locator(tile).first().getAttribute('data-media-key').catch(() => null), 30_000);
    await waitFor('first frame', async () => (await readMarks(viewer)).remoteFrames.find((f) => f.key === key), 30_000, 20);
    const v = await readMarks(viewer);
    const s = await readMarks(sharer);
    const all = [
      ...events,
      ...s.rpc.filter((r) => (r.epoch ?? 0) >= clicked && !/onIceCandidate|ping/.test(r.method)).map((r) => ({ t: r.epoch!, what: `sharer rpc ${r.method}` })),
      ...s.rpc.filter((r) => (r.epoch ?? 0) >= clicked && r.answeredEpoch && !/onIceCandidate|ping/.test(r.method)).map((r) => ({ t: r.answeredEpoch!, what: `sharer rpc ${r.method} answered` })),
      ...s.pcs.filter((p) => p.created >= clicked && p.connected).map((p) => ({ t: p.connected!, what: 'sharer pc connected' })),
      ...v.rpc.filter((r) => (r.epoch ?? 0) >= clicked && !/onIceCandidate|ping/.test(r.method)).map((r) => ({ t: r.epoch!, what: `viewer rpc ${r.method}` })),
      ...v.rpc.filter((r) => (r.epoch ?? 0) >= clicked && r.answeredEpoch && !/onIceCandidate|ping/.test(r.method)).map((r) => ({ t: r.answeredEpoch!, what: `viewer rpc ${r.method} answered` })),
      ...v.pcs.filter((p) => p.created >= clicked).map((p) => ({ t: p.created, what: 'viewer pc created' })),
      ...v.pcs.filter((p) => p.created >= clicked && p.connected).map((p) => ({ t: p.connected!, what: 'viewer pc connected' })),
      ...v.remoteFrames.filter((f) => f.key === key).map((f) => ({ t: f.epoch, what: 'viewer FIRST FRAME' })),
    ].sort((a, b) => a.t - b.t);
    console.log(`\nshare ${i}:`);
    for (const e of all) console.log(`${String(Math.round(e.t - clicked)).padStart(6)} ms  ${e.what}`);
    await sharer.getByRole('button', { name: 'Share screen', exact: true }).click();
    await waitFor('the screen tile to go', () => viewer.locator(tile).count().then((c) => c === 0), 15_000);
  }
} finally {
  await browser.close();
  await statics.close();
  await server.close();
}
