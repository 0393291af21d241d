// The application server: the one process a deployment runs beside OpenVidu. It serves the built
// page (dist/) and answers the token contract the page uses in its secure mode
// (`POST /api/sessions`, `POST /api/sessions/{id}/connections`, plain-text answers) by asking
// OpenVidu with openvidu-node-client. The secret stays here: it is never sent to a browser, never
// put in an answer and never logged. Roles are decided here (every participant publishes), never
// taken from the request; only the page's own origin may call the API.
import { createReadStream, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';
import { OpenVidu, OpenViduRole, type Session } from 'openvidu-node-client';
import { readBody } from '../http/body.ts';
import { HttpError } from '../http/respond.ts';

export interface AppServerOptions {
  /** Where OpenVidu is (OPENVIDU_URL), e.g. https://openvidu.example.com or http://localhost:4443. */
  openviduUrl: string;
  /** OPENVIDU_SECRET. Never leaves this process. */
  openviduSecret: string;
  /** 0 picks a free port. Default 5000. */
  port?: number;
  /** Default all interfaces (a container's port mapping needs it). */
  host?: string;
  /** The built page to serve (dist/); null serves only the API. */
  pageDir?: string | null;
  logger?: (line: string) => void;
  /** How long one call to OpenVidu may take before the page is told so (504). */
  openviduTimeoutMs?: number;
  /** Largest request body accepted (413 past it). */
  maxBodyBytes?: number;
}

export interface RunningAppServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** What the page sends as a session name (and OpenVidu accepts as a customSessionId). */
export const SESSION_ID = /^[a-zA-Z0-9_-]{1,100}$/;
export const NICKNAME_MAX_LENGTH = 50;


const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.map': 'application/json; charset=utf-8',
  '.ico': 'image/x-icon',
  '.png': 'image/png',
  '.txt': 'text/plain; charset=utf-8',
};

export async function startAppServer(options: AppServerOptions): Promise<RunningAppServer> {
  const log = options.logger ?? ((line: string) => console.log(`[app-server] ${line}`));
  const openviduUrl = options.openviduUrl.replace(/\/+$/, '');
  const openvidu = new OpenVidu(openviduUrl, options.openviduSecret);
  const timeoutMs = options.openviduTimeoutMs ?? 10_000;
  const maxBodyBytes = options.maxBodyBytes ?? 1024;
  const pageDir = options.pageDir === null ? null : resolve(options.pageDir ?? 'dist');

  /** One call to OpenVidu, bounded in time, its failure turned into the page's status. */
  async function askOpenVidu<T>(what: string, call: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new HttpError(504, `OpenVidu did not answer in time (${what})`)), timeoutMs);
    });
    try {
      return await Promise.race([call(), timeout]);
    } catch (error) {
      if (error instanceof HttpError) throw error;
      // openvidu-node-client rejects with the HTTP status as the message, or with no status when
      // nothing answered. Its errors are never passed on as they are.
      const status = Number((error as Error).message);
      if (status === 404) throw new HttpError(404, 'Session not found');
      if (status === 400) throw new HttpError(400, 'OpenVidu refused the session id');
      if (status === 401 || status === 403) throw new HttpError(502, 'OpenVidu refused this server\'s credentials (check OPENVIDU_SECRET)');
      if (Number.isInteger(status) && status > 0) throw new HttpError(502, `OpenVidu answered with status ${status} (${what})`);
      throw new HttpError(503, 'OpenVidu is unreachable (check OPENVIDU_URL and that OpenVidu is running)');
    } finally {
      clearTimeout(timer);
    }
  }

  /** The Session object for an id, from what this process knows, then from OpenVidu. */
  async function findSession(sessionId: string): Promise<Session | undefined> {
    const known = openvidu.activeSessions.find((s) => s.sessionId === sessionId);
    if (known) return known;
    await askOpenVidu('listing sessions', () => openvidu.fetch());
    return openvidu.activeSessions.find((s) => s.sessionId === sessionId);
  }

  async function createSession(req: IncomingMessage): Promise<string> {
    const body = await readJsonObject(req, maxBodyBytes, ['customSessionId']);
    const sessionId = body.customSessionId;
    if (typeof sessionId !== 'string' || !SESSION_ID.test(sessionId)) {
      throw new HttpError(400, 'customSessionId must be 1 to 100 letters, digits, - or _');
    }
    // An existing session is joined, not refused: the node client answers its 409 by fetching it.
    const session = await askOpenVidu('creating a session', () => openvidu.createSession({ customSessionId: sessionId }));
    // The node client adds a Session object per call; keep one per id so this does not grow.
    openvidu.activeSessions = [...openvidu.activeSessions.filter((s) => s.sessionId !== session.sessionId), session];
    return session.sessionId;
  }

  async function createConnection(req: IncomingMessage, sessionId: string): Promise<string> {
    if (!SESSION_ID.test(sessionId)) throw new HttpError(400, 'The session id must be 1 to 100 letters, digits, - or _');
    const body = await readJsonObject(req, maxBodyBytes, ['nickname']);
    if (body.nickname !== undefined) validateNickname(body.nickname);
    const session = await findSession(sessionId);
    if (!session) throw new HttpError(404, 'Session not found');
    // The role is this server's decision: every participant of this page publishes. No server
    // data, no Kurento options: nothing from the request reaches the connection's properties.
    const connection = await askOpenVidu('creating a connection', () => session.createConnection({ role: OpenViduRole.PUBLISHER }));
    return connection.token;
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, segments: string[]): Promise<void> {
    // Only the page's own origin: no CORS headers are ever sent, and a foreign Origin is refused
    // before anything else (a browser on another site cannot read the answer, nor make one).
    if (!sameOrigin(req)) throw new HttpError(403, 'Cross-origin requests are not accepted');
    if (req.method === 'OPTIONS') {
      sendText(res, 204, '');
      return;
    }
    const [, , sessionId, sub, ...rest] = segments;
    if (rest.length > 0 || (sessionId !== undefined && sub !== 'connections') || (sessionId === undefined && sub !== undefined)) {
      throw new HttpError(404, 'Not found');
    }
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      throw new HttpError(405, 'Use POST');
    }
    if (sessionId === undefined) sendText(res, 200, await createSession(req));
    else sendText(res, 200, await createConnection(req, sessionId));
  }

  function serveStatic(req: IncomingMessage, res: ServerResponse, path: string): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      throw new HttpError(405, 'Method not allowed');
    }
    if (!pageDir) throw new HttpError(404, 'Not found');
    const file = resolve(join(pageDir, path === '/' ? 'index.html' : path));
    if (!file.startsWith(pageDir + sep)) throw new HttpError(404, 'Not found');
    let size: number;
    try {
      const stat = statSync(file);
      if (!stat.isFile()) throw new Error('not a file');
      size = stat.size;
    } catch {
      throw new HttpError(404, 'Not found');
    }
    res.writeHead(200, {
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Content-Length': size,
      // Hashed file names never change; index.html and config.json must be read afresh.
      'Cache-Control': path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  }

  const server = createServer((req, res) => {
    void (async () => {
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Referrer-Policy', 'no-referrer');
      const path = decodePath(req.url ?? '/');
      try {
        if (path === null) throw new HttpError(400, 'Malformed path');
        // Split before decoding, so an encoded slash stays inside its segment (and is refused there).
        const segments = (req.url ?? '/').split('?')[0]!.split('/').filter(Boolean).map(decodeURIComponent);
        if (segments[0] === 'api') {
          if (segments[1] !== 'sessions') throw new HttpError(404, 'Not found');
          await handleApi(req, res, segments);
        } else {
          serveStatic(req, res, path);
        }
      } catch (error) {
        const status = error instanceof HttpError ? error.status : 500;
        const message = error instanceof HttpError ? error.message : 'Internal server error';
        if (status >= 500 || status === 403) log(`${req.method} ${path ?? '?'} → ${status} ${message}`);
        if (!(error instanceof HttpError)) log(`unexpected error: ${(error as Error).name}`);
        if (res.headersSent) res.destroy();
        else {
          if (status === 413) res.setHeader('Connection', 'close');
          sendText(res, status, message);
        }
      }
    })();
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;

  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 5000, options.host ?? '0.0.0.0', () => {
      server.off('error', fail);
      done();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://localhost:${port}`;
  log(`serving ${pageDir ?? 'no page'} and the token API on ${url}; OpenVidu at ${openviduUrl}` +
    (options.openviduSecret === 'MY_SECRET' ? ' (WARNING: the default secret MY_SECRET; set OPENVIDU_SECRET)' : ' (secret set)'));

  return {
    url,
    port,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

function validateNickname(nickname: unknown): void {
  if (typeof nickname !== 'string') throw new HttpError(400, 'nickname must be a string');
  const trimmed = nickname.trim();
  if (trimmed === '' || [...trimmed].length > NICKNAME_MAX_LENGTH) {
    throw new HttpError(400, `nickname must be 1 to ${NICKNAME_MAX_LENGTH} characters`);
  }
  if (/[\p{Cc}\p{Cf}]/u.test(trimmed)) throw new HttpError(400, 'nickname may not contain control characters');
}

function decodePath(url: string): string | null {
  try {
    return decodeURIComponent(url.split('?')[0] ?? '/');
  } catch {
    return null;
  }
}

/**
 * A request with no Origin (curl, a server) or with this server's own host as its origin: the
 * Host header, or behind a reverse proxy (OpenVidu's nginx) the X-Forwarded-Host it sets. A page
 * on another site can set neither.
 */
function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return req.headers['sec-fetch-site'] !== 'cross-site';
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return false;
  }
  const forwarded = req.headers['x-forwarded-host'];
  const forwardedHosts = (Array.isArray(forwarded) ? forwarded.join(',') : (forwarded ?? '')).split(',').map((h) => h.trim());
  return host !== '' && (host === req.headers.host || forwardedHosts.includes(host));
}

async function readJsonObject(req: IncomingMessage, limit: number, allowed: string[]): Promise<Record<string, unknown>> {
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    req.resume();
    throw new HttpError(415, 'Send a JSON body (Content-Type: application/json)');
  }
  // The local server's reader: the same size cap (413), declared or streamed.
  const text = await readBody(req, limit);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new HttpError(400, 'The body is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new HttpError(400, 'The body must be a JSON object');
  const unknown = Object.keys(value).filter((key) => !allowed.includes(key));
  // A role, server data or media options chosen by the client are refused, not silently dropped.
  if (unknown.length > 0) throw new HttpError(400, `Not accepted: ${unknown.slice(0, 5).join(', ')}`.slice(0, 200));
  return value as Record<string, unknown>;
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
