// @vitest-environment node
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { makeSelfSignedCertificate } from '../../../server/tls.ts';
import { fetchOpenViduToken, TokenError } from '../../../src/token/index.ts';
import { closedPortUrl, empty, json, startFakeServer, type FakeServer, type Route } from './fake-server.ts';

const SECRET = 'Sup3r-Secret_Value';
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

// The server a caller hopes for: creates the session, then hands out a token.
const happy: Route = (req) =>
  req.path === '/openvidu/api/sessions' ? json(200, { id: 'SessionA', sessionId: 'SessionA' }) : json(200, { token: TOKEN });

async function rejection(promise: Promise<unknown>): Promise<TokenError> {
  const error = await promise.then(
    () => {
      throw new Error('expected the token request to fail');
    },
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(TokenError);
  return error as TokenError;
}

function expectSecretHidden(error: Error) {
  for (const shown of [error.message, String(error), error.stack ?? '']) {
    expect(shown).not.toContain(SECRET);
    expect(shown).not.toContain(btoa(`OPENVIDUAPP:${SECRET}`));
  }
}

describe('fetchOpenViduToken', () => {
  it('returns the token, authenticating with Basic OPENVIDUAPP:<secret> and sending the JSON bodies', async () => {
    const url = await serve(happy);

    await expect(fetchOpenViduToken('SessionA', { url, secret: SECRET })).resolves.toBe(TOKEN);

    const seen = server!.seen;
    expect(seen.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /openvidu/api/sessions',
      'POST /openvidu/api/sessions/SessionA/connection',
    ]);
    for (const request of seen) {
      expect(request.headers.authorization).toBe(`Basic ${Buffer.from(`OPENVIDUAPP:${SECRET}`).toString('base64')}`);
      expect(request.headers['content-type']).toBe('application/json');
    }
    expect(JSON.parse(seen[0]!.body)).toEqual({ customSessionId: 'SessionA' });
    expect(JSON.parse(seen[1]!.body)).toEqual({});
  });

  it('asks for the connection in the session the server named (an empty name lets the server choose)', async () => {
    const url = await serve((req) =>
      req.path === '/openvidu/api/sessions' ? json(200, { id: 'ses_Generated1' }) : json(200, { token: TOKEN }),
    );

    await expect(fetchOpenViduToken('', { url, secret: SECRET })).resolves.toBe(TOKEN);
    expect(server!.seen[1]!.path).toBe('/openvidu/api/sessions/ses_Generated1/connection');
  });

  it('joins the existing session when the name is taken (409 with an empty body)', async () => {
    const url = await serve((req) => (req.path === '/openvidu/api/sessions' ? empty(409) : json(200, { token: TOKEN })));

    await expect(fetchOpenViduToken('SessionA', { url, secret: SECRET })).resolves.toBe(TOKEN);
    expect(server!.seen[1]!.path).toBe('/openvidu/api/sessions/SessionA/connection');
  });

  it('ignores a trailing slash on the server URL', async () => {
    const url = await serve(happy);

    await expect(fetchOpenViduToken('SessionA', { url: `${url}/`, secret: SECRET })).resolves.toBe(TOKEN);
    expect(server!.seen.map((r) => r.path)).toEqual([
      '/openvidu/api/sessions',
      '/openvidu/api/sessions/SessionA/connection',
    ]);
  });

  it('encodes a non-ASCII secret as UTF-8, as openvidu-node-client does', async () => {
    const url = await serve(happy);
    const secret = 'clé-秘密';

    await expect(fetchOpenViduToken('SessionA', { url, secret })).resolves.toBe(TOKEN);
    expect(server!.seen[0]!.headers.authorization).toBe(
      `Basic ${Buffer.from(`OPENVIDUAPP:${secret}`, 'utf8').toString('base64')}`,
    );
  });

  it('401: says the server refused the secret, without printing it', async () => {
    const url = await serve(() => json(401, { status: 401, error: 'Unauthorized' }));

    const error = await rejection(fetchOpenViduToken('SessionA', { url, secret: SECRET }));
    expect(error.kind).toBe('secretRefused');
    expect(error.status).toBe(401);
    expect(error.message).toMatch(/refused the secret/);
    expect(error.message).toContain('OPENVIDU_SECRET');
    expectSecretHidden(error);
  });

  it('400: names the rejected session name and the characters allowed', async () => {
    const url = await serve(() =>
      json(400, { status: 400, error: 'Bad Request', message: 'customSessionId not valid', path: '/openvidu/api/sessions' }),
    );

    const error = await rejection(fetchOpenViduToken('a b', { url, secret: SECRET }));
    expect(error.kind).toBe('badSessionName');
    expect(error.status).toBe(400);
    expect(error.message).toBe('The session name "a b" was refused: use only letters, digits, - and _.');
    expectSecretHidden(error);
  });

  it('404 on the connection step: the session closed in between', async () => {
    const url = await serve((req) => (req.path === '/openvidu/api/sessions' ? empty(409) : empty(404)));

    const error = await rejection(fetchOpenViduToken('SessionA', { url, secret: SECRET }));
    expect(error.kind).toBe('sessionGone');
    expect(error.status).toBe(404);
    expect(error.message).toBe('The session "SessionA" closed before you could join. Try again.');
    expectSecretHidden(error);
  });

  it('500: unexpected, with the status in the message', async () => {
    const url = await serve(() => json(500, { status: 500, error: 'Internal Server Error' }));

    const error = await rejection(fetchOpenViduToken('SessionA', { url, secret: SECRET }));
    expect(error.kind).toBe('unexpected');
    expect(error.status).toBe(500);
    expect(error.message).toContain('500');
    expectSecretHidden(error);
  });

  it('200 without a string token: unexpected, not an undefined token', async () => {
    const url = await serve((req) =>
      req.path === '/openvidu/api/sessions' ? json(200, { id: 'SessionA' }) : json(200, { token: 42 }),
    );

    const error = await rejection(fetchOpenViduToken('SessionA', { url, secret: SECRET }));
    expect(error.kind).toBe('unexpected');
    expect(error.status).toBe(200);
    expect(error.message).toContain('token');
    expectSecretHidden(error);
  });

  it('200 that is not JSON at all (a web page at that URL): unexpected', async () => {
    const url = await serve(() => ({ status: 200, body: '<!doctype html><p>hello', contentType: 'text/html' }));

    const error = await rejection(fetchOpenViduToken('SessionA', { url, secret: SECRET }));
    expect(error.kind).toBe('unexpected');
  });

  it('connection refused: unreachable, for the person first, then the URL and setting for the operator', async () => {
    const url = await closedPortUrl();

    const error = await rejection(fetchOpenViduToken('SessionA', { url, secret: SECRET }));
    expect(error.kind).toBe('unreachable');
    expect(error.status).toBeUndefined();
    expect(error.message).toBe(
      'You cannot join right now: the call service is not answering. Try again in a moment. ' +
        `For the site's operator: nothing answered at ${url} (the OpenVidu server); check that it is running and that openviduUrl in config.json points at it.`,
    );
    expect(error.certificateUrl).toBeUndefined();
    expectSecretHidden(error);
  });

  it('an https server whose certificate is not trusted: names both causes and how to trust it', async () => {
    // A real https server with a self-signed certificate, as `--tls` makes: fetch fails exactly as
    // it does for a server that is down, so the message must name both.
    const tls = createHttpsServer(await makeSelfSignedCertificate([]), (_req, res) => res.end());
    await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
    const url = `https://localhost:${(tls.address() as AddressInfo).port}`;
    try {
      const error = await rejection(fetchOpenViduToken('SessionA', { url, secret: SECRET }));
      expect(error.kind).toBe('unreachable');
      expect(error.message).toBe(
        'You cannot join right now: the call service cannot be reached from this browser. Try again in a moment. ' +
          `For the site's operator: the OpenVidu server at ${url} is not running, or its certificate is not trusted by this browser. ` +
          `If it uses a self-signed certificate, open ${url} in a new tab, accept the certificate, then try again.`,
      );
      expect(error.certificateUrl).toBe(url); // the page links to it
      expectSecretHidden(error);
    } finally {
      tls.closeAllConnections();
      await new Promise<void>((resolve) => tls.close(() => resolve()));
    }
  });

  it('abort during the request: rejects with the AbortError itself', async () => {
    const url = await serve(() => 'hang');
    const controller = new AbortController();

    const pending = fetchOpenViduToken('SessionA', { url, secret: SECRET }, controller.signal);
    await server!.received(1);
    controller.abort();

    const error = await pending.catch((reason: unknown) => reason);
    expect(error).not.toBeInstanceOf(TokenError);
    expect(error).toBe(controller.signal.reason);
    expect((error as Error).name).toBe('AbortError');
  });

  it('abort while waiting for the second answer: rejects with the AbortError itself', async () => {
    const url = await serve((req) => (req.path === '/openvidu/api/sessions' ? empty(409) : 'hang'));
    const controller = new AbortController();

    const pending = fetchOpenViduToken('SessionA', { url, secret: SECRET }, controller.signal);
    await server!.received(2);
    controller.abort();

    await expect(pending).rejects.toBe(controller.signal.reason);
  });

  it('an already aborted signal sends nothing', async () => {
    const url = await serve(happy);
    const controller = new AbortController();
    controller.abort();

    await expect(fetchOpenViduToken('SessionA', { url, secret: SECRET }, controller.signal)).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(server!.seen).toEqual([]);
  });
});
