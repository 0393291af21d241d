// Together in a call, through the real page, the unmodified openvidu-browser and the local server:
// chat between three people, who is speaking, and the invite link.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { joinAndWaitForCall, openParticipant, tileOf } from './call-page.ts';

const uniqueSession = (name: string) => `${name}_${Date.now()}`;
const pages: Page[] = [];
async function participant(browser: Parameters<typeof openParticipant>[0], init?: () => void): Promise<Page> {
  const page = await openParticipant(browser);
  pages.push(page);
  if (init) {
    await page.context().addInitScript(init);
    await page.reload();
  }
  return page;
}
test.afterEach(async () => {
  for (const page of pages.splice(0)) await page.context().close();
});

const chatButton = (page: Page): Locator => page.getByRole('button', { name: /^Chat/ });
const messages = (page: Page): Locator => page.getByRole('log', { name: 'Messages' }).getByRole('listitem');
async function say(page: Page, text: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Message' }).fill(text);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
}

test('chat between three: each message once for everyone, unread counts, limits said, hostile text as text', async ({ browser }) => {
  test.setTimeout(150_000);
  const session = uniqueSession('Chat');
  const [alice, bob, carol] = [await participant(browser), await participant(browser), await participant(browser)];
  await joinAndWaitForCall(alice, session, 'Alice');
  await joinAndWaitForCall(bob, session, 'Bob');
  await joinAndWaitForCall(carol, session, 'Carol');

  await chatButton(alice).click();
  await expect(alice.getByRole('heading', { name: 'Chat', exact: true })).toBeVisible();
  await say(alice, 'Hello everyone');
  // The sender sees it once (the server's echo, no local copy), marked as theirs.
  await expect(messages(alice)).toHaveCount(1);
  await expect(messages(alice).first()).toContainText('Alice (you)');
  await expect(messages(alice).first()).toContainText('Hello everyone');
  // The others have it unread, once.
  for (const page of [bob, carol]) await expect(chatButton(page)).toHaveAccessibleName('Chat, 1 unread');

  const hostile = '<img src=x onerror="window.pwned=1">';
  await chatButton(bob).click();
  await expect(chatButton(bob)).toHaveAccessibleName('Chat');
  await expect(messages(bob)).toHaveCount(1);
  await say(bob, hostile);
  await expect(messages(alice)).toHaveCount(2);
  await expect(messages(alice).nth(1)).toContainText(hostile);
  expect(await alice.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
  await expect(alice.locator('.chat img')).toHaveCount(0);
  await expect(chatButton(carol)).toHaveAccessibleName('Chat, 2 unread');

  await chatButton(carol).click();
  await expect(messages(carol)).toHaveCount(2);
  await expect(messages(carol).nth(0)).toContainText('Alice');
  await expect(messages(carol).nth(1)).toContainText('Bob');

  // Limits, said before anything is sent.
  const field = carol.getByRole('textbox', { name: 'Message' });
  await expect(field).toHaveAccessibleDescription('500 characters left');
  await field.fill('x'.repeat(501));
  await expect(field).toHaveAccessibleDescription('1 characters too many: a message may be at most 500.');
  await carol.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(field).toHaveAccessibleDescription('A message may be at most 500 characters.');
  await field.fill('   ');
  await carol.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(field).toHaveAccessibleDescription('Type a message first.');
  // Enter sends.
  await field.fill('Bye');
  await field.press('Enter');
  for (const page of [alice, bob, carol]) {
    await expect(messages(page)).toHaveCount(3);
    await expect(messages(page).nth(2)).toContainText('Bye');
  }

  await carol.getByRole('button', { name: 'Close chat' }).click();
  await expect(carol.getByRole('log', { name: 'Messages' })).toHaveCount(0);
});

/** An init script: the microphone gives silence (a muted person, or a quiet room). */
function silentMicrophone(): void {
  const getUserMedia = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = async (constraints) => {
    const stream = await getUserMedia(constraints);
    if (stream.getAudioTracks().length) {
      const silence = new AudioContext().createMediaStreamDestination().stream.getAudioTracks()[0];
      for (const track of stream.getAudioTracks()) {
        stream.removeTrack(track);
        track.stop();
      }
      if (silence) stream.addTrack(silence);
    }
    return stream;
  };
}

test('who is speaking: someone whose microphone makes sound gets the mark on the others\' pages, a silent one does not', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const session = uniqueSession('Speaking');
  const bob = await participant(browser, silentMicrophone);
  const alice = await participant(browser); // the fake microphone plays a steady tone
  const carol = await participant(browser, silentMicrophone);
  await joinAndWaitForCall(bob, session, 'Bob');
  await joinAndWaitForCall(alice, session, 'Alice');
  await joinAndWaitForCall(carol, session, 'Carol');

  const mark = (page: Page, who: string) => tileOf(page, who).getByText('Speaking', { exact: true });
  await expect(mark(bob, 'Alice')).toBeVisible({ timeout: 20_000 });
  await expect(mark(carol, 'Alice')).toBeVisible({ timeout: 20_000 });
  // Alice hears herself too.
  await expect(mark(alice, 'Alice')).toBeVisible({ timeout: 20_000 });
  // Carol has been in the call as long as it took Alice's mark to show: hers never did.
  await expect(mark(bob, 'Carol')).toHaveCount(0);
  await expect(mark(alice, 'Carol')).toHaveCount(0);
  await expect(mark(alice, 'Bob')).toHaveCount(0);
});

test('Copy link copies the room\'s address and says so; a refused clipboard shows the link to copy by hand', async ({ browser }) => {
  const session = uniqueSession('Invite');
  const alice = await participant(browser);
  await alice.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await joinAndWaitForCall(alice, session, 'Alice');
  await alice.getByRole('button', { name: 'Copy link' }).click();
  await expect(alice.getByRole('status').filter({ hasText: 'Link copied.' })).toBeVisible();
  const copied = new URL(await alice.evaluate(() => navigator.clipboard.readText()));
  expect(copied.searchParams.get('session')).toBe(session);
  expect(copied.origin).toBe(new URL(alice.url()).origin);

  const bob = await participant(browser, () => {
    navigator.clipboard.writeText = () => Promise.reject(new DOMException('Write permission denied.', 'NotAllowedError'));
  });
  await joinAndWaitForCall(bob, session, 'Bob');
  await bob.getByRole('button', { name: 'Copy link' }).click();
  const manual = bob.getByRole('textbox', { name: /Copy this link/ });
  await expect(manual).toBeFocused();
  expect(new URL(await manual.inputValue()).searchParams.get('session')).toBe(session);
});
