// Every screen a person can reach, checked by axe for WCAG 2.2 AA (A and AA rules of 2.0, 2.1 and
// 2.2) in the light and the dark colour scheme. The screens are reached for real, through the
// page and the local server, as the other specs reach them.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { TEST_SERVER_PORT } from '../support/ports.ts';
import { join, joinAndWaitForCall, openParticipant } from './call-page.ts';
import { connectionOf, dropSocket, evict, refuseWebSockets } from './local-server.ts';

const WCAG_22_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const uniqueSession = (name: string) => `${name}_${Date.now()}`;
const results: string[] = [];
const pages: Page[] = [];

async function participant(browser: Parameters<typeof openParticipant>[0], extra: Record<string, string> = {}) {
  const page = await openParticipant(browser, extra);
  pages.push(page);
  return page;
}

/**
 * No violation on this screen, in either colour scheme. The light scheme gets every WCAG 2.2 AA
 * rule; the dark one the rules a colour scheme can change (contrast), since names, roles,
 * landmarks and the rest are the same markup in both: half the scanning on a 2-core machine.
 */
async function expectAccessible(page: Page, screen: string): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    const axe = new AxeBuilder({ page }).withTags(WCAG_22_AA);
    const { violations } = await (colorScheme === 'dark' ? axe.withRules(['color-contrast', 'link-in-text-block']) : axe).analyze();
    const found = violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    results.push(`${screen} | ${colorScheme} | ${found.length}`);
    expect(found, `${screen}, ${colorScheme}`).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: null });
}

test.afterEach(async () => {
  await refuseWebSockets(0);
  for (const page of pages.splice(0)) await page.context().close();
});
test.afterAll(() => {
  console.log(`\naxe, WCAG 2.2 AA: screen | scheme | violations\n${results.join('\n')}`);
});

test('the join form, with and without errors', async ({ browser }) => {
  const page = await participant(browser);
  await expectAccessible(page, 'form');
  await join(page, 'my session!', 'Zed');
  await expect(page.getByRole('alert')).toBeVisible();
  await expectAccessible(page, 'form with an error');
});

/** An init script: the browser refuses camera and microphone (the person joins to watch). */
function refuseDevices(): void {
  navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
}

test('joining, then the call with one and with three others, reconnecting, a notice', async ({ browser }) => {
  test.setTimeout(360_000);
  const session = uniqueSession('Axe');
  const alice = await participant(browser);

  // The token request waits in the browser while the joining screen is checked (the machine
  // gives a step 20 s; two scans take a few).
  let releaseToken = () => undefined as void;
  const tokenHeld = new Promise<void>((resolve) => (releaseToken = resolve));
  await alice.route('**/openvidu/api/sessions/*/connection', async (route) => {
    await tokenHeld;
    await route.continue();
  });
  await join(alice, session, 'Alice');
  await expect(alice.getByText('Getting a token…')).toBeVisible();
  await expectAccessible(alice, 'joining');
  releaseToken();
  await expect(alice.getByRole('heading', { name: session, exact: true })).toBeVisible({ timeout: 30_000 });
  await expectAccessible(alice, 'call, alone');

  const others = ['Bob', 'Carol', 'Dave'];
  const bob = await participant(browser);
  await joinAndWaitForCall(bob, session, 'Bob');
  await expect(alice.getByText('2 people in the call')).toBeVisible({ timeout: 30_000 });
  await expectAccessible(alice, 'call with 1 other');
  // Carol and Dave join without camera and microphone: the screen then has both kinds of tile
  // (videos and name cards), and two 2-core machines' worth of video encoders are spared.
  for (const name of others.slice(1)) {
    const page = await participant(browser);
    await page.context().addInitScript(refuseDevices);
    await page.reload();
    await join(page, session, name);
    await page.locator('.publish-failed').getByRole('button', { name: /^Join without/ }).click();
    await expect(page.getByRole('heading', { name: session, exact: true })).toBeVisible({ timeout: 30_000 });
  }
  await expect(alice.getByText('4 people in the call')).toBeVisible({ timeout: 30_000 });
  await alice.getByRole('button', { name: 'Show Bob as the main video' }).click();
  await expectAccessible(alice, 'call with 3 others');

  await refuseWebSockets(4_000);
  await dropSocket((await connectionOf(session, 'Alice')).connectionId);
  await expect(alice.getByText('Connection lost. Reconnecting…')).toBeVisible();
  await expectAccessible(alice, 'call, reconnecting');
  await expect(alice.getByText('Connection lost. Reconnecting…')).toHaveCount(0, { timeout: 30_000 });
});

test('publish failed, then in the call without devices', async ({ browser }) => {
  const page = await participant(browser);
  await page.context().addInitScript(refuseDevices);
  await page.reload();
  await join(page, uniqueSession('AxeRefused'), 'Alice');
  const panel = page.locator('.publish-failed');
  await expect(panel).toBeVisible({ timeout: 30_000 });
  await expectAccessible(page, 'publish failed');
  await panel.getByRole('button', { name: /^Join without/ }).click();
  await expect(page.getByText('You joined without camera and microphone.')).toBeVisible();
  await expectAccessible(page, 'call without devices, with a notice');
});

test('every error screen: secret refused, server down, bad session; ended: evicted', async ({ browser }) => {
  const wrongSecret = await participant(browser, { openviduSecret: 'NOT_THE_SECRET' });
  await join(wrongSecret, 'AxeSecret', 'Alice');
  await expect(wrongSecret.getByRole('heading', { name: 'Could not join' })).toBeVisible();
  await expectAccessible(wrongSecret, 'failed: secret refused');

  const down = await participant(browser, { openviduUrl: `http://localhost:${TEST_SERVER_PORT + 7}` });
  await join(down, 'AxeDown', 'Alice');
  await expect(down.getByRole('heading', { name: 'Could not join' })).toBeVisible({ timeout: 30_000 });
  await expectAccessible(down, 'failed: server unreachable');

  const session = uniqueSession('AxeEvict');
  const evicted = await participant(browser);
  await joinAndWaitForCall(evicted, session, 'Alice');
  await evict(session, (await connectionOf(session, 'Alice')).connectionId);
  await expect(evicted.getByRole('heading', { name: 'The call ended' })).toBeVisible();
  await expectAccessible(evicted, 'ended: evicted');
});
