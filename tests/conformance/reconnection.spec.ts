// openvidu-browser's reconnection against the local server: a socket dropped without leaveRoom
// comes back with `connect` inside the window (reconnecting → reconnected, media keeps flowing,
// nobody else notices); one kept out past the window is told networkDisconnect, as are the others.
import { expect, test } from '@playwright/test';
import { testServer } from '../support/local-server.ts';
import { callWithViewers, expectFramesAdvancing, serverState, startFixtureServer, type FixtureServer } from './fixture-server.ts';

// Real media in several Chromium pages on a 2-core machine: allow more than the default minute.
test.describe.configure({ timeout: 150_000 });

let fixture: FixtureServer;
test.beforeAll(async () => {
  fixture = await startFixtureServer();
});
test.afterAll(async () => {
  await fixture.close();
});

const eventNames = async (page: import('@playwright/test').Page): Promise<{ name: string; reason: string | null }[]> =>
  page.evaluate(() => window.fixture.state.events);

test('a dropped socket reconnects within the window and media keeps flowing', async ({ browser }) => {
  const call = await callWithViewers(browser, fixture.origin, 1);
  const viewer = call.viewers[0]!;
  await testServer.dropSocket(viewer.connectionId);
  await expect.poll(async () => (await eventNames(viewer.page)).map((e) => e.name)).toContain('reconnecting');
  await expect.poll(async () => (await eventNames(viewer.page)).map((e) => e.name), { timeout: 20_000 }).toContain('reconnected');
  await expectFramesAdvancing(viewer.page);
  expect((await eventNames(call.publisher.page)).map((e) => e.name)).not.toContain('connectionDestroyed');
  expect((await serverState()).counts).toMatchObject({ participants: 2, publishers: 1, subscribers: 1 });

  await viewer.page.evaluate(() => window.fixture.disconnect());
  await call.publisher.page.evaluate(() => window.fixture.disconnect());
  await expect.poll(async () => (await serverState()).counts.openPeerConnections).toBe(0);
  await expect.poll(async () => (await serverState()).counts.participants).toBe(0);
  await viewer.context.close();
  await call.publisher.context.close();
});

test('kept out past the reconnection window, the client is told networkDisconnect', async ({ browser }) => {
    const call = await callWithViewers(browser, fixture.origin, 1);
  const viewer = call.viewers[0]!;
  // Longer than the 10 s window: the browser's retries (every 3 s) all fail until it has passed.
  await testServer.refuseWebSockets(12_000);
  await testServer.dropSocket(viewer.connectionId);
  await expect.poll(async () => (await eventNames(viewer.page)).map((e) => e.name)).toContain('reconnecting');
  await expect
    .poll(async () => eventNames(call.publisher.page), { timeout: 30_000 })
    .toContainEqual({ name: 'connectionDestroyed', reason: 'networkDisconnect' });
  await expect
    .poll(async () => eventNames(viewer.page), { timeout: 30_000 })
    .toContainEqual({ name: 'sessionDisconnected', reason: 'networkDisconnect' });
  expect((await serverState()).counts).toMatchObject({ participants: 1, subscribers: 0, openPeerConnections: 1 });

  await call.publisher.page.evaluate(() => window.fixture.disconnect());
  await expect.poll(async () => (await serverState()).counts).toMatchObject({ sessions: 0, participants: 0, openPeerConnections: 0 });
  await viewer.context.close();
  await call.publisher.context.close();
});
