// What every HTTP route can reach.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ResolvedOptions } from '../config.ts';
import type { OpenViduCore } from '../core/openvidu.ts';
import type { RpcSocketServer } from '../rpc/socket-server.ts';
import type { SubscriptionFaults } from '../core/test-faults.ts';
import type { TokenHolds } from './token-holds.ts';

export interface HttpContext {
  core: OpenViduCore;
  sockets: RpcSocketServer;
  options: ResolvedOptions;
  /** http(s)://host:port as clients reach us. */
  publicUrl(): string;
  /** Only with --test-controls: token requests a test holds (see token-holds.ts). */
  tokenHolds?: TokenHolds;
  /** Only with --test-controls: subscriptions the core is to refuse (see core/test-faults.ts). */
  subscriptionFaults?: SubscriptionFaults;
}

/** A route handler: returns false when the path is not its own, so the next one is tried. */
export type Route = (req: IncomingMessage, res: ServerResponse, segments: string[], ctx: HttpContext) => Promise<boolean>;

/** Path segments, percent-decoded one by one, so "%2F" inside an id never becomes a separator. */
export function pathSegments(url: string): string[] | undefined {
  const path = url.split('?')[0] ?? '';
  try {
    return path.split('/').filter((s) => s !== '').map((s) => decodeURIComponent(s));
  } catch {
    return undefined;
  }
}

export function queryFlag(url: string, name: string, fallback: boolean): boolean {
  const query = new URLSearchParams(url.split('?')[1] ?? '');
  const value = query.get(name);
  if (value === null) return fallback;
  return value === 'true';
}
