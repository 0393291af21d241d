// The unmodified openvidu-browser 2.32.2 in real Chromium against the local server: connect,
// publish, a second page subscribes and decodes frames, signals both ways, both disconnect, and
// the server holds nothing afterwards.
import { expect, test } from '@playwright/test';
import { createSessionWithTokens, expectFramesAdvancing, openFixture, serverState, startFixtureServer, type FixtureServer } from './fixture-server.ts';

// Real media in several Chromium pages on a 2-core machine: allow more than the default minute.
test.describe.configure({ timeout: 150_000 });

let fixture: FixtureServer;
test.beforeAll(async () => {
  fixture = await startFixtureServer();
});
test.afterAll(async () => {
  await fixture.close();
});

test('openvidu-browser connects, publishes, subscribes with frames, signals and disconnects', async ({ browser }) => {
  const sessionId = `Conformance_${Date.now()}`;
  const [aliceToken = '', bobToken = ''] = await createSessionWithTokens(sessionId, 2);
  const aliceContext = await browser.newContext();
  const bobContext = await browser.newContext();
  const alice = await aliceContext.newPage();
  const bob = await bobContext.newPage();
  await openFixture(alice, fixture.origin);
  await openFixture(bob, fixture.origin);

  const aliceId = await alice.evaluate((token) => window.fixture.connect(token, 'Alice'), aliceToken);
  const streamId = await alice.evaluate(() => window.fixture.publish());
  expect(streamId).toMatch(new RegExp(`^str_CAM_\\w{4}_${aliceId}$`));

  const bobId = await bob.evaluate((token) => window.fixture.connect(token, 'Bob'), bobToken);

  // Bob subscribes on streamCreated; the remote video must decode real frames, and keep decoding.
  await expectFramesAdvancing(bob);

  // Alice sees Bob's connection; Bob sees Alice's stream.
  await expect.poll(() => alice.evaluate(() => window.fixture.state.events.map((e) => e.name))).toContain('connectionCreated');
  expect(await bob.evaluate(() => window.fixture.state.events.map((e) => e.name))).toContain('streamCreated');

  // Signals: Bob to everyone (both receive it, sender included), Alice to Bob only. The type
  // travels verbatim ("signal:chat"), as the real server passes it through.
  await bob.evaluate(() => window.fixture.signal('hello from bob', 'chat'));
  await expect.poll(() => alice.evaluate(() => window.fixture.state.signals)).toContainEqual({ type: 'signal:chat', data: 'hello from bob', from: bobId });
  await expect.poll(() => bob.evaluate(() => window.fixture.state.signals)).toContainEqual({ type: 'signal:chat', data: 'hello from bob', from: bobId });
  await alice.evaluate((to) => window.fixture.signal('only for bob', 'private', [to]), bobId);
  await expect.poll(() => bob.evaluate(() => window.fixture.state.signals)).toContainEqual({ type: 'signal:private', data: 'only for bob', from: aliceId });

  const live = await serverState();
  expect(live.counts).toMatchObject({ participants: 2, publishers: 1, subscribers: 1 });

  // Bob leaves: Alice is told with reason "disconnect"; then Alice leaves and the session is gone.
  await bob.evaluate(() => window.fixture.disconnect());
  await expect
    .poll(() => alice.evaluate(() => window.fixture.state.events))
    .toContainEqual({ name: 'connectionDestroyed', reason: 'disconnect' });
  await alice.evaluate(() => window.fixture.disconnect());

  await expect.poll(async () => (await serverState()).counts).toEqual({
    sessions: 0,
    participants: 0,
    publishers: 0,
    subscribers: 0,
    openPeerConnections: 0,
    pendingTokens: 0,
  });
  await expect.poll(async () => (await serverState()).openSockets).toBe(0);
  await aliceContext.close();
  await bobContext.close();
});
