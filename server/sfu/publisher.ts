// The publisher leg: the browser offers sendonly audio/video, we answer recvonly and fan each RTP
// packet out to the subscriber legs unchanged (no transcoding).
import type { MediaStreamTrack, RTCRtpCodecParameters, RTCRtpTransceiver, RtpPacket } from 'werift';
import { GopCache, keyframeTestFor } from './gop.ts';
import { KeyframeCoalescer } from './keyframes.ts';
import { PeerEndpoint } from './endpoint.ts';
import { answerAsDtlsServer, createPeer, localSdpWithCandidates, opusCodec, videoCodec, type IcePolicy } from './peer.ts';
import { offersVideoCodec, withVideoBitrateHints } from './sdp.ts';

export type MediaKind = 'audio' | 'video';

export interface ForwardTarget {
  forward(kind: MediaKind, packet: Buffer): void;
  /** The publisher was replaced (reconnectStream): keep the viewer's leg, switch its source. */
  follow(next: PublisherEndpoint): void;
}

/** Kurento CE forces VP8 by default; we do the same, and take H.264 only from a browser without VP8. */
function videoCodecsFor(offer: string): RTCRtpCodecParameters[] {
  if (offersVideoCodec(offer, 'VP8')) return [videoCodec('video/VP8')];
  if (offersVideoCodec(offer, 'H264')) return [videoCodec('video/H264')];
  return [videoCodec('video/VP8')];
}

export class PublisherEndpoint extends PeerEndpoint {
  /** The codec actually negotiated per kind: subscriber legs must use the same one. */
  readonly codecs = new Map<MediaKind, RTCRtpCodecParameters>();
  private readonly targets = new Set<ForwardTarget>();
  private videoTransceiver: RTCRtpTransceiver | undefined;
  private videoSsrc: number | undefined;
  /** A keyframe asked for before we knew the video SSRC; sent with the first video packet. */
  private keyframeOwed = false;
  private readonly keyframes = new KeyframeCoalescer(() => this.sendPli());
  /** Video since the latest keyframe, replayed to each subscriber as its transport connects. */
  private gop: GopCache | undefined;
  /** Packets forwarded; /test/state and benchmarks read it. */
  packetsIn = 0;
  /** PLIs sent to the browser; /test/state reports it. */
  plisSent = 0;

  constructor(policy: IcePolicy, offer: string) {
    super(createPeer(policy, { audio: [opusCodec()], video: videoCodecsFor(offer) }), policy);
  }

  /** Applies the browser's offer and returns our answer, candidates included. */
  async answer(offer: string): Promise<string> {
    await this.setRemote('offer', offer);
    for (const transceiver of this.pc.getTransceivers()) this.listen(transceiver);
    answerAsDtlsServer(this.pc);
    await this.pc.setLocalDescription(await this.pc.createAnswer());
    return withVideoBitrateHints(await localSdpWithCandidates(this.pc, this.policy));
  }

  private listen(transceiver: RTCRtpTransceiver): void {
    const kind = transceiver.kind as MediaKind;
    const codec = transceiver.codecs.find((c) => !/rtx|red|ulpfec/i.test(c.mimeType));
    if (!codec) return;
    this.codecs.set(kind, codec);
    if (kind === 'video') {
      this.videoTransceiver = transceiver;
      const isKeyframeStart = keyframeTestFor(codec.mimeType);
      if (isKeyframeStart) this.gop = new GopCache(isKeyframeStart);
    }
    const track: MediaStreamTrack = transceiver.receiver.track;
    track.onReceiveRtp.subscribe((rtp: RtpPacket) => this.fanOut(kind, codec.payloadType, rtp));
  }

  private fanOut(kind: MediaKind, payloadType: number | undefined, rtp: RtpPacket): void {
    // Padding-only probes carry nothing to decode; other payload types (red, fec) are not negotiated downstream.
    if (rtp.payload.length === 0 || rtp.header.payloadType !== payloadType) return;
    this.packetsIn++;
    if (kind === 'video') {
      this.videoSsrc = rtp.header.ssrc;
      if (this.keyframeOwed) {
        this.keyframeOwed = false;
        this.keyframes.request();
      }
    }
    // Extension ids were negotiated on this leg, not the subscriber's: forwarding them would confuse it.
    rtp.header.extensions = [];
    rtp.header.extension = false;
    const packet = rtp.serialize();
    if (kind === 'video') this.gop?.push(rtp.payload, rtp.header.timestamp, packet);
    for (const target of this.targets) target.forward(kind, packet);
  }

  attach(target: ForwardTarget): void {
    this.targets.add(target);
  }

  detach(target: ForwardTarget): void {
    this.targets.delete(target);
  }

  /** A publisher reconnection: every viewer moves to the new leg without renegotiating. */
  handOver(next: PublisherEndpoint): void {
    for (const target of this.targets) {
      next.attach(target);
      target.follow(next);
    }
    this.targets.clear();
    next.requestKeyframe();
  }

  /** What a subscriber that has just connected should be sent first (empty: ask for a keyframe). */
  get packetsSinceKeyframe(): readonly Buffer[] {
    return this.gop?.packetsSinceKeyframe ?? [];
  }

  /** Called by subscribers (their PLI/FIR, or their connecting); coalesced into one PLI per window. */
  requestKeyframe(): void {
    this.keyframes.request();
  }

  private sendPli(): void {
    const ssrc = this.videoSsrc ?? this.videoTransceiver?.receiver.track?.ssrc;
    if (!this.videoTransceiver || this.closed) return;
    if (ssrc === undefined) {
      this.keyframeOwed = true;
      return;
    }
    this.plisSent++;
    this.videoTransceiver.receiver.sendRtcpPLI(ssrc).catch(() => undefined);
  }

  override async close(): Promise<void> {
    this.keyframes.close();
    this.targets.clear();
    await super.close();
  }
}
