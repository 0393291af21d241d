// Small SDP text edits the SFU needs and werift does not do for us.

/** Bitrate hints Chromium honours on the VP8 fmtp of an answer: without them it starts near 300 kbps
 * and, with no bandwidth feedback from werift, stays at 320x240 for a long time. */
const VP8_BITRATE = 'x-google-start-bitrate=1500;x-google-min-bitrate=600;x-google-max-bitrate=2500';

export function withVideoBitrateHints(sdp: string): string {
  const lines = sdp.split('\r\n');
  const vp8PayloadTypes = new Set<string>();
  for (const line of lines) {
    const match = /^a=rtpmap:(\d+) VP8\/90000/i.exec(line);
    if (match?.[1]) vp8PayloadTypes.add(match[1]);
  }
  const out: string[] = [];
  const hasFmtp = new Set<string>();
  for (const line of lines) {
    const fmtp = /^a=fmtp:(\d+) (.*)$/.exec(line);
    if (fmtp?.[1] && vp8PayloadTypes.has(fmtp[1])) {
      hasFmtp.add(fmtp[1]);
      out.push(fmtp[2]?.includes('x-google-start-bitrate') ? line : `${line};${VP8_BITRATE}`);
      continue;
    }
    out.push(line);
  }
  // A VP8 payload with no fmtp line gets one right after its rtpmap.
  const result: string[] = [];
  for (const line of out) {
    result.push(line);
    const rtpmap = /^a=rtpmap:(\d+) VP8\/90000/i.exec(line);
    if (rtpmap?.[1] && !hasFmtp.has(rtpmap[1])) result.push(`a=fmtp:${rtpmap[1]} ${VP8_BITRATE}`);
  }
  return result.join('\r\n');
}

/** The address field of an ICE candidate line ("candidate:1 1 udp 2122 192.168.1.2 5000 typ host"). */
export function candidateAddress(candidate: string): string | undefined {
  const parts = candidate.replace(/^a=/, '').split(/\s+/);
  return parts[4];
}

/** In loopback-only mode every candidate that is not 127.0.0.1 is removed from our SDP. */
export function keepOnlyLoopbackCandidates(sdp: string): string {
  return sdp
    .split('\r\n')
    .filter((line) => !line.startsWith('a=candidate:') || candidateAddress(line) === '127.0.0.1')
    .join('\r\n');
}

export function offersVideoCodec(sdp: string, codec: string): boolean {
  return new RegExp(`^a=rtpmap:\\d+ ${codec}/90000`, 'im').test(sdp);
}

/** Kinds of media sections, in order; used to check that an offer asks for something we can send. */
export function mediaKinds(sdp: string): string[] {
  return [...sdp.matchAll(/^m=(\w+) /gm)].map((m) => m[1] ?? '');
}
