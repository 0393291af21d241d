// The mediasoup-style subscribe flow (the server offers) with the unmodified openvidu-browser:
// selected by `mediaServer: "mediasoup"` in the joinRoom result, served here by an in-process
// server started with subscribeFlow "server-offer".
import { expect, test } from '@playwright/test';
import { startOpenViduServer } from '../../server/index.ts';
import { silentLogger } from '../../server/log.ts';
import { callWithViewers, serverState, startFixtureServer, type FixtureServer } from './fixture-server.ts';
import { TEST_SECRET } from '../support/ports.ts';

// Real media in several Chromium pages on a 2-core machine: allow more than the default minute.
test.describe.configure({ timeout: 150_000 });

let fixture: FixtureServer;
let server: Awaited<ReturnType<typeof startOpenViduServer>>;

test.beforeAll(async () => {
  fixture = await startFixtureServer();
  server = await startOpenViduServer({
    port: 0,
    secret: TEST_SECRET,
    loopbackOnly: true,
    testControls: true,
    subscribeFlow: 'server-offer',
    logger: silentLogger,
  });
});
test.afterAll(async () => {
  await server.close();
  await fixture.close();
});

test('openvidu-browser subscribes through a server offer and decodes frames', async ({ browser }) => {
  const call = await callWithViewers(browser, fixture.origin, 1, server.url);
  expect((await serverState(server.url)).counts).toMatchObject({ participants: 2, publishers: 1, subscribers: 1, openPeerConnections: 2 });
  for (const person of [...call.viewers, call.publisher]) await person.page.evaluate(() => window.fixture.disconnect());
  await expect.poll(async () => (await serverState(server.url)).counts).toMatchObject({ sessions: 0, participants: 0, openPeerConnections: 0 });
  for (const person of [...call.viewers, call.publisher]) await person.context.close();
});
