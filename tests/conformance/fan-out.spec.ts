// One publisher, four subscribers through the SFU: every viewer decodes the camera at 640x480
// and keeps decoding. The server's CPU and memory while it forwards, and the time to a first frame,
// are figures: bench/server-cost.bench.ts and bench/first-frame.bench.ts measure them.
import { expect, test } from '@playwright/test';
import { callWithViewers, remoteVideo, serverState, startFixtureServer, type FixtureServer } from './fixture-server.ts';

let fixture: FixtureServer;
test.beforeAll(async () => {
  fixture = await startFixtureServer();
});
test.afterAll(async () => {
  await fixture.close();
});

test('one publisher reaches four subscribers at 640x480', async ({ browser }) => {
  test.setTimeout(300_000);
  const call = await callWithViewers(browser, fixture.origin, 4);
  for (const viewer of call.viewers) {
    await expect.poll(async () => (await remoteVideo(viewer.page))?.width ?? 0, { timeout: 30_000 }).toBe(640);
    expect((await remoteVideo(viewer.page))?.height).toBe(480);
  }
  expect((await serverState()).counts).toMatchObject({ participants: 5, publishers: 1, subscribers: 4, openPeerConnections: 5 });

  // Every viewer keeps decoding while the server forwards to all four (what the server's CPU and
  // memory cost for this is measured in bench/server-cost.bench.ts, not here).
  for (const viewer of call.viewers) {
    const before = (await remoteVideo(viewer.page))?.frames ?? 0;
    await expect.poll(async () => (await remoteVideo(viewer.page))?.frames ?? 0, { timeout: 15_000 }).toBeGreaterThan(before + 10);
  }

  for (const person of [...call.viewers, call.publisher]) await person.page.evaluate(() => window.fixture.disconnect());
  await expect.poll(async () => (await serverState()).counts).toMatchObject({ sessions: 0, participants: 0, openPeerConnections: 0 });
  for (const person of [...call.viewers, call.publisher]) await person.context.close();
});
