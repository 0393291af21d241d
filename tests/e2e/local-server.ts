// The local server as the e2e specs see it: its REST API (as an operator would call it) and the
// test-only routes it has when started with --test-controls.
import { expect } from '@playwright/test';
import { TEST_SECRET, TEST_SERVER_URL } from '../support/ports.ts';

const AUTH = `Basic ${Buffer.from(`OPENVIDUAPP:${TEST_SECRET}`).toString('base64')}`;

async function call(method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${TEST_SERVER_URL}${path}`, {
    method,
    headers: { Authorization: AUTH, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

interface ConnectionJson {
  connectionId: string;
  clientData: string | null;
  publishers: { streamId: string }[] | null;
}

/** The active connections of a session, by nickname (what each page passed as clientData). */
export async function connectionsBy(sessionId: string): Promise<Map<string, ConnectionJson>> {
  const response = await call('GET', `/openvidu/api/sessions/${encodeURIComponent(sessionId)}`);
  if (response.status === 404) return new Map();
  expect(response.status).toBe(200);
  const session = (await response.json()) as { connections: { content: ConnectionJson[] } };
  const byNickname = new Map<string, ConnectionJson>();
  for (const connection of session.connections.content) {
    const nickname = (JSON.parse(connection.clientData ?? '{}') as { clientData?: string }).clientData ?? '';
    byNickname.set(nickname, connection);
  }
  return byNickname;
}

export async function connectionOf(sessionId: string, nickname: string): Promise<ConnectionJson> {
  const connection = (await connectionsBy(sessionId)).get(nickname);
  if (!connection) throw new Error(`${nickname} is not connected to ${sessionId}`);
  return connection;
}

export async function evict(sessionId: string, connectionId: string): Promise<void> {
  expect((await call('DELETE', `/openvidu/api/sessions/${sessionId}/connection/${connectionId}`)).status).toBe(204);
}

export async function closeSession(sessionId: string): Promise<void> {
  expect((await call('DELETE', `/openvidu/api/sessions/${sessionId}`)).status).toBe(204);
}

export async function forceUnpublish(sessionId: string, streamId: string): Promise<void> {
  expect((await call('DELETE', `/openvidu/api/sessions/${sessionId}/stream/${streamId}`)).status).toBe(204);
}

export async function dropSocket(connectionId: string): Promise<void> {
  expect((await call('POST', `/test/connections/${connectionId}/drop-socket`)).status).toBe(204);
}

/** The server refuses that participant's next subscription (its next remote stream fails for them only). */
export async function failNextSubscription(connectionId: string): Promise<void> {
  expect((await call('POST', `/test/connections/${connectionId}/fail-subscriptions`, { count: 1 })).status).toBe(204);
}

export async function refuseWebSockets(ms: number): Promise<void> {
  expect((await call('POST', '/test/refuse-websockets', { ms })).status).toBe(204);
}

interface ServerState {
  counts: { sessions: number; participants: number; publishers: number; subscribers: number; openPeerConnections: number };
  sessions: { id: string; participants: { id: string }[] }[];
}

export async function serverState(): Promise<ServerState> {
  return (await (await call('GET', '/test/state')).json()) as ServerState;
}

/** How many participants the server still holds in a session (0 once it is gone). */
export async function participantsIn(sessionId: string): Promise<number> {
  const state = await serverState();
  return state.sessions.find((s) => s.id === sessionId)?.participants.length ?? 0;
}
