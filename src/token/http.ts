import { forStatus, unexpectedBody, unreachable, type ServerInfo } from './error-messages.ts';

// Everything one token request needs to explain its own failures.
export interface TokenRequest extends ServerInfo {
  sessionId: string;
  headers?: Record<string, string>;
  signal?: AbortSignal | undefined;
}

export function withoutTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

// `accept` lists statuses that mean something to the caller besides success (409 for the OpenVidu
// session step); every other non-2xx becomes a TokenError here, in one place for both sources.
export async function postJson(request: TokenRequest, path: string, body: unknown, accept: number[] = []): Promise<Response> {
  const response = await guard(request, () =>
    fetch(request.url + path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...request.headers },
      body: JSON.stringify(body),
      signal: request.signal ?? null,
    }),
  );
  if (response.ok || accept.includes(response.status)) return response;
  discard(response);
  throw forStatus(request, request.sessionId, response.status);
}

// An unread body keeps its connection busy until garbage collection; nothing in it is needed.
export function discard(response: Response): void {
  void response.body?.cancel().catch(() => {});
}

export async function readJsonString(request: TokenRequest, response: Response, field: string): Promise<string> {
  const text = await guard(request, () => response.text());
  let value: unknown;
  try {
    value = (JSON.parse(text) as Record<string, unknown> | null)?.[field];
  } catch {
    value = undefined;
  }
  if (typeof value === 'string' && value !== '') return value;
  throw unexpectedBody(request, response.status, `a "${field}"`);
}

export async function readText(request: TokenRequest, response: Response, what: string): Promise<string> {
  const text = await guard(request, () => response.text());
  if (text !== '') return text;
  throw unexpectedBody(request, response.status, what);
}

// The body can fail mid-stream just like the request, so both go through the same mapping.
async function guard<T>(request: TokenRequest, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    // Leaving cancels the fetch; the caller must see its own AbortError, not a "server down" message.
    if (request.signal?.aborted || (error instanceof Error && error.name === 'AbortError')) throw error;
    // fetch reports refused connections, DNS failures, CORS and bad certificates all as TypeError.
    if (error instanceof TypeError) throw unreachable(request, error);
    throw error;
  }
}
