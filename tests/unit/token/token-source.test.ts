// @vitest-environment node
import { afterEach, describe, expect, it } from 'vitest';
import { createTokenSource } from '../../../src/token/index.ts';
import { json, startFakeServer, text, type FakeServer } from './fake-server.ts';

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

// One server that speaks both contracts, like the local server does.
async function serveBoth(): Promise<string> {
  server = await startFakeServer((req) => {
    if (req.path === '/openvidu/api/sessions') return json(200, { id: 'S' });
    if (req.path.startsWith('/openvidu/api/')) return json(200, { token: 'from-openvidu' });
    if (req.path === '/api/sessions') return text(200, 'S');
    return text(200, 'from-application-server');
  });
  return server.url;
}

describe('createTokenSource', () => {
  it('openvidu mode asks the OpenVidu REST API with the secret', async () => {
    const url = await serveBoth();
    const source = createTokenSource({ mode: 'openvidu', url, secret: 'MY_SECRET' });

    await expect(source('S')).resolves.toBe('from-openvidu');
    expect(server!.seen[0]!.headers.authorization).toMatch(/^Basic /);
  });

  it('application-server mode asks the application server, without a secret', async () => {
    const url = await serveBoth();
    const source = createTokenSource({ mode: 'application-server', url });

    await expect(source('S')).resolves.toBe('from-application-server');
    expect(server!.seen[0]!.headers.authorization).toBeUndefined();
  });

  it('fetches a fresh token on every call (tokens are single use)', async () => {
    const url = await serveBoth();
    const source = createTokenSource({ mode: 'application-server', url });

    await source('S');
    await source('S');
    expect(server!.seen.filter((r) => r.path.endsWith('/connections'))).toHaveLength(2);
  });
});
