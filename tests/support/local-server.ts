// One client for the local server, for every kind of test: its REST API as an operator calls it
// (Basic auth with the secret) and the test-only routes it has when started with --test-controls.
// Framework-neutral (throws on an unexpected status), so Playwright specs, the model's page driver
// and vitest server tests share it. `localServer()` is the one the browser tests start.
import { TEST_SECRET, TEST_SERVER_URL } from './ports.ts';

export interface ConnectionJson {
  connectionId: string;
  clientData: string | null;
  publishers: { streamId: string }[] | null;
}

export interface ServerCounts {
  sessions: number;
  participants: number;
  publishers: number;
  subscribers: number;
  openPeerConnections: number;
  pendingTokens: number;
}

export interface ServerState {
  counts: ServerCounts;
  openSockets: number;
  sessions: { id: string; participants: { id: string }[] }[];
  endpoints: { id: string; kind: string; connectionState: string; packets: number }[];
  process: { cpuMicros: number; sampledAtMs: number; rssBytes: number; heapUsedBytes: number };
}

/** How the server answers a token request it holds (see server/http/token-holds.ts). */
export type TokenAnswer = 'normally' | 'revoked' | 'wrongSecret' | 'dropped';

export type LocalServer = ReturnType<typeof localServer>;

export function localServer(baseUrl: string = TEST_SERVER_URL, secret: string = TEST_SECRET) {
  const auth = `Basic ${Buffer.from(`OPENVIDUAPP:${secret}`).toString('base64')}`;

  /** Any request, with the secret; the raw Response. */
  const call = (method: string, path: string, body?: unknown): Promise<Response> =>
    fetch(`${baseUrl}${path}`, {
      method,
      headers: { Authorization: auth, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  /** A request that must answer `status`; throws naming `what` and the body otherwise. */
  const expectStatus = async (status: number, what: string, method: string, path: string, body?: unknown): Promise<Response> => {
    const response = await call(method, path, body);
    if (response.status !== status) {
      throw new Error(`${what}: ${method} ${path} answered ${response.status}, not ${status}: ${await response.text().catch(() => '')}`);
    }
    return response;
  };
  const noContent = async (what: string, method: string, path: string, body?: unknown): Promise<void> => {
    await expectStatus(204, what, method, path, body);
  };
  const enc = encodeURIComponent;

  const server = {
    url: baseUrl,
    call,

    // ---- REST, as an operator
    /** The active connections of a session, by nickname (what each page passed as clientData). */
    async connectionsBy(sessionId: string): Promise<Map<string, ConnectionJson>> {
      const response = await call('GET', `/openvidu/api/sessions/${enc(sessionId)}`);
      if (response.status === 404) return new Map();
      if (response.status !== 200) throw new Error(`GET session ${sessionId} answered ${response.status}`);
      const session = (await response.json()) as { connections: { content: ConnectionJson[] } };
      const byNickname = new Map<string, ConnectionJson>();
      for (const connection of session.connections.content) {
        const nickname = (JSON.parse(connection.clientData ?? '{}') as { clientData?: string }).clientData ?? '';
        byNickname.set(nickname, connection);
      }
      return byNickname;
    },
    async connectionOf(sessionId: string, nickname: string): Promise<ConnectionJson> {
      const connection = (await server.connectionsBy(sessionId)).get(nickname);
      if (!connection) throw new Error(`${nickname} is not connected to ${sessionId}`);
      return connection;
    },
    /** Deletes a connection: evicts an active participant, or revokes a pending token. */
    evict: (sessionId: string, connectionId: string) =>
      noContent('evict', 'DELETE', `/openvidu/api/sessions/${enc(sessionId)}/connection/${enc(connectionId)}`),
    closeSession: (sessionId: string) => noContent('close the session', 'DELETE', `/openvidu/api/sessions/${enc(sessionId)}`),
    forceUnpublish: (sessionId: string, streamId: string) =>
      noContent('force unpublish', 'DELETE', `/openvidu/api/sessions/${enc(sessionId)}/stream/${enc(streamId)}`),

    // ---- test controls
    dropSocket: (connectionId: string) => noContent('drop the socket', 'POST', `/test/connections/${enc(connectionId)}/drop-socket`),
    /** The server refuses that participant's next `count` subscriptions (0 lifts the fault). */
    failSubscriptions: (connectionId: string, count = 1) =>
      noContent('fail subscriptions', 'POST', `/test/connections/${enc(connectionId)}/fail-subscriptions`, { count }),
    refuseWebSockets: (ms: number) => noContent('refuse websockets', 'POST', '/test/refuse-websockets', { ms }),
    delayAnswers: (method: string, ms: number) => noContent(`delay answers to ${method}`, 'POST', '/test/delay-answers', { method, ms }),
    notify: (connectionId: string, method: string, params: object) =>
      noContent('notify', 'POST', `/test/connections/${enc(connectionId)}/notify`, { method, params }),
    /** Every token request for the session waits at the server until released (true), or none does (false: held ones are dropped). */
    holdTokenRequests: (sessionId: string, hold: boolean) =>
      noContent('hold token requests', 'POST', `/test/sessions/${enc(sessionId)}/token-requests`, { hold }),
    async heldTokenRequests(sessionId: string): Promise<number> {
      const response = await expectStatus(200, 'held token requests', 'GET', `/test/sessions/${enc(sessionId)}/token-requests`);
      return ((await response.json()) as { held: number }).held;
    },
    /** Answers the oldest token request held for the session as told. */
    releaseTokenRequest: (sessionId: string, answer: TokenAnswer) =>
      noContent(`release a token request (${answer})`, 'POST', `/test/sessions/${enc(sessionId)}/token-requests`, { release: answer }),
    async state(): Promise<ServerState> {
      return (await (await expectStatus(200, 'test state', 'GET', '/test/state')).json()) as ServerState;
    },
    /** How many participants the server still holds in a session (0 once it is gone). */
    async participantsIn(sessionId: string): Promise<number> {
      return (await server.state()).sessions.find((s) => s.id === sessionId)?.participants.length ?? 0;
    },
  };
  return server;
}

/** The server the browser tests start (playwright.config.ts). */
export const testServer = localServer();
