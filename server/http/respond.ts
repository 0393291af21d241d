// Response helpers shared by the HTTP routes. Error bodies use the real server's shape
// (SessionRestController.generateErrorResponse) so clients that log them see familiar text.
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** Many OpenVidu replies (404, 409, 204) have no body at all. */
export function sendEmpty(res: ServerResponse, status: number): void {
  res.writeHead(status, { 'Content-Length': 0 });
  res.end();
}

export function sendError(req: IncomingMessage, res: ServerResponse, status: number, message: string): void {
  sendJson(res, status, {
    timestamp: Date.now(),
    status,
    error: STATUS_CODES[status] ?? 'Error',
    message,
    path: (req.url ?? '').split('?')[0],
  });
}

/** Thrown by route code to answer with an error status; the router turns it into a response. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** OpenVidu answers some errors with no body (404 for an unknown session, 409 for a duplicate). */
    readonly emptyBody = false,
  ) {
    super(message);
  }
}
