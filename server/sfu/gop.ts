// The video packets since the publisher's latest keyframe, so a subscriber whose transport has just
// connected can start decoding at once instead of waiting a round trip for a fresh keyframe (PLI to
// the publisher, encode, forward: 60–500 ms on a loaded machine). Replaying the whole group, not
// the keyframe alone, keeps every later delta frame decodable and the sequence numbers contiguous.

/** Does this RTP payload start a keyframe? VP8: RFC 7741; H.264: RFC 6184 (SPS or IDR). */
export type KeyframeTest = (payload: Buffer) => boolean;

export function vp8KeyframeStart(payload: Buffer): boolean {
  if (payload.length < 2) return false;
  const first = payload[0] as number;
  // S (start of partition) set and partition index 0: the first packet of a frame.
  if ((first & 0x10) === 0 || (first & 0x07) !== 0) return false;
  let offset = 1;
  if (first & 0x80) {
    const extension = payload[offset++] ?? 0;
    if (extension & 0x80) offset += (payload[offset] ?? 0) & 0x80 ? 2 : 1; // PictureID, 7 or 15 bits
    if (extension & 0x40) offset += 1; // TL0PICIDX
    if (extension & 0x30) offset += 1; // TID / KEYIDX
  }
  // VP8 payload header: the P bit (lowest) is 0 on a key frame.
  return offset < payload.length && ((payload[offset] as number) & 0x01) === 0;
}

export function h264KeyframeStart(payload: Buffer): boolean {
  const type = (payload[0] ?? 0) & 0x1f;
  if (type === 7 || type === 5) return true; // SPS, IDR slice
  if (type === 28) return ((payload[1] ?? 0) & 0x80) !== 0 && ((payload[1] ?? 0) & 0x1f) === 5; // FU-A start of an IDR
  if (type === 24) {
    // STAP-A: 16-bit sizes, each followed by a NAL unit.
    for (let offset = 1; offset + 2 < payload.length; offset += 2 + payload.readUInt16BE(offset)) {
      const nal = (payload[offset + 2] ?? 0) & 0x1f;
      if (nal === 7 || nal === 5) return true;
    }
  }
  return false;
}

export function keyframeTestFor(mimeType: string): KeyframeTest | undefined {
  if (/vp8/i.test(mimeType)) return vp8KeyframeStart;
  if (/h264/i.test(mimeType)) return h264KeyframeStart;
  return undefined;
}

export class GopCache {
  private packets: Buffer[] = [];
  private keyframeTimestamp: number | undefined;

  /** 256 packets is about a second at the start bitrate; a longer group is not worth a burst. */
  constructor(
    private readonly isKeyframeStart: KeyframeTest,
    private readonly maxPackets = 256,
  ) {}

  /** Every forwarded video packet, in order. A keyframe's later packets share its timestamp. */
  push(payload: Buffer, timestamp: number, packet: Buffer): void {
    if (timestamp !== this.keyframeTimestamp && this.isKeyframeStart(payload)) {
      this.packets = [];
      this.keyframeTimestamp = timestamp;
    }
    if (this.keyframeTimestamp === undefined) return;
    if (this.packets.length >= this.maxPackets) {
      // Too long since the keyframe: forget it; a new subscriber then asks for a fresh one.
      this.packets = [];
      this.keyframeTimestamp = undefined;
      return;
    }
    this.packets.push(packet);
  }

  /** From the latest keyframe to now, or nothing when no usable keyframe is held. */
  get packetsSinceKeyframe(): readonly Buffer[] {
    return this.packets;
  }
}
