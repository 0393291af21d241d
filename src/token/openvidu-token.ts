import { discard, postJson, readJsonString, withoutTrailingSlash } from './http.ts';

// The tutorial's insecure way: the page itself holds the secret and talks to the OpenVidu REST API.
// Only fit for development; `application-server-token.ts` is the way that keeps the secret safe.
export async function fetchOpenViduToken(
  sessionId: string,
  server: { url: string; secret: string },
  signal?: AbortSignal,
): Promise<string> {
  const request = {
    kind: 'openvidu' as const,
    url: withoutTrailingSlash(server.url),
    sessionId,
    headers: { Authorization: basicAuth('OPENVIDUAPP', server.secret) },
    signal,
  };

  const created = await postJson(request, '/openvidu/api/sessions', { customSessionId: sessionId }, [409]);
  let id: string;
  if (created.status === 409) {
    // Someone already opened this session: joining it is exactly what the person asked for.
    discard(created);
    id = sessionId;
  } else {
    // An empty name makes the server pick one, so the id comes from the answer, not from the input.
    id = await readJsonString(request, created, 'id');
  }

  // Tokens are single use, so a new one is fetched on every join; nothing here caches.
  const connection = await postJson(request, `/openvidu/api/sessions/${encodeURIComponent(id)}/connection`, {});
  return readJsonString(request, connection, 'token');
}

// UTF-8 first, as openvidu-node-client and Spring do: bare btoa throws on any non-Latin-1 secret.
function basicAuth(user: string, password: string): string {
  const bytes = new TextEncoder().encode(`${user}:${password}`);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `Basic ${btoa(binary)}`;
}
