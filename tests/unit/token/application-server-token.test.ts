// @vitest-environment node
import { afterEach, describe, expect, it } from 'vitest';
import { fetchApplicationServerToken, TokenError } from '../../../src/token/index.ts';
import { closedPortUrl, empty, startFakeServer, text, type FakeServer, type Route } from './fake-server.ts';

const TOKEN = 'ws://localhost:4443?sessionId=SessionA&token=tok_AbC123';

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(route: Route): Promise<string> {
  server = await startFakeServer(route);
  return server.url;
}

async function rejection(promise: Promise<unknown>): Promise<TokenError> {
  const error = await promise.catch((reason: unknown) => reason);
  expect(error).toBeInstanceOf(TokenError);
  return error as TokenError;
}

describe('fetchApplicationServerToken', () => {
  it('returns the token from the plain-text answers, sending no secret', async () => {
    const url = await serve((req) => (req.path === '/api/sessions' ? text(200, 'SessionA') : text(200, TOKEN)));

    await expect(fetchApplicationServerToken('SessionA', { url: `${url}/` })).resolves.toBe(TOKEN);

    const seen = server!.seen;
    expect(seen.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /api/sessions',
      'POST /api/sessions/SessionA/connections',
    ]);
    expect(JSON.parse(seen[0]!.body)).toEqual({ customSessionId: 'SessionA' });
    expect(JSON.parse(seen[1]!.body)).toEqual({});
    expect(seen[0]!.headers.authorization).toBeUndefined();
  });

  it('401: unexpected (there is no secret to blame), with a message that says what happened', async () => {
    const url = await serve(() => empty(401));

    const error = await rejection(fetchApplicationServerToken('SessionA', { url }));
    expect(error.kind).toBe('unexpected');
    expect(error.status).toBe(401);
    expect(error.message).toMatch(/^You cannot join: the call service refused the request\./);
    expect(error.message).toContain(`the application server at ${url} answered 401 Unauthorized`);
  });

  it('400: the session name was rejected', async () => {
    const url = await serve(() => empty(400));

    const error = await rejection(fetchApplicationServerToken('<img>', { url }));
    expect(error.kind).toBe('badSessionName');
    expect(error.message).toContain('"<img>"');
  });

  it('an empty answer where the token should be: unexpected', async () => {
    const url = await serve((req) => (req.path === '/api/sessions' ? text(200, 'SessionA') : text(200, '')));

    const error = await rejection(fetchApplicationServerToken('SessionA', { url }));
    expect(error.kind).toBe('unexpected');
    expect(error.message).toContain('token');
  });

  it('connection refused: unreachable, naming the application server', async () => {
    const url = await closedPortUrl();

    const error = await rejection(fetchApplicationServerToken('SessionA', { url }));
    expect(error.kind).toBe('unreachable');
    expect(error.message).toContain(`nothing answered at ${url} (the application server)`);
    expect(error.message).not.toContain('npm start');
  });
});
