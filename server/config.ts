// Everything the server can be told, with the defaults of the `openvidu/openvidu-dev` container
// (http on 4443, secret MY_SECRET), so a page written for that container works unchanged.
import type { Logger } from './log.ts';

export type SubscribeFlow = 'client-offer' | 'server-offer';

export interface ServerOptions {
  /** 0 picks a free port. */
  port?: number;
  /** Interface to listen on; all interfaces by default so phones on the LAN can reach it. */
  host?: string;
  secret?: string;
  /** Where clients reach the server; tokens carry its host. Default http(s)://localhost:<port>. */
  publicUrl?: string;
  /** Serve https/wss with a self-signed certificate made at start. */
  tls?: boolean;
  /** Only 127.0.0.1 ICE candidates, as the tests need (no LAN addresses in play). */
  loopbackOnly?: boolean;
  /** Extra host addresses to offer as ICE candidates (a LAN address, for instance). */
  iceAddresses?: string[];
  /** client-offer is OpenVidu CE with Kurento; server-offer is what OpenVidu does with mediasoup. */
  subscribeFlow?: SubscribeFlow;
  /** Enable the /test routes that drop sockets and report internal state. */
  testControls?: boolean;
  logger?: Logger;
  /** How long a dropped participant may come back with `connect` (real server: 10 s). */
  reconnectionWindowMs?: number;
  /** Evict a participant after this long with no ping; 0 means 3 × the client's announced interval. */
  pingTimeoutMs?: number;
  /** Largest REST body and WebSocket frame accepted. */
  maxBodyBytes?: number;
  maxFrameBytes?: number;
  /** Abuse limits (see the block at the end of this file); any left out keep their default. */
  limits?: Partial<ServerLimits>;
  /** Take the client address from X-Real-IP: only behind a reverse proxy that sets it. */
  trustProxy?: boolean;
}

export interface ResolvedOptions {
  port: number;
  host: string;
  secret: string;
  publicUrl: string | undefined;
  tls: boolean;
  loopbackOnly: boolean;
  iceAddresses: string[];
  subscribeFlow: SubscribeFlow;
  testControls: boolean;
  logger: Logger;
  reconnectionWindowMs: number;
  pingTimeoutMs: number;
  maxBodyBytes: number;
  maxFrameBytes: number;
  limits: ServerLimits;
  trustProxy: boolean;
}

/** The version reported to clients: the same minor as the pinned openvidu-browser, so no console error. */
export const OPENVIDU_VERSION = '2.32.2';

export function resolveOptions(options: ServerOptions, logger: Logger): ResolvedOptions {
  return {
    port: options.port ?? 4443,
    host: options.host ?? '0.0.0.0',
    secret: options.secret ?? 'MY_SECRET',
    publicUrl: options.publicUrl,
    tls: options.tls ?? false,
    loopbackOnly: options.loopbackOnly ?? false,
    iceAddresses: options.iceAddresses ?? [],
    subscribeFlow: options.subscribeFlow ?? 'client-offer',
    testControls: options.testControls ?? false,
    logger: options.logger ?? logger,
    reconnectionWindowMs: options.reconnectionWindowMs ?? 10_000,
    pingTimeoutMs: options.pingTimeoutMs ?? 0,
    maxBodyBytes: options.maxBodyBytes ?? 64 * 1024,
    maxFrameBytes: options.maxFrameBytes ?? 256 * 1024,
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    trustProxy: options.trustProxy ?? false,
  };
}

// ---- Limits: what one client may make the server hold or do (issue 14) ----
// Each limit is named once, here; server/README.md ("Limits") documents the defaults. Where
// OpenVidu or openvidu-browser has a figure of its own, the default is that figure.

export interface ServerLimits {
  /** Media sections of one kind (audio, video) in an SDP offer or answer: openvidu-browser sends one of each. */
  mediaSectionsPerKind: number;
  /** Nesting depth of a REST body or a JSON-RPC frame (the deepest OpenVidu shape, a filter, is 3). */
  jsonDepth: number;
  /** Bytes of a signal's `data` plus `type`, on sendMessage and REST /signal. */
  signalBytes: number;
  /** Bytes queued on one WebSocket that does not read; past it the socket is closed (the participant may reconnect). */
  socketQueueBytes: number;
  /** Bytes of one ICE candidate (candidate + sdpMid); a browser's are under 300. */
  iceCandidateBytes: number;
  /** Remote ICE candidates kept or applied per endpoint. */
  iceCandidatesPerEndpoint: number;
  /** Endpoint names one participant may send candidates for before the endpoint exists. */
  pendingEndpointsPerParticipant: number;
  /** Sessions created through the secret-less application-server route that nobody has joined yet. */
  anonymousUnusedSessions: number;
  /** Pending tokens per session handed out by the secret-less application-server route. */
  anonymousPendingTokensPerSession: number;
  /** Largest ping interval a client may announce (Kurento's default interval; the watchdog allows 3 ×). */
  maxPingIntervalMs: number;
  /** Smallest ping interval a client may announce (openvidu-browser announces 5000). */
  minPingIntervalMs: number;
  /** A WebSocket that has not sent joinRoom or connect by then is closed. */
  joinTimeoutMs: number;
  /** Concurrent WebSockets from one address that have not joined yet; more are refused with 503. */
  unjoinedSocketsPerAddress: number;
}

export const DEFAULT_LIMITS: ServerLimits = {
  mediaSectionsPerKind: 1,
  jsonDepth: 16,
  signalBytes: 64 * 1024,
  socketQueueBytes: 4 * 1024 * 1024,
  iceCandidateBytes: 1024,
  iceCandidatesPerEndpoint: 64,
  pendingEndpointsPerParticipant: 32,
  anonymousUnusedSessions: 100,
  anonymousPendingTokensPerSession: 100,
  maxPingIntervalMs: 20_000,
  minPingIntervalMs: 1000,
  joinTimeoutMs: 10_000,
  unjoinedSocketsPerAddress: 20,
};
