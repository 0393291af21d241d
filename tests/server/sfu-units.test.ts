// @vitest-environment node
// The small pure parts of the SFU: keyframe-request coalescing (on a fake clock) and SDP edits.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { KeyframeCoalescer } from '../../server/sfu/keyframes.ts';
import { candidateAddress, keepOnlyLoopbackCandidates, mediaKinds, withVideoBitrateHints } from '../../server/sfu/sdp.ts';

describe('KeyframeCoalescer', () => {
  let now = 0;
  beforeEach(() => {
    vi.useFakeTimers();
    now = 0;
  });
  afterEach(() => vi.useRealTimers());

  function advance(ms: number): void {
    now += ms;
    vi.advanceTimersByTime(ms);
  }

  it('sends the first request at once and folds a burst into one deferred request', () => {
    const sent: number[] = [];
    const coalescer = new KeyframeCoalescer(() => sent.push(now), 350, () => now);
    coalescer.request();
    expect(sent).toEqual([0]);
    for (let i = 0; i < 5; i++) {
      advance(10);
      coalescer.request();
    }
    expect(sent).toEqual([0]);
    advance(300);
    expect(sent).toEqual([0, 350]);
    advance(1000);
    expect(sent).toEqual([0, 350]);
  });

  it('never drops a request: one made just after a send goes out when the window ends', () => {
    const sent: number[] = [];
    const coalescer = new KeyframeCoalescer(() => sent.push(now), 350, () => now);
    coalescer.request();
    advance(349);
    coalescer.request();
    advance(1);
    expect(sent).toEqual([0, 350]);
    advance(400);
    coalescer.request();
    expect(sent).toEqual([0, 350, 750]);
  });

  it('sends nothing after close', () => {
    const sent: number[] = [];
    const coalescer = new KeyframeCoalescer(() => sent.push(now), 350, () => now);
    coalescer.request();
    coalescer.request();
    coalescer.close();
    advance(1000);
    coalescer.request();
    expect(sent).toEqual([0]);
  });
});

const ANSWER = [
  'v=0',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111',
  'a=rtpmap:111 opus/48000/2',
  'a=fmtp:111 minptime=10;useinbandfec=1',
  'a=candidate:1 1 udp 2130706431 127.0.0.1 50000 typ host',
  'a=candidate:2 1 udp 2130706431 192.168.1.20 50001 typ host',
  'm=video 9 UDP/TLS/RTP/SAVPF 96 97',
  'a=rtpmap:96 VP8/90000',
  'a=rtpmap:97 H264/90000',
  'a=fmtp:97 packetization-mode=1',
  '',
].join('\r\n');

describe('SDP edits', () => {
  it('adds start/min/max bitrate to VP8 only, creating its fmtp line when absent', () => {
    const sdp = withVideoBitrateHints(ANSWER);
    expect(sdp).toMatch(/a=rtpmap:96 VP8\/90000\r\na=fmtp:96 x-google-start-bitrate=\d+;x-google-min-bitrate=\d+;x-google-max-bitrate=\d+/);
    expect(sdp).toContain('a=fmtp:97 packetization-mode=1\r\n');
    expect(sdp).toContain('a=fmtp:111 minptime=10;useinbandfec=1\r\n');
    // Idempotent: a second pass changes nothing.
    expect(withVideoBitrateHints(sdp)).toBe(sdp);
  });

  it('extends an existing VP8 fmtp line', () => {
    const sdp = withVideoBitrateHints(ANSWER.replace('a=rtpmap:96 VP8/90000', 'a=rtpmap:96 VP8/90000\r\na=fmtp:96 max-fr=30'));
    expect(sdp).toMatch(/a=fmtp:96 max-fr=30;x-google-start-bitrate=/);
  });

  it('keeps only 127.0.0.1 candidates in loopback-only mode', () => {
    const sdp = keepOnlyLoopbackCandidates(ANSWER);
    expect(sdp).toContain('127.0.0.1 50000');
    expect(sdp).not.toContain('192.168.1.20');
    expect(candidateAddress('candidate:2 1 udp 2130706431 192.168.1.20 50001 typ host')).toBe('192.168.1.20');
  });

  it('lists media kinds in order', () => {
    expect(mediaKinds(ANSWER)).toEqual(['audio', 'video']);
    expect(mediaKinds('not sdp')).toEqual([]);
  });
});
