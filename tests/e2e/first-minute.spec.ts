// What a first-time user notices in their first minute, each caused for real through the page,
// the unmodified openvidu-browser and the local server: a voice that plays twice, a form that
// forgets what was typed, a "Reconnecting…" that never ends, people who are in the call unseen,
// and an address and title that do not follow the room.
import { expect, test, type Browser, type Page } from '@playwright/test';
import {
  callPageUrl,
  join,
  joinAndWaitForCall,
  leave,
  mainVideo,
  openParticipant,
  openPeerConnections,
  serveReconnectWindow,
  tileOf,
} from './call-page.ts';
import { connectionOf, dropSocket, refuseWebSockets } from './local-server.ts';

const uniqueSession = (name: string) => `${name}_${Date.now()}`;
const pages: Page[] = [];
/** `reconnectWindowSeconds`: the window the page's config.json sets (default: none, so 30 s). */
async function participant(browser: Browser, extra: Record<string, string> = {}, reconnectWindowSeconds?: number): Promise<Page> {
  const page = await openParticipant(browser, extra);
  await page.context().addInitScript(recordPeerConnections);
  if (reconnectWindowSeconds !== undefined) await serveReconnectWindow(page.context(), reconnectWindowSeconds);
  await page.reload();
  pages.push(page);
  return page;
}
test.afterEach(async () => {
  await refuseWebSockets(0);
  for (const page of pages.splice(0)) await page.context().close();
});

/** An init script: keeps the page's peer connections, to find the audio tracks it receives. */
function recordPeerConnections(): void {
  const all: RTCPeerConnection[] = [];
  (window as unknown as { receivedAudioTrackIds: () => string[] }).receivedAudioTrackIds = () =>
    all
      .filter((pc) => pc.connectionState !== 'closed')
      .flatMap((pc) => pc.getTransceivers())
      // Our own publisher's connection only sends: its receivers get nothing.
      .filter((t) => t.currentDirection === 'recvonly' || t.currentDirection === 'sendrecv')
      .map((t) => t.receiver.track)
      .filter((t) => t.kind === 'audio' && t.readyState === 'live')
      .map((t) => t.id);
  const Native = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends Native {
    constructor(...args: ConstructorParameters<typeof RTCPeerConnection>) {
      super(...args);
      all.push(this);
    }
  };
}

/**
 * For each remote audio track the page receives: how many media elements play it unmuted. A
 * person hears a voice once per element that plays it.
 */
function playersPerRemoteVoice(page: Page): Promise<number[]> {
  return page.evaluate(() => {
    const ids = (window as unknown as { receivedAudioTrackIds: () => string[] }).receivedAudioTrackIds();
    const elements = [...document.querySelectorAll<HTMLMediaElement>('audio, video')];
    return ids.map(
      (id) =>
        elements.filter(
          (el) => !el.muted && el.srcObject instanceof MediaStream && el.srcObject.getAudioTracks().some((t) => t.id === id),
        ).length,
    );
  });
}

test('a remote voice plays exactly once, whichever video is main, also after the person rejoins', async ({ browser }) => {
  test.setTimeout(150_000);
  const session = uniqueSession('OneVoice');
  const alice = await participant(browser);
  const bob = await participant(browser);
  await joinAndWaitForCall(alice, session, 'Alice');
  await joinAndWaitForCall(bob, session, 'Bob');
  const showAsMain = (who: string) => alice.getByRole('button', { name: `Show ${who} as the main video` }).click();

  await expect.poll(() => playersPerRemoteVoice(alice), { timeout: 20_000 }).toEqual([1]);
  await showAsMain('Bob');
  await expect(mainVideo(alice).locator('.nickname')).toHaveText('Bob');
  expect(await playersPerRemoteVoice(alice)).toEqual([1]);
  // The one element that plays Bob's voice is really playing.
  await expect
    .poll(() => alice.evaluate(() => [...document.querySelectorAll('audio')].filter((a) => !a.paused && !a.muted).length))
    .toBe(1);
  await showAsMain('Alice');
  await expect(mainVideo(alice).locator('.nickname')).toHaveText('Alice');
  expect(await playersPerRemoteVoice(alice)).toEqual([1]);
  await showAsMain('Bob');
  expect(await playersPerRemoteVoice(alice)).toEqual([1]);

  await leave(bob);
  await expect.poll(() => playersPerRemoteVoice(alice)).toEqual([]);
  await joinAndWaitForCall(bob, session, 'Bob');
  await expect.poll(() => playersPerRemoteVoice(alice), { timeout: 20_000 }).toEqual([1]);
  await showAsMain('Bob');
  expect(await playersPerRemoteVoice(alice)).toEqual([1]);
});

test('the form keeps exactly what was typed when it refuses it, names the field and focuses it', async ({ browser }) => {
  const page = await participant(browser);
  const sessionField = page.getByLabel('Session');
  const nicknameField = page.getByLabel('Nickname');

  await join(page, 'my session!', 'Zed');
  const error = page.getByRole('alert');
  await expect(error).toHaveText('A session name may use only letters, digits, - and _.');
  await expect(sessionField).toHaveValue('my session!');
  await expect(nicknameField).toHaveValue('Zed');
  await expect(sessionField).toHaveAttribute('aria-invalid', 'true');
  await expect(sessionField).toHaveAccessibleDescription('A session name may use only letters, digits, - and _.');
  await expect(nicknameField).toHaveAttribute('aria-invalid', 'false');
  await expect(sessionField).toBeFocused();

  await join(page, 'Fixed', '');
  await expect(error).toHaveText('Enter a nickname.');
  await expect(sessionField).toHaveValue('Fixed');
  await expect(nicknameField).toHaveValue('');
  await expect(nicknameField).toHaveAttribute('aria-invalid', 'true');
  await expect(nicknameField).toHaveAccessibleDescription('Enter a nickname.');
  await expect(sessionField).toHaveAttribute('aria-invalid', 'false');
  await expect(nicknameField).toBeFocused();

  // Typing again keeps what is typed; a good form joins.
  await nicknameField.fill('Zed');
  await page.getByRole('button', { name: 'Join' }).click();
  await expect(page.getByRole('heading', { name: 'Fixed', exact: true })).toBeVisible({ timeout: 30_000 });
});

test('a server gone for good: "Reconnecting…" (one banner) ends after the reconnection window, and Rejoin works', async ({ browser }) => {
  // Waiting out the window is the behaviour under test: this is a wait, not a time assertion. The
  // operator's setting (config.json's reconnectWindowSeconds) makes it 5 s instead of the default 30 s.
  test.setTimeout(90_000);
  const session = uniqueSession('GoneServer');
  const alice = await participant(browser, {}, 5);
  await joinAndWaitForCall(alice, session, 'Alice');

  // The server stops taking connections and drops Alice's: openvidu-browser alone would retry for an hour.
  await refuseWebSockets(120_000);
  await dropSocket((await connectionOf(session, 'Alice')).connectionId);
  await expect(alice.getByText('Connection lost. Reconnecting…')).toBeVisible();
  await expect(alice.locator('.banner')).toHaveCount(1);

  const alert = alice.getByRole('alert');
  await expect(alert.getByRole('heading')).toHaveText('The call ended', { timeout: 20_000 });
  await expect(alert).toContainText('did not come back within 5 seconds');
  // The session was disconnected: no media connection is left open.
  await expect.poll(() => openPeerConnections(alice)).toBe(0);
  // Focus is on what happened.
  await expect(alert.getByRole('heading')).toBeFocused();

  await refuseWebSockets(0);
  await alert.getByRole('button', { name: 'Rejoin' }).click();
  await expect(alice.getByRole('heading', { name: session, exact: true })).toBeVisible({ timeout: 30_000 });
  await expect(alice.locator('.banner')).toHaveCount(0);
});

/** An init script: the browser refuses camera and microphone, as when a person clicks "Block". */
function refuseDevices(): void {
  navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
}

test('someone who joins without camera and microphone is seen by the others, and the count says who is here', async ({ browser }) => {
  test.setTimeout(120_000);
  const session = uniqueSession('Unseen');
  const alice = await participant(browser);
  await joinAndWaitForCall(alice, session, 'Alice');
  await expect(alice.getByText('Only you are in the call')).toBeVisible();

  // Bob's browser refuses camera and microphone: he joins to watch and listen only.
  const bob = await participant(browser);
  await bob.context().addInitScript(refuseDevices);
  await bob.reload();
  await join(bob, session, 'Bob');
  await bob.locator('.publish-failed').getByRole('button', { name: 'Join without camera and microphone' }).click();
  await expect(bob.getByText('2 people in the call')).toBeVisible();

  const bobCard = alice.locator('.tiles .person-tile').filter({ hasText: 'Bob' });
  await expect(bobCard).toBeVisible();
  await expect(bobCard).toContainText('no camera or microphone');
  await expect(alice.getByText('2 people in the call')).toBeVisible();
  // Bob sees Alice's video, and himself as a name card.
  await expect(tileOf(bob, 'Alice')).toBeVisible();
  await expect(bob.locator('.tiles .person-tile').filter({ hasText: 'Bob' })).toContainText('(You)');

  await bob.getByRole('button', { name: 'Leave' }).click();
  await expect(bobCard).toHaveCount(0);
  await expect(alice.getByText('Only you are in the call')).toBeVisible();
});

test('the address and the title follow the room; other parameters are kept', async ({ browser }) => {
  const page = await participant(browser, { session: 'Foo' });
  await expect(page.getByLabel('Session')).toHaveValue('Foo');
  await expect(page).toHaveTitle('OpenVidu call');
  const session = uniqueSession('Typed');
  await joinAndWaitForCall(page, session, 'Alice');
  const url = new URL(page.url());
  expect(url.searchParams.get('session')).toBe(session);
  expect(url.searchParams.get('openviduUrl')).toBe(new URL(callPageUrl()).searchParams.get('openviduUrl'));
  await expect(page).toHaveTitle(`${session} · OpenVidu call`);
  // Focus moved to the call's heading.
  await expect(page.getByRole('heading', { name: session, exact: true })).toBeFocused();

  await leave(page);
  await expect(page).toHaveTitle('OpenVidu call');
  // Back on the form, focus is on its first field; a reload offers the same room.
  await expect(page.getByLabel('Session')).toBeFocused();
  await page.reload();
  await expect(page.getByLabel('Session')).toHaveValue(session);
});
