// Diagnostic, not a benchmark (bench/run.ts does not run it): where figure 2's time goes. A
// publisher publishes n times; for each, the phases from publish() to the first frame on a bare
// openvidu-browser viewer, and with DIAG_VERBOSE=1 one timeline of server events (werift peer
// states, PLIs, first packets out) and page events (RPC, ICE/DTLS states) on one clock.
//   npx tsx bench/diag-first-frame.ts [n]        no build needed (bare pages only)
//   DIAG_VIEWER_PUBLISHES=1   the viewer has its camera on too, as the call page has in the benchmark
//   DIAG_FLOW=server-offer    the mediasoup-style subscribe flow
//   DIAG_ICE=host             the server's LAN host candidates instead of loopback only
//   DIAG_VARIANTS="A=1;A=0"   A/B in one run, taking turns (runs on this shared machine are not
//                             comparable): sets those environment variables before each publish
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { RTCPeerConnection } from 'werift';
import { vp8KeyframeStart } from '../server/sfu/gop.ts';
import { PublisherEndpoint } from '../server/sfu/publisher.ts';
import { SubscriberEndpoint } from '../server/sfu/subscriber.ts';
import { startOpenViduServer } from '../server/index.ts';
import { BareParticipant } from './bare.ts';
import { launchChromium, newInstrumentedContext, readMarks, startInProcessServer, startStaticServer, waitFor, ROOT } from './harness.ts';

const events: { t: number; what: string }[] = [];
const at = (what: string) => events.push({ t: performance.timeOrigin + performance.now(), what });
let pcSeq = 0;

// Server side: wrap werift's peer connection and our endpoints, observing only.
const proto = RTCPeerConnection.prototype as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
for (const name of ['setRemoteDescription', 'createAnswer', 'createOffer', 'setLocalDescription'] as const) {
  const original = proto[name]!;
  proto[name] = async function (this: RTCPeerConnection & { __id?: number }, ...args: unknown[]) {
    this.__id ??= ++pcSeq;
    at(`srv pc${this.__id} ${name} start`);
    const result = await original.apply(this, args);
    at(`srv pc${this.__id} ${name} done`);
    if (!(this as { __watched?: boolean }).__watched) {
      (this as { __watched?: boolean }).__watched = true;
      const id = this.__id;
      this.iceGatheringStateChange.subscribe((s) => at(`srv pc${id} gathering ${s}`));
      this.iceConnectionStateChange.subscribe((s) => at(`srv pc${id} ice ${s}`));
      this.connectionStateChange.subscribe((s) => at(`srv pc${id} connection ${s}`));
      for (const d of (this as unknown as { dtlsTransports: { onStateChange: { subscribe(f: (s: string) => void): void } }[] }).dtlsTransports) {
        d.onStateChange.subscribe((s) => at(`srv pc${id} dtls ${s}`));
      }
    }
    return result;
  };
}
const sendPli = (PublisherEndpoint.prototype as unknown as { sendPli: () => void }).sendPli;
(PublisherEndpoint.prototype as unknown as { sendPli: () => void }).sendPli = function (this: PublisherEndpoint) {
  at('srv PLI sent');
  sendPli.call(this);
};
type Send = (kind: 'audio' | 'video', packet: Buffer) => void;
const subscriberProto = SubscriberEndpoint.prototype as unknown as { send: Send };
const forward = subscriberProto.send;
subscriberProto.send = function (this: SubscriberEndpoint & { __first?: Set<string> }, kind, packet) {
  this.__first ??= new Set();
  if (!this.__first.has(kind)) {
    this.__first.add(kind);
    at(`srv first ${kind} packet out`);
  }
  // Forwarded packets carry no header extensions: the payload starts after the CSRCs.
  if (kind === 'video' && !this.__first.has('kf') && vp8KeyframeStart(packet.subarray(12 + (packet[0]! & 0x0f) * 4))) {
    this.__first.add('kf');
    at('srv first keyframe packet out');
  }
  forward.call(this, kind, packet);
};

// Page side: ICE / DTLS / gathering states of every RTCPeerConnection (epoch).
const PAGE_TRACE = `(() => {
  const Native = window.RTCPeerConnection; let n = 0;
  window.__trace = [];
  const at = (w) => window.__trace.push({ t: performance.timeOrigin + performance.now(), what: w });
  window.RTCPeerConnection = class extends Native {
    constructor(...a) { super(...a); const id = ++n;
      this.addEventListener('icegatheringstatechange', () => at('page pc' + id + ' gathering ' + this.iceGatheringState));
      this.addEventListener('iceconnectionstatechange', () => at('page pc' + id + ' ice ' + this.iceConnectionState));
      this.addEventListener('connectionstatechange', () => at('page pc' + id + ' connection ' + this.connectionState));
      const sld = this.setLocalDescription.bind(this), srd = this.setRemoteDescription.bind(this);
      this.setLocalDescription = async (...x) => { at('page pc' + id + ' setLocal start'); const r = await sld(...x); at('page pc' + id + ' setLocal done'); return r; };
      this.setRemoteDescription = async (...x) => { at('page pc' + id + ' setRemote start'); const r = await srd(...x); at('page pc' + id + ' setRemote done'); return r; };
    }
  };
})();`;

const n = Number(process.argv[2] ?? 4);
// How late this process's event loop runs (the server shares it with the Playwright client).
const loopDelay = monitorEventLoopDelay({ resolution: 5 });
loopDelay.enable();
const verbose = process.env.DIAG_VERBOSE === '1';
const server = process.env.DIAG_FLOW || process.env.DIAG_ICE
  ? await startOpenViduServer({
    port: 0, host: '127.0.0.1', loopbackOnly: process.env.DIAG_ICE !== 'host', logger: () => {},
    ...(process.env.DIAG_FLOW === 'server-offer' ? { subscribeFlow: 'server-offer' as const } : {}),
  })
  : await startInProcessServer();
const statics = await startStaticServer(ROOT);
const browser = await launchChromium();
type Ev = { t: number; what: string };
// A/B in one run (the machine is too noisy to compare runs): DIAG_VARIANTS="A=1,B=0;A=0,B=0" sets
// those environment variables before each publish, taking turns; server code read at peer creation
// sees them.
const variants = (process.env.DIAG_VARIANTS ?? '').split(';').map((v) => v.trim());
const phases: Record<string, Record<string, number[]>> = {};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] ?? Number.NaN;
try {
  const viewerContext = await newInstrumentedContext(browser);
  await viewerContext.addInitScript({ content: PAGE_TRACE });
  const otherContext = await newInstrumentedContext(browser);
  const publisherContext = await newInstrumentedContext(browser);
  const sessionId = `diag-${Date.now()}`;
  const viewer = await BareParticipant.open(viewerContext, statics.origin, server.url);
  await viewer.connect(sessionId, 'Viewer', { subscribe: true, withVideo: true });
  // A second subscriber, as in the benchmark (the call page sits beside the bare one there).
  const other = await BareParticipant.open(otherContext, statics.origin, server.url);
  await other.connect(sessionId, 'Other', { subscribe: true, withVideo: true });
  // As in the benchmark, where the viewer is the call page with its own camera on.
  if (process.env.DIAG_VIEWER_PUBLISHES === '1') await viewer.publish();
  const publisher = await BareParticipant.open(publisherContext, statics.origin, server.url);
  await publisher.connect(sessionId, 'Publisher');
  for (let i = -1; i < n * variants.length; i++) {
    const variant = variants[(i + variants.length) % variants.length]!;
    for (const kv of variant.split(',').filter(Boolean)) {
      const [k, v] = kv.split('=');
      process.env[k!] = v;
    }
    await viewer.page.evaluate(() => ((window as unknown as { __trace: unknown[] }).__trace.length = 0));
    events.length = 0;
    if (i === 0) loopDelay.reset();
    const { epoch, streamId } = await publisher.publish();
    const ok = await waitFor('first frame', async () => (await readMarks(viewer.page)).remoteFrames.find((f) => f.key.includes(streamId)), 8_000, 10).catch(() => false);
    const marks = await readMarks(viewer.page);
    const trace = await viewer.page.evaluate(() => (window as unknown as { __trace: Ev[] }).__trace);
    const all: Ev[] = [
      ...events,
      ...trace,
      ...marks.rpc.filter((r) => r.epoch! >= epoch).map((r) => ({ t: r.epoch!, what: `page rpc ${r.method} sent` })),
      ...marks.rpc.filter((r) => r.epoch! >= epoch && r.answeredEpoch).map((r) => ({ t: r.answeredEpoch!, what: `page rpc ${r.method} answered` })),
      ...marks.remoteFrames.filter((f) => f.key.includes(streamId)).map((f) => ({ t: f.epoch, what: 'page FIRST FRAME' })),
    ].filter((e) => e.t >= epoch - 5 && !/onIceCandidate|ping/.test(e.what)).sort((a, b) => a.t - b.t);
    const first = (re: RegExp) => (all.find((e) => re.test(e.what))?.t ?? Number.NaN) - epoch;
    const p = {
      notified: first(/notify:participantPublished/),
      subscribeSent: first(/rpc (prepareReceiveVideoFrom|receiveVideoFrom) sent/),
      answered: first(/rpc receiveVideoFrom answered/),
      iceConnected: first(/page pc\d+ ice connected/),
      dtlsConnected: first(/page pc\d+ connection connected/),
      frame: first(/FIRST FRAME/),
    };
    const step = {
      'publish → participantPublished': p.notified,
      '→ subscribe request sent': p.subscribeSent - p.notified,
      '→ SDP answer received': p.answered - p.subscribeSent,
      '→ ICE connected (page)': p.iceConnected - p.answered,
      '→ DTLS connected (page)': p.dtlsConnected - p.iceConnected,
      '→ first frame': p.frame - p.dtlsConnected,
      'total': p.frame,
    };
    if (i >= 0) for (const [k, v] of Object.entries(step)) ((phases[variant] ??= {})[k] ??= []).push(v);
    console.log(`publish ${i} [${variant}]: ${Object.values(step).map((v) => Math.round(v)).join(' | ')}${i < 0 ? ' (warm-up, not counted)' : ''}`);
    if (verbose || !ok) for (const e of all) console.log(`${new Date(e.t).toISOString().slice(17, 23)} ${String(Math.round(e.t - epoch)).padStart(6)} ms  ${e.what}`);
    await publisher.unpublish();
    await new Promise((r) => setTimeout(r, 300));
  }
  for (const [variant, byPhase] of Object.entries(phases)) {
    console.log(`\nmedians [${variant}]:`);
    for (const [k, v] of Object.entries(byPhase)) console.log(`  ${k.padEnd(32)} ${Math.round(median(v))} ms   (${v.map(Math.round).join(' ')})`);
  }
  console.log(`event loop delay: p50 ${(loopDelay.percentile(50) / 1e6).toFixed(1)} ms, p99 ${(loopDelay.percentile(99) / 1e6).toFixed(1)} ms, max ${(loopDelay.max / 1e6).toFixed(1)} ms`);
} finally {
  await browser.close();
  await statics.close();
  await server.close();
}
