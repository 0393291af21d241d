// The programmatic entry point: start a server in-process (tests, the start script) and close it.
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { resolveOptions, type ServerOptions } from './config.ts';
import { OpenViduCore } from './core/openvidu.ts';
import { createRequestHandler } from './http/router.ts';
import { TokenHolds } from './http/token-holds.ts';
import { SubscriptionFaults } from './core/test-faults.ts';
import { consoleLogger, oneLineLogger } from './log.ts';
import { RpcSocketServer } from './rpc/socket-server.ts';
import { Sfu } from './sfu/sfu.ts';
import { makeSelfSignedCertificate } from './tls.ts';

export type { ServerOptions, SubscribeFlow } from './config.ts';

export interface RunningServer {
  /** The public URL (what tokens and /config/openvidu-publicurl report). */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** The host of a configured public URL, so the certificate covers the name phones will use. */
function publicHost(url: string | undefined): string[] {
  if (!url) return [];
  try {
    return [new URL(url).hostname];
  } catch {
    return [];
  }
}

export async function startOpenViduServer(input: ServerOptions = {}): Promise<RunningServer> {
  const options = resolveOptions(input, consoleLogger);
  // Whatever a client put in a nickname or a path, each log call is one line with no terminal escapes.
  options.logger = oneLineLogger(options.logger);
  const sfu = new Sfu({ loopbackOnly: options.loopbackOnly, extraAddresses: options.iceAddresses }, options.limits);
  let publicUrl = '';
  // Test-only fault injection exists only with test controls, and only they reach it.
  const subscriptionFaults = options.testControls ? new SubscriptionFaults() : undefined;
  const core = new OpenViduCore({
    sfu,
    logger: options.logger,
    // Tokens point at the WebSocket of the public URL: http → ws, https → wss, no trailing slash.
    tokenBaseUrl: () => publicUrl.replace(/^http/, 'ws').replace(/\/+$/, ''),
    reconnectionWindowMs: options.reconnectionWindowMs,
    subscribeFlow: options.subscribeFlow,
    limits: options.limits,
    ...(subscriptionFaults ? { subscriptionFaults } : {}),
  });
  const sockets = new RpcSocketServer({
    core,
    logger: options.logger,
    maxFrameBytes: options.maxFrameBytes,
    pingTimeoutMs: options.pingTimeoutMs,
    limits: options.limits,
    trustProxy: options.trustProxy,
  });
  const handler = createRequestHandler({
    core,
    sockets,
    options,
    publicUrl: () => publicUrl,
    ...(subscriptionFaults ? { tokenHolds: new TokenHolds(), subscriptionFaults } : {}),
  });

  const server: Server = options.tls
    ? createHttpsServer(await makeSelfSignedCertificate([...options.iceAddresses, ...publicHost(options.publicUrl)]), handler)
    : createHttpServer(handler);
  // No socket may be without an error listener: a client resetting its connection at any moment
  // (mid-request, on a refused upgrade, after an upgrade) would otherwise end the process. Node
  // drops its own listener from a socket it hands to 'upgrade'; this one stays.
  const ignoreSocketError = (socket: Duplex) => socket.on('error', () => socket.destroy());
  server.on('connection', ignoreSocketError);
  server.on('secureConnection', ignoreSocketError);
  server.on('upgrade', (request, socket, head) => sockets.handleUpgrade(request, socket, head));
  server.on('clientError', (_error, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  publicUrl = (options.publicUrl ?? `${options.tls ? 'https' : 'http'}://localhost:${port}`).replace(/\/+$/, '');
  options.logger(`OpenVidu-compatible server on ${publicUrl} (secret ${options.secret === 'MY_SECRET' ? 'MY_SECRET' : 'set'}, ` +
    `${options.loopbackOnly ? 'loopback-only ICE' : 'host ICE'}, ${options.subscribeFlow} subscribe flow)`);

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      // The core first: once it is closed, sockets closing below are not mistaken for network drops.
      await core.close();
      await sockets.close();
      server.closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    })();
    return closing;
  };
  return { url: publicUrl, port, close };
}
