import { postJson, readText, withoutTrailingSlash } from './http.ts';

// The secure way of the newer OpenVidu tutorials: an application server keeps the secret and hands
// out tokens. Its contract answers with plain text (the session id, then the token), not JSON.
export async function fetchApplicationServerToken(
  sessionId: string,
  server: { url: string },
  signal?: AbortSignal,
): Promise<string> {
  const request = { kind: 'application-server' as const, url: withoutTrailingSlash(server.url), sessionId, signal };

  const created = await postJson(request, '/api/sessions', { customSessionId: sessionId });
  const id = await readText(request, created, 'a session id');

  const connection = await postJson(request, `/api/sessions/${encodeURIComponent(id)}/connections`, {});
  return readText(request, connection, 'a token');
}
