// Basic auth (OPENVIDUAPP:<secret>) and permissive CORS, as OpenVidu's SecurityConfig sets them up.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** CORS for every response: any origin, header and method, as the real CorsFilter allows. */
export function applyCors(req: IncomingMessage, res: ServerResponse): void {
  const origin = req.headers.origin;
  res.setHeader('Access-Control-Allow-Origin', origin ?? '*');
  if (origin) res.setHeader('Vary', 'Origin');
  res.setHeader('Access-Control-Allow-Credentials', 'true');
  res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, PATCH, DELETE, OPTIONS, HEAD');
  res.setHeader('Access-Control-Allow-Headers', req.headers['access-control-request-headers'] ?? '*');
  res.setHeader('Access-Control-Max-Age', '3600');
}

/** A preflight is answered before auth, so browsers can send the Authorization header afterwards. */
export function isPreflight(req: IncomingMessage): boolean {
  return req.method === 'OPTIONS';
}

export function isAuthorized(req: IncomingMessage, secret: string): boolean {
  const header = req.headers.authorization ?? '';
  const match = /^Basic\s+(.+)$/i.exec(header);
  if (!match?.[1]) return false;
  const given = Buffer.from(Buffer.from(match[1], 'base64').toString('utf8'));
  const expected = Buffer.from(`OPENVIDUAPP:${secret}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function refuseUnauthorized(res: ServerResponse): void {
  res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="OpenVidu"', 'Content-Length': 0 });
  res.end();
}
