// What openvidu-browser shows when the server acts through REST (forceUnpublish, forceDisconnect,
// session close) and when a SUBSCRIBER-role token tries to publish: the events and reasons the
// call page turns into states.
import { expect, test } from '@playwright/test';
import { api, callWithViewers, createSessionWithTokens, openFixture, serverState, startFixtureServer, type FixtureServer } from './fixture-server.ts';

// Real media in several Chromium pages on a 2-core machine: allow more than the default minute.
test.describe.configure({ timeout: 150_000 });

let fixture: FixtureServer;
test.beforeAll(async () => {
  fixture = await startFixtureServer();
});
test.afterAll(async () => {
  await fixture.close();
});

test('REST forceUnpublish, forceDisconnect and session close reach the browser with their reasons', async ({ browser }) => {
    const call = await callWithViewers(browser, fixture.origin, 2);
  const [first, second] = call.viewers as [(typeof call.viewers)[0], (typeof call.viewers)[0]];
  const events = (page: import('@playwright/test').Page) => page.evaluate(() => window.fixture.state.events);

  expect((await api('DELETE', `/openvidu/api/sessions/${call.sessionId}/stream/${call.streamId}`)).status).toBe(204);
  await expect.poll(() => events(first.page)).toContainEqual({ name: 'streamDestroyed', reason: 'forceUnpublishByServer' });
  await expect.poll(async () => (await serverState()).counts).toMatchObject({ publishers: 0, subscribers: 0, openPeerConnections: 0 });

  expect((await api('DELETE', `/openvidu/api/sessions/${call.sessionId}/connection/${first.connectionId}`)).status).toBe(204);
  await expect.poll(() => events(first.page)).toContainEqual({ name: 'sessionDisconnected', reason: 'forceDisconnectByServer' });
  await expect.poll(() => events(second.page)).toContainEqual({ name: 'connectionDestroyed', reason: 'forceDisconnectByServer' });

  expect((await api('DELETE', `/openvidu/api/sessions/${call.sessionId}`)).status).toBe(204);
  for (const person of [second, call.publisher]) {
    await expect.poll(() => events(person.page)).toContainEqual({ name: 'sessionDisconnected', reason: 'sessionClosedByServer' });
  }
  await expect.poll(async () => (await serverState()).counts).toMatchObject({ sessions: 0, participants: 0, openPeerConnections: 0 });
  for (const person of [...call.viewers, call.publisher]) await person.context.close();
});

test('a SUBSCRIBER token cannot publish: OPENVIDU_PERMISSION_DENIED', async ({ page }) => {
  const sessionId = `Viewer_${Date.now()}`;
  await createSessionWithTokens(sessionId, 0);
  const created = await api('POST', `/openvidu/api/sessions/${sessionId}/connection`, { role: 'SUBSCRIBER' });
  const { token } = (await created.json()) as { token: string };
  await openFixture(page, fixture.origin);
  await page.evaluate((t) => window.fixture.connect(t, 'Viewer'), token);
  const error = await page.evaluate(() => window.fixture.publish().then(() => null, (e: { name?: string }) => e?.name ?? String(e)));
  expect(error).toBe('OPENVIDU_PERMISSION_DENIED');
  await page.evaluate(() => window.fixture.disconnect());
  await expect.poll(async () => (await serverState()).counts).toMatchObject({ participants: 0, openPeerConnections: 0 });
});
