// One publisher, four subscribers through the SFU: every viewer decodes the camera at 640x480
// and keeps decoding. Also reports (does not assert) the server's CPU and memory while it forwards,
// and each viewer's time from streamCreated to its first playing frame.
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

  // The figure for the report: server CPU over a few seconds of steady forwarding.
  const before = await serverState();
  await new Promise((resolve) => setTimeout(resolve, 5000));
  const after = await serverState();
  const cpuPercent = ((after.process.cpuMicros - before.process.cpuMicros) / 1000 / (after.process.sampledAtMs - before.process.sampledAtMs)) * 100;
  const firstFrames = await Promise.all(call.viewers.map((v) => v.page.evaluate(() => window.fixture.state.playingAfterMs[0] ?? null)));
  const figures = `server CPU ${cpuPercent.toFixed(1)}% of one core, RSS ${(after.process.rssBytes / 1048576).toFixed(0)} MiB; ` +
    `streamCreated → streamPlaying per viewer: ${firstFrames.join(', ')} ms`;
  console.log(`[figures] 1 publisher + 4 subscribers: ${figures}`);
  test.info().annotations.push({ type: 'figures', description: figures });

  for (const person of [...call.viewers, call.publisher]) await person.page.evaluate(() => window.fixture.disconnect());
  await expect.poll(async () => (await serverState()).counts).toMatchObject({ sessions: 0, participants: 0, openPeerConnections: 0 });
  for (const person of [...call.viewers, call.publisher]) await person.context.close();
});
