// Faults caused for real, through the real page and the local server: each ends in a named
// state with words a person can act on, the way out works, and the server keeps no ghost.
import { chromium, expect, test, type Browser, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumExecutable } from '../support/chromium.ts';
import {
  callPageUrl,
  expectDecodingFrames,
  join,
  joinAndWaitForCall,
  openParticipant,
  ownTile,
  remoteTiles,
  tileOf,
} from './call-page.ts';
import {
  closeSession,
  connectionOf,
  dropSocket,
  evict,
  forceUnpublish,
  participantsIn,
  refuseWebSockets,
} from './local-server.ts';

const uniqueSession = (name: string) => `${name}_${Date.now()}`;
const pages: Page[] = [];
const browsers: Browser[] = [];
async function participant(browser: Browser, extra: Record<string, string> = {}): Promise<Page> {
  const page = await openParticipant(browser, extra);
  pages.push(page);
  return page;
}
/** The usual cast: Alice joins, then Bob, and both are in the call. */
async function aliceAndBobIn(browser: Browser, session: string): Promise<{ alice: Page; bob: Page }> {
  const alice = await participant(browser);
  const bob = await participant(browser);
  await joinAndWaitForCall(alice, session, 'Alice');
  await joinAndWaitForCall(bob, session, 'Bob');
  return { alice, bob };
}
test.afterEach(async () => {
  for (const page of pages.splice(0)) await page.context().close();
  for (const browser of browsers.splice(0)) await browser.close();
});

test.describe('joining', () => {
  test('a wrong secret is named as such, and Back keeps what was typed', async ({ browser }) => {
    const page = await participant(browser, { openviduSecret: 'NOT_THE_SECRET' });
    await join(page, 'SecretTest', 'Alice');
    const alert = page.getByRole('alert');
    await expect(alert.getByRole('heading')).toHaveText('Could not join');
    await expect(alert).toContainText('The OpenVidu server refused the secret.');
    await expect(alert).not.toContainText('NOT_THE_SECRET');
    await alert.getByRole('button', { name: 'Back' }).click();
    await expect(page.getByLabel('Session')).toHaveValue('SecretTest');
    await expect(page.getByLabel('Nickname')).toHaveValue('Alice');
  });

  test('a server that is not running is named as such, and nothing hangs', async ({ browser }) => {
    const page = await participant(browser, { openviduUrl: 'http://localhost:9' });
    await join(page, 'DownTest', 'Alice');
    await expect(page.getByRole('alert')).toContainText('Cannot reach the OpenVidu server at http://localhost:9. Is it running?');
    await expect(page.getByRole('button', { name: 'Try again' })).toBeVisible();
  });

  test('a bad session name is refused before any request', async ({ browser }) => {
    const page = await participant(browser);
    await join(page, 'no spaces/allowed', 'Alice');
    await expect(page.getByRole('alert')).toHaveText('A session name may use only letters, digits, - and _.');
    await expect(page.getByRole('button', { name: 'Join' })).toBeVisible();
  });

  test('a double click on Join joins once', async ({ browser }) => {
    const session = uniqueSession('Double');
    const page = await participant(browser);
    await page.getByLabel('Session').fill(session);
    await page.getByLabel('Nickname').fill('Alice');
    await page.getByRole('button', { name: 'Join' }).dblclick();
    await expect(ownTile(page)).toBeVisible();
    await expect.poll(() => participantsIn(session)).toBe(1);
  });
});

test.describe('devices', () => {
  test('a refused camera is named; joining without it publishes the microphone and others see the tile', async ({ browser }) => {
    const session = uniqueSession('NoCamera');
    const bob = await participant(browser);
    await joinAndWaitForCall(bob, session, 'Bob');

    // A browser that answers permission prompts with "no", where Alice allowed only the microphone.
    const refusing = await chromium.launch({
      ...(chromiumExecutable() ? { executablePath: chromiumExecutable() } : {}),
      args: [...CHROMIUM_ARGS.filter((arg) => arg !== '--use-fake-ui-for-media-stream'), '--deny-permission-prompts'],
    });
    const alice = await (await refusing.newContext({ permissions: ['microphone'] })).newPage();
    pages.push(alice);
    browsers.push(refusing);
    await alice.goto(callPageUrl());
    await join(alice, session, 'Alice');
    const panel = alice.locator('.publish-failed');
    await expect(panel).toContainText('You did not allow this page to use your camera.');
    // Already in the call: Bob is visible while Alice decides.
    await expectDecodingFrames(tileOf(alice, 'Bob'));
    await panel.getByRole('button', { name: 'Join without camera' }).click();
    await expect(panel).toHaveCount(0);
    await expect(ownTile(alice)).toBeVisible();
    await expect(tileOf(bob, 'Alice')).toBeVisible();
    const alicePublishes = (await connectionOf(session, 'Alice')).publishers ?? [];
    expect(alicePublishes).toHaveLength(1);
  });
});

test.describe('the server decides', () => {
  test('an evicted participant is told so, the others see them go, and one click rejoins', async ({ browser }) => {
    const session = uniqueSession('Evict');
    const { alice, bob } = await aliceAndBobIn(browser, session);
    await expect(remoteTiles(alice)).toHaveCount(1);

    await evict(session, (await connectionOf(session, 'Bob')).connectionId);
    await expect(bob.getByRole('alert')).toContainText('The server removed you from the call.');
    await expect(remoteTiles(alice)).toHaveCount(0);

    await bob.getByRole('button', { name: 'Rejoin' }).click();
    await expectDecodingFrames(tileOf(bob, 'Alice'));
    await expectDecodingFrames(tileOf(alice, 'Bob'));
  });

  test('a session closed by the server ends the call for everyone, with nothing left behind', async ({ browser }) => {
    const session = uniqueSession('Close');
    const { alice, bob } = await aliceAndBobIn(browser, session);
    await closeSession(session);
    for (const page of [alice, bob]) {
      await expect(page.getByRole('alert')).toContainText('The call was closed by the server.');
      await expect(page.locator('video')).toHaveCount(0);
    }
    expect(await participantsIn(session)).toBe(0);
  });

  test('a stream unpublished by force: its owner stays in the call and is told; its tile goes for others', async ({ browser }) => {
    const session = uniqueSession('Unpublish');
    const { alice, bob } = await aliceAndBobIn(browser, session);
    const bobStream = (await connectionOf(session, 'Bob')).publishers?.[0]?.streamId;
    expect(bobStream).toBeTruthy();
    await forceUnpublish(session, bobStream ?? '');
    await expect(bob.getByRole('status')).toContainText('The server stopped publishing your camera and microphone.');
    await expect(ownTile(bob)).toHaveCount(0);
    await expectDecodingFrames(tileOf(bob, 'Alice'));
    await expect(remoteTiles(alice)).toHaveCount(0);
  });
});

test.describe('the network', () => {
  test('a dropped socket shows reconnecting, then the call goes on with media flowing', async ({ browser }) => {
    const session = uniqueSession('Drop');
    const { alice, bob } = await aliceAndBobIn(browser, session);
    await expectDecodingFrames(tileOf(bob, 'Alice'));

    await dropSocket((await connectionOf(session, 'Alice')).connectionId);
    await expect(alice.getByText('Connection lost. Reconnecting…')).toBeVisible();
    await expect(alice.getByText('Connection lost. Reconnecting…')).toHaveCount(0, { timeout: 20_000 });
    await expectDecodingFrames(tileOf(alice, 'Bob'));
    await expectDecodingFrames(tileOf(bob, 'Alice'));
    expect(await participantsIn(session)).toBe(2);
  });

  test('a server that stays away past the reconnection window ends the call; one click rejoins', async ({ browser }) => {
    test.setTimeout(90_000);
    const session = uniqueSession('Away');
    const alice = await participant(browser);
    await joinAndWaitForCall(alice, session, 'Alice');
    await refuseWebSockets(14_000);
    await dropSocket((await connectionOf(session, 'Alice')).connectionId);
    await expect(alice.getByText('Connection lost. Reconnecting…')).toBeVisible();
    await expect(alice.getByRole('alert')).toContainText('Your connection to the call was lost', { timeout: 45_000 });
    expect(await participantsIn(session)).toBe(0);
    await alice.getByRole('button', { name: 'Rejoin' }).click();
    await expectDecodingFrames(ownTile(alice));
    expect(await participantsIn(session)).toBe(1);
  });
});

test.describe('the person at the worst moment', () => {
  test('closing the tab or reloading mid-call leaves no participant behind', async ({ browser }) => {
    const session = uniqueSession('Gone');
    const { alice, bob } = await aliceAndBobIn(browser, session);
    await expect.poll(() => participantsIn(session)).toBe(2);

    await bob.reload();
    await expect(bob.getByRole('button', { name: 'Join' })).toBeVisible();
    await expect.poll(() => participantsIn(session), { timeout: 5_000 }).toBe(1);
    await expect(remoteTiles(alice)).toHaveCount(0);

    await alice.close({ runBeforeUnload: true });
    await expect.poll(() => participantsIn(session), { timeout: 5_000 }).toBe(0);
  });
});
