// @vitest-environment node
// The SFU's keyframe detection (VP8, H.264 payloads) and the cache of packets since the latest
// keyframe that a newly connected subscriber is sent first.
import { describe, expect, it } from 'vitest';
import { GopCache, h264KeyframeStart, keyframeTestFor, vp8KeyframeStart } from '../../server/sfu/gop.ts';

const bytes = (...b: number[]) => Buffer.from(b);
// VP8 payload descriptor as Chromium sends it: X=1, S=1, PID=0; I=1 with a 15-bit picture id.
const vp8 = (start: boolean, key: boolean) => bytes(start ? 0x90 : 0x80, 0x80, 0x81, 0x23, key ? 0x10 : 0x11, 0x02);

describe('keyframe detection', () => {
  it('VP8: the first packet of a key frame, not its continuation nor a delta frame', () => {
    expect(vp8KeyframeStart(vp8(true, true))).toBe(true);
    expect(vp8KeyframeStart(vp8(true, false))).toBe(false);
    expect(vp8KeyframeStart(vp8(false, true))).toBe(false);
    // No extension byte at all, 7-bit picture id, TL0PICIDX and TID present.
    expect(vp8KeyframeStart(bytes(0x10, 0x9c))).toBe(true);
    expect(vp8KeyframeStart(bytes(0x90, 0xe0, 0x05, 0x01, 0x40, 0x10))).toBe(true);
    expect(vp8KeyframeStart(bytes(0x90, 0x80))).toBe(false); // cut short
    expect(vp8KeyframeStart(Buffer.from('frame-12'))).toBe(false);
  });

  it('H.264: SPS or IDR, alone, in a STAP-A or starting an FU-A', () => {
    expect(h264KeyframeStart(bytes(0x67, 0x42))).toBe(true);
    expect(h264KeyframeStart(bytes(0x65, 0x88))).toBe(true);
    expect(h264KeyframeStart(bytes(0x41, 0x9a))).toBe(false);
    expect(h264KeyframeStart(bytes(0x7c, 0x85, 0x00))).toBe(true);
    expect(h264KeyframeStart(bytes(0x7c, 0x05, 0x00))).toBe(false);
    expect(h264KeyframeStart(bytes(0x78, 0x00, 0x02, 0x67, 0x42, 0x00, 0x01, 0x68))).toBe(true);
    expect(h264KeyframeStart(bytes(0x78, 0x00, 0x01, 0x41))).toBe(false);
  });

  it('picks the test by codec', () => {
    expect(keyframeTestFor('video/VP8')).toBe(vp8KeyframeStart);
    expect(keyframeTestFor('video/H264')).toBe(h264KeyframeStart);
    expect(keyframeTestFor('video/AV1')).toBeUndefined();
  });
});

describe('GopCache', () => {
  const packet = (n: number) => bytes(n);

  it('holds nothing before the first keyframe, then everything from the latest one', () => {
    const cache = new GopCache(vp8KeyframeStart);
    cache.push(vp8(true, false), 100, packet(1));
    expect(cache.packetsSinceKeyframe).toEqual([]);
    cache.push(vp8(true, true), 200, packet(2));
    cache.push(vp8(false, true), 200, packet(3)); // the same key frame, second packet
    cache.push(vp8(true, false), 300, packet(4));
    expect(cache.packetsSinceKeyframe).toEqual([packet(2), packet(3), packet(4)]);
    cache.push(vp8(true, true), 400, packet(5));
    expect(cache.packetsSinceKeyframe).toEqual([packet(5)]);
  });

  it('forgets a group that grew too long, until the next keyframe', () => {
    const cache = new GopCache(vp8KeyframeStart, 3);
    cache.push(vp8(true, true), 100, packet(1));
    for (let i = 2; i <= 4; i++) cache.push(vp8(true, false), 100 + i, packet(i));
    expect(cache.packetsSinceKeyframe).toEqual([]);
    cache.push(vp8(true, false), 200, packet(5));
    expect(cache.packetsSinceKeyframe).toEqual([]);
    cache.push(vp8(true, true), 300, packet(6));
    expect(cache.packetsSinceKeyframe).toEqual([packet(6)]);
  });
});
