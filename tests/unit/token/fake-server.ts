// A real HTTP server on 127.0.0.1 for the token tests: fetch, sockets, statuses and bodies are the
// genuine article, only the answers are scripted.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Reply {
  status: number;
  body?: string;
  contentType?: string;
}

// `'hang'` keeps the request open so a test can abort it mid-flight.
export type Route = (request: SeenRequest) => Reply | 'hang';

export interface FakeServer {
  url: string;
  seen: SeenRequest[];
  // Resolves when the server has received the n-th request (1-based).
  received(count: number): Promise<void>;
  close(): Promise<void>;
}

export const json = (status: number, value: unknown): Reply => ({
  status,
  body: JSON.stringify(value),
  contentType: 'application/json',
});
export const text = (status: number, value: string): Reply => ({ status, body: value, contentType: 'text/plain' });
export const empty = (status: number): Reply => ({ status });

export async function startFakeServer(route: Route): Promise<FakeServer> {
  const seen: SeenRequest[] = [];
  const waiters: Array<{ count: number; resolve: () => void }> = [];

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request: SeenRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      seen.push(request);
      for (const waiter of waiters.filter((w) => w.count <= seen.length)) waiter.resolve();
      const reply = route(request);
      if (reply === 'hang') return;
      res.writeHead(reply.status, reply.contentType ? { 'Content-Type': reply.contentType } : {});
      res.end(reply.body ?? '');
    });
  });
  const port = await listen(server);

  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    received: (count) =>
      seen.length >= count ? Promise.resolve() : new Promise((resolve) => waiters.push({ count, resolve })),
    close: () => close(server),
  };
}

// A port that was free a moment ago and has nothing listening now: connecting to it is refused.
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  const port = await listen(server);
  await close(server);
  return `http://127.0.0.1:${port}`;
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
