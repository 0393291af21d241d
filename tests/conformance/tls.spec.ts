// TLS mode with a real browser: the self-signed certificate made at start, wss:// tokens, and
// openvidu-browser connecting and decoding over it (the certificate accepted as a person would,
// here through ignoreHTTPSErrors).
import { expect, test } from '@playwright/test';
import { startOpenViduServer } from '../../server/index.ts';
import { silentLogger } from '../../server/log.ts';
import { TEST_SECRET } from '../support/ports.ts';
import { api, callWithViewers, serverState, startFixtureServer, type FixtureServer } from './fixture-server.ts';

// Real media in several Chromium pages on a 2-core machine: allow more than the default minute.
test.describe.configure({ timeout: 150_000 });

let fixture: FixtureServer;
let server: Awaited<ReturnType<typeof startOpenViduServer>>;

test.use({ ignoreHTTPSErrors: true });

test.beforeAll(async () => {
  fixture = await startFixtureServer();
  server = await startOpenViduServer({ port: 0, secret: TEST_SECRET, tls: true, loopbackOnly: true, testControls: true, logger: silentLogger });
  // Node's fetch must accept the self-signed certificate too, for the REST calls below; undone after.
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
});
test.afterAll(async () => {
  delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
  await server.close();
  await fixture.close();
});

test('openvidu-browser joins over wss with the self-signed certificate and decodes frames', async ({ browser }) => {
  expect(server.url).toMatch(/^https:\/\/localhost:\d+$/);
  const sessionId = `Tls_${Date.now()}`;
  await api('POST', '/openvidu/api/sessions', { customSessionId: sessionId }, server.url);
  const connection = (await (await api('POST', `/openvidu/api/sessions/${sessionId}/connection`, {}, server.url)).json()) as { token: string };
  expect(connection.token).toMatch(/^wss:\/\//);

  const call = await callWithViewers(browser, fixture.origin, 1, server.url, { ignoreHTTPSErrors: true });
  expect((await serverState(server.url)).counts).toMatchObject({ publishers: 1, subscribers: 1 });
  for (const person of [...call.viewers, call.publisher]) await person.page.evaluate(() => window.fixture.disconnect());
  await expect.poll(async () => (await serverState(server.url)).counts).toMatchObject({ participants: 0, openPeerConnections: 0 });
  for (const person of [...call.viewers, call.publisher]) await person.context.close();
});
