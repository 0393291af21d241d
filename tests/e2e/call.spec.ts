// Two, then three people in one call, through the real page, the unmodified openvidu-browser and
// the local server, each in a browser context of their own with a fake camera and microphone.
import { expect, test } from '@playwright/test';
import {
  expectDecodingFrames,
  expectHearing,
  joinAndWaitForCall,
  leave,
  mainVideo,
  openParticipant,
  openPeerConnections,
  ownTile,
  remoteTiles,
  tileOf,
} from './call-page.ts';

test('two then three participants see and hear each other, pick the main video, leave and rejoin', async ({ browser }) => {
  test.setTimeout(180_000);
  const session = `Call${Date.now()}`;
  const alice = await openParticipant(browser);
  const bob = await openParticipant(browser);

  await test.step('two join; each sees both videos decoding, with the right nicknames, and hears the other', async () => {
    await joinAndWaitForCall(alice, session, 'Alice');
    await joinAndWaitForCall(bob, session, 'Bob');
    for (const [page, other] of [[alice, 'Bob'], [bob, 'Alice']] as const) {
      await expectDecodingFrames(ownTile(page));
      await expect(remoteTiles(page)).toHaveCount(1);
      await expectDecodingFrames(tileOf(page, other));
      await expectHearing(page, other);
      // The other person is the main video by default, not your own camera.
      await expect(mainVideo(page).locator('.nickname')).toHaveText(page === alice ? 'Bob' : 'Alice');
    }
  });

  const carol = await openParticipant(browser);
  await test.step('a third joins; everyone sees and hears everyone', async () => {
    await joinAndWaitForCall(carol, session, 'Carol');
    for (const [page, others] of [[alice, ['Bob', 'Carol']], [bob, ['Alice', 'Carol']], [carol, ['Alice', 'Bob']]] as const) {
      await expect(remoteTiles(page)).toHaveCount(2);
      for (const other of others) {
        await expectDecodingFrames(tileOf(page, other));
        await expectHearing(page, other);
      }
    }
  });

  await test.step('clicking a tile makes it the main video', async () => {
    await tileOf(alice, 'Carol').getByRole('button', { name: 'Show Carol as the main video' }).click();
    await expect(mainVideo(alice).locator('.nickname')).toHaveText('Carol');
    await expectDecodingFrames(mainVideo(alice));
  });

  await test.step('Carol leaves: her tile goes for the others and Alice\'s main video falls back to the one other person', async () => {
    await leave(carol);
    await expect.poll(() => openPeerConnections(carol)).toBe(0);
    for (const page of [alice, bob]) {
      await expect(tileOf(page, 'Carol')).toHaveCount(0);
      await expect(remoteTiles(page)).toHaveCount(1);
    }
    await expect(mainVideo(alice).locator('.nickname')).toHaveText('Bob');
    await expectDecodingFrames(mainVideo(alice));
  });

  await test.step('Carol rejoins and is seen again', async () => {
    await joinAndWaitForCall(carol, session, 'Carol');
    await expectDecodingFrames(tileOf(alice, 'Carol'));
    await expectDecodingFrames(tileOf(carol, 'Alice'));
    await expectHearing(alice, 'Carol');
    await expectHearing(carol, 'Alice');
  });

  for (const page of [alice, bob, carol]) await page.context().close();
});
