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
  };
}
