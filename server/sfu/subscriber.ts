// A subscriber leg: one peer connection per (subscriber, publisher) pair, as Kurento does, that
// sends the publisher's packets with the same codec. Either the browser offers (OpenVidu CE) or
// we do (OpenVidu with mediasoup).
import { RTCRtpCodecParameters, type RTCRtpSender } from 'werift';
import { PeerEndpoint } from './endpoint.ts';
import { answerAsDtlsServer, createPeer, localSdpWithCandidates, type IcePolicy } from './peer.ts';
import type { ForwardTarget, MediaKind, PublisherEndpoint } from './publisher.ts';

/** A fresh copy without the payload type: each leg numbers its payloads itself. */
function sameCodec(codec: RTCRtpCodecParameters | undefined): RTCRtpCodecParameters[] {
  if (!codec) return [];
  return [
    new RTCRtpCodecParameters({
      mimeType: codec.mimeType,
      clockRate: codec.clockRate,
      ...(codec.channels ? { channels: codec.channels } : {}),
      ...(codec.parameters ? { parameters: codec.parameters } : {}),
      rtcpFeedback: codec.rtcpFeedback,
    }),
  ];
}

const PSFB_FIR = 4;

export class SubscriberEndpoint extends PeerEndpoint implements ForwardTarget {
  private readonly senders = new Map<MediaKind, RTCRtpSender>();
  /** Kinds whose next packet starts a new sequence (after the publisher was replaced). */
  private readonly rebase = new Set<MediaKind>();
  /** Until then packets are dropped (werift cannot send them yet); the replay covers the video. */
  private connected = false;
  /** Packets handed to werift for sending; /test/state reports it. */
  packetsOut = 0;

  constructor(
    policy: IcePolicy,
    private publisher: PublisherEndpoint,
  ) {
    super(
      createPeer(policy, {
        audio: sameCodec(publisher.codecs.get('audio')),
        video: sameCodec(publisher.codecs.get('video')),
      }),
      policy,
    );
    // Audio first, then video: the order openvidu-browser itself uses for its transceivers.
    for (const kind of ['audio', 'video'] as const) {
      if (!publisher.codecs.has(kind)) continue;
      const transceiver = this.pc.addTransceiver(kind, { direction: 'sendonly' });
      this.senders.set(kind, transceiver.sender);
      if (kind === 'video') this.relayKeyframeRequests(transceiver.sender);
    }
    // Chromium's VP8 sends no periodic keyframes: a new viewer needs one to start decoding. Ask
    // now, while ICE and DTLS are still under way, so a fresh one is cached by the time they are done.
    publisher.requestKeyframe();
    this.pc.connectionStateChange.subscribe((state) => {
      if (state === 'connected') this.onConnected();
    });
    publisher.attach(this);
  }

  /** The first time: replay the group since the last keyframe, so decoding starts now; with none
   * cached (or connected again after a drop), ask the publisher for a keyframe. */
  private onConnected(): void {
    if (this.closed) return;
    const cached = this.connected ? [] : this.publisher.packetsSinceKeyframe;
    this.connected = true;
    if (cached.length === 0) this.publisher.requestKeyframe();
    for (const packet of cached) this.send('video', packet);
  }

  private relayKeyframeRequests(sender: RTCRtpSender): void {
    sender.onPictureLossIndication.subscribe(() => this.publisher.requestKeyframe());
    sender.onRtcp.subscribe((packet) => {
      const feedback = (packet as { feedback?: { count?: number } }).feedback;
      if (packet.type === 206 && feedback?.count === PSFB_FIR) this.publisher.requestKeyframe();
    });
  }

  /** Client-offer flow: the browser's recvonly offer in, our sendonly answer out. */
  async answer(offer: string): Promise<string> {
    await this.setRemote('offer', offer);
    answerAsDtlsServer(this.pc);
    await this.pc.setLocalDescription(await this.pc.createAnswer());
    return localSdpWithCandidates(this.pc, this.policy);
  }

  /** Server-offer flow, first half. */
  async offer(): Promise<string> {
    await this.pc.setLocalDescription(await this.pc.createOffer());
    return localSdpWithCandidates(this.pc, this.policy);
  }

  /** Server-offer flow, second half. */
  async acceptAnswer(answer: string): Promise<void> {
    await this.setRemote('answer', answer);
  }

  forward(kind: MediaKind, packet: Buffer): void {
    if (this.closed || !this.connected) return;
    this.send(kind, packet);
  }

  private send(kind: MediaKind, packet: Buffer): void {
    const sender = this.senders.get(kind);
    if (!sender) return;
    if (this.rebase.delete(kind)) {
      // The new publisher leg numbers its packets from elsewhere: continue our sequence instead of
      // jumping, so the browser sees a short gap rather than thousands of lost packets.
      sender.replaceRTP({ sequenceNumber: packet.readUInt16BE(2), timestamp: packet.readUInt32BE(4) }, true);
    }
    this.packetsOut++;
    sender.sendRtp(packet).catch(() => undefined);
  }

  follow(next: PublisherEndpoint): void {
    this.publisher = next;
    for (const kind of this.senders.keys()) this.rebase.add(kind);
  }

  override async close(): Promise<void> {
    this.publisher.detach(this);
    await super.close();
  }
}
