// How the SFU makes werift peer connections: which codecs, which header extensions, which ICE
// addresses. One place, so the publisher and subscriber legs cannot drift apart.
import { networkInterfaces } from 'node:os';
import { RTCPeerConnection, RTCRtpCodecParameters, useNACK, usePLI, useFIR } from 'werift';
import { candidateAddress, keepOnlyLoopbackCandidates } from './sdp.ts';

export interface IcePolicy {
  /** Only 127.0.0.1: what tests use, and the only address Chromium offers with loopback allowed. */
  loopbackOnly: boolean;
  /** Extra host addresses to announce (e.g. the LAN address a phone should use). */
  extraAddresses: string[];
  /** Remote candidates one endpoint keeps or applies; more are ignored (a browser sends a handful). */
  maxRemoteCandidates?: number;
}

export function opusCodec(): RTCRtpCodecParameters {
  return new RTCRtpCodecParameters({ mimeType: 'audio/opus', clockRate: 48000, channels: 2 });
}

export function videoCodec(mimeType: string, parameters?: string): RTCRtpCodecParameters {
  return new RTCRtpCodecParameters({
    mimeType,
    clockRate: 90000,
    // No goog-remb / transport-cc: werift's feedback drove Chromium down to 320x240; the bitrate
    // hints in the answer keep 640x480@30 instead.
    rtcpFeedback: [useNACK(), usePLI(), useFIR()],
    ...(parameters ? { parameters } : {}),
  });
}

export interface PeerCodecs {
  audio: RTCRtpCodecParameters[];
  video: RTCRtpCodecParameters[];
}

/** With no LAN interface at all (a laptop offline), host candidates would be empty: fall back to loopback. */
function hasLanAddress(): boolean {
  return Object.values(networkInterfaces())
    .flat()
    .some((i) => i !== undefined && i.family === 'IPv4' && !i.internal);
}

export function createPeer(policy: IcePolicy, codecs: PeerCodecs): RTCPeerConnection {
  const loopback = policy.loopbackOnly || (!hasLanAddress() && policy.extraAddresses.length === 0);
  // An extra address in the loopback range (127.0.0.2 standing in for a LAN address in tests):
  // replies from an unbound socket would leave from 127.0.0.1, so bind to it, as for loopback.
  const loopbackExtra = !loopback && policy.extraAddresses.length > 0 && policy.extraAddresses.every((a) => a.startsWith('127.'));
  return new RTCPeerConnection({
    codecs,
    // Header extensions are negotiated per leg; we negotiate none so nothing stale is forwarded and
    // transport-cc never drives the publisher's bitrate down.
    headerExtensions: { audio: [], video: [] },
    iceServers: [],
    // ICE-lite, as SFUs with known host addresses do (mediasoup, Janus): the browser runs the checks
    // and nominates; we answer. A full werift agent also asks stun.l.google.com for a reflexive
    // candidate whatever iceServers says (an outside host, and a DNS lookup that held gathering up
    // to 350 ms on a busy machine), and paces checks of its own.
    iceLite: true,
    iceUseIpv4: !loopback && !loopbackExtra,
    iceUseIpv6: false,
    iceAdditionalHostAddresses: loopback ? ['127.0.0.1'] : policy.extraAddresses,
    ...(loopbackExtra ? { iceInterfaceAddresses: { udp4: policy.extraAddresses[0]! } } : {}),
    // Loopback sockets bound to 127.0.0.1: Chromium also checks from its LAN address to our
    // 127.0.0.1 and may nominate that pair; replies from an unbound socket would then leave from the
    // LAN address, which Chromium drops as unknown (DTLS never completed).
    ...(loopback ? { iceInterfaceAddresses: { udp4: '127.0.0.1' } } : {}),
  });
}

/**
 * Makes our answer say `a=setup:passive`: the browser is the DTLS client. As the DTLS client
 * (werift's default when answering) we waited 100–170 ms on loopback for Chromium's ServerHello;
 * as the server the handshake took 20–45 ms, cookie exchange included. Call before createAnswer.
 */
export function answerAsDtlsServer(pc: RTCPeerConnection): void {
  for (const transport of pc.dtlsTransports) transport.role = 'server';
}

/** werift puts gathered candidates into localDescription; waiting for them means the browser gets
 * a complete SDP and we need not trickle (host candidates only, so it is quick). */
export async function localSdpWithCandidates(pc: RTCPeerConnection, policy: IcePolicy): Promise<string> {
  if (pc.iceGatheringState !== 'complete') {
    await pc.iceGatheringStateChange.watch((state) => state === 'complete', 5000).catch(() => undefined);
  }
  const sdp = pc.localDescription?.sdp ?? '';
  return policy.loopbackOnly ? keepOnlyLoopbackCandidates(sdp) : sdp;
}

/** A browser candidate we should try: in loopback-only mode only 127.0.0.1 ones. */
export function acceptsRemoteCandidate(policy: IcePolicy, candidate: string): boolean {
  if (!candidate) return false;
  if (!policy.loopbackOnly) return true;
  return candidateAddress(candidate) === '127.0.0.1';
}
