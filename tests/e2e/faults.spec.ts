// Faults caused for real, through the real page and the local server: each ends in a named
// state with words a person can act on, the way out works, and the server keeps no ghost.
import { chromium, expect, test, type Browser, type Page } from '@playwright/test';
import { startOpenViduServer } from '../../server/index.ts';
import { silentLogger } from '../../server/log.ts';
import { CHROMIUM_ARGS, chromiumExecutable } from '../support/chromium.ts';
import { testServer } from '../support/local-server.ts';
import { TEST_SECRET } from '../support/ports.ts';
import {
  callPageUrl,
  expectDecodingFrames,
  expectHearing,
  join,
  joinAndWaitForCall,
  mainVideo,
  openParticipant,
  openPeerConnections,
  ownTile,
  remoteTiles,
  tileOf,
} from './call-page.ts';
import {
  closeSession,
  connectionOf,
  connectionsBy,
  dropSocket,
  evict,
  failNextSubscription,
  forceUnpublish,
  participantsIn,
  refuseWebSockets,
  serverState,
} from './local-server.ts';

const uniqueSession = (name: string) => `${name}_${Date.now()}`;
const pages: Page[] = [];
const browsers: Browser[] = [];
async function participant(browser: Browser, extra: Record<string, string> = {}): Promise<Page> {
  const page = await openParticipant(browser, extra);
  pages.push(page);
  return page;
}
/** A participant in a Chromium of their own, launched with other flags and permissions. */
async function participantInOwnBrowser(args: string[], permissions: string[]): Promise<Page> {
  const executablePath = chromiumExecutable();
  const own = await chromium.launch({ args, ...(executablePath ? { executablePath } : {}) });
  browsers.push(own);
  const page = await (await own.newContext({ permissions })).newPage();
  pages.push(page);
  await page.goto(callPageUrl());
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
    await expect(alert).toContainText("You cannot join: the call service refused this page's credentials. For the site's operator: the OpenVidu server");
    await expect(alert).toContainText('refused the secret; check openviduSecret in config.json');
    await expect(alert).not.toContainText('NOT_THE_SECRET');
    await alert.getByRole('button', { name: 'Back' }).click();
    await expect(page.getByLabel('Session')).toHaveValue('SecretTest');
    await expect(page.getByLabel('Nickname')).toHaveValue('Alice');
  });

  test('a server that is not running is named as such, and nothing hangs', async ({ browser }) => {
    const page = await participant(browser, { openviduUrl: 'http://localhost:9' });
    await join(page, 'DownTest', 'Alice');
    await expect(page.getByRole('alert')).toContainText(
      "You cannot join right now: the call service is not answering. Try again in a moment. For the site's operator: nothing answered at http://localhost:9 (the OpenVidu server)",
    );
    // Not the local default server, so no "npm start runs one for you".
    await expect(page.getByRole('alert')).not.toContainText('npm start');
    await expect(page.getByRole('button', { name: 'Try again' })).toBeVisible();
  });

  test('an https server whose certificate is not trusted is named as a possibility; once trusted, Try again joins', async ({ browser }) => {
    // The TLS mode's own self-signed certificate, in a browser that does not ignore certificate
    // errors (the test contexts never set ignoreHTTPSErrors).
    const tls = await startOpenViduServer({ port: 0, host: '127.0.0.1', secret: TEST_SECRET, tls: true, loopbackOnly: true, logger: silentLogger });
    try {
      const page = await participant(browser, { openviduUrl: tls.url });
      await join(page, uniqueSession('Tls'), 'Alice');
      const alert = page.getByRole('alert');
      await expect(alert).toContainText(
        `For the site's operator: the OpenVidu server at ${tls.url} is not running, or its certificate is not trusted by this browser. ` +
          `If it uses a self-signed certificate, open ${tls.url} in a new tab, accept the certificate, then try again.`,
      );
      // Do what it says, as a person would: the link, Chromium's warning page, "Advanced", "Proceed".
      const opened = page.context().waitForEvent('page');
      await alert.getByRole('link', { name: `Open ${tls.url} to check its certificate` }).click();
      const tab = await opened;
      await tab.getByRole('button', { name: 'Advanced' }).click();
      const proceed = tab.getByRole('link', { name: /Proceed to localhost/ });
      await proceed.click();
      await expect(tab.getByText('This OpenVidu server is running.')).toBeVisible();
      await tab.close();
      await alert.getByRole('button', { name: 'Try again' }).click();
      await expectDecodingFrames(ownTile(page));
    } finally {
      await tls.close();
    }
  });

  test('a session closed between creating it and getting a token is named; Try again joins', async ({ browser }) => {
    const session = uniqueSession('Gone');
    const page = await participant(browser);
    // The race, made certain at the server: it holds the page's token request, the session is
    // closed through the REST API meanwhile, then the request is answered: 404.
    await testServer.holdTokenRequests(session, true);
    try {
      await join(page, session, 'Alice');
      await expect.poll(() => testServer.heldTokenRequests(session)).toBe(1);
      await closeSession(session);
      await testServer.releaseTokenRequest(session, 'normally');
    } finally {
      await testServer.holdTokenRequests(session, false);
    }
    const alert = page.getByRole('alert');
    await expect(alert.getByRole('heading')).toHaveText('Could not join');
    await expect(alert).toContainText(`The session "${session}" closed before you could join. Try again.`);
    expect(await participantsIn(session)).toBe(0);
    await alert.getByRole('button', { name: 'Try again' }).click();
    await expectDecodingFrames(ownTile(page));
    expect(await participantsIn(session)).toBe(1);
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
    // Wait until the call is fully set up (the server lists Alice's published stream): a second
    // join from the second click would have asked for its token and connected by then.
    await expectDecodingFrames(ownTile(page));
    await expect.poll(async () => (await connectionOf(session, 'Alice').catch(() => null))?.publishers?.length ?? 0).toBe(1);
    expect(await participantsIn(session)).toBe(1);
    expect([...(await connectionsBy(session)).keys()]).toEqual(['Alice']);
    // One publisher peer connection on the page, none for a second session.
    expect(await openPeerConnections(page)).toBe(1);
    await expect(ownTile(page)).toHaveCount(1);
  });
});

/**
 * An init script: the camera is held by another program. Chromium has no flag for a busy device
 * (a broken --use-file-for-fake-video-capture removes the camera, or fails only in a race), so
 * the browser's device layer answers as the operating system then does: NotReadableError,
 * "Could not start video source". Everything above it is real: openvidu-browser's error
 * mapping, the device probe, the machine and the page. `window.cameraBusy = false` frees it.
 */
function cameraHeldElsewhere(): void {
  const w = window as unknown as { cameraBusy: boolean };
  w.cameraBusy = true;
  const devices = navigator.mediaDevices;
  const getUserMedia = devices.getUserMedia.bind(devices);
  devices.getUserMedia = async (constraints) => {
    if (w.cameraBusy && constraints?.video) throw new DOMException('Could not start video source', 'NotReadableError');
    return getUserMedia(constraints);
  };
}

test.describe('devices', () => {
  test('a refused camera is named; joining without it publishes the microphone and others see the tile', async ({ browser }) => {
    const session = uniqueSession('NoCamera');
    const bob = await participant(browser);
    await joinAndWaitForCall(bob, session, 'Bob');

    // A browser that answers permission prompts with "no", where Alice allowed only the microphone.
    const alice = await participantInOwnBrowser(
      [...CHROMIUM_ARGS.filter((arg) => arg !== '--use-fake-ui-for-media-stream'), '--deny-permission-prompts'],
      ['microphone'],
    );
    await join(alice, session, 'Alice');
    const panel = alice.locator('.publish-failed');
    await expect(panel).toContainText('You did not allow this page to use your camera.');
    // Already in the call: Bob is visible while Alice decides.
    await expectDecodingFrames(tileOf(alice, 'Bob'));
    await panel.getByRole('button', { name: 'Join without camera' }).click();
    await expect(panel).toHaveCount(0);
    await expect(ownTile(alice)).toBeVisible();
    await expect(tileOf(bob, 'Alice')).toBeVisible();
    // What Bob gets of Alice is her voice: it plays on his page, with sound in it.
    await expectHearing(bob, 'Alice');
    const alicePublishes = (await connectionOf(session, 'Alice')).publishers ?? [];
    expect(alicePublishes).toHaveLength(1);
  });

  test('a busy camera is named; Try again works once it is free, and joining without it publishes the microphone', async ({ browser }) => {
    test.setTimeout(120_000); // three participants, four publish attempts
    const session = uniqueSession('Busy');
    const bob = await participant(browser);
    await joinAndWaitForCall(bob, session, 'Bob');
    const busyMessage = 'Your camera is in use by another tab or program. Close it there and try again, or join without it.';
    /** Joins with the camera held by another program: the page names it and stays in the call. */
    const joinWithCameraBusy = async (nickname: string) => {
      const page = await participant(browser);
      await page.context().addInitScript(cameraHeldElsewhere);
      await page.reload();
      await join(page, session, nickname);
      const panel = page.locator('.publish-failed');
      await expect(panel).toContainText(busyMessage);
      return { page, panel };
    };

    const { page: alice, panel } = await joinWithCameraBusy('Alice');
    await expectDecodingFrames(tileOf(alice, 'Bob'));
    // Still busy: trying again says so again.
    await panel.getByRole('button', { name: 'Try again' }).click();
    await expect(panel).toContainText(busyMessage);
    // The other program lets go of the camera: Try again publishes it.
    await alice.evaluate(() => ((window as unknown as { cameraBusy: boolean }).cameraBusy = false));
    await panel.getByRole('button', { name: 'Try again' }).click();
    await expect(panel).toHaveCount(0);
    await expectDecodingFrames(ownTile(alice));
    await expectDecodingFrames(tileOf(bob, 'Alice'));

    const { panel: carolPanel } = await joinWithCameraBusy('Carol');
    await carolPanel.getByRole('button', { name: 'Join without camera' }).click();
    await expect(carolPanel).toHaveCount(0);
    await expect(tileOf(bob, 'Carol')).toBeVisible();
    await expectHearing(bob, 'Carol');
    const carolPublishes = (await connectionOf(session, 'Carol')).publishers ?? [];
    expect(carolPublishes).toHaveLength(1);
    expect(await participantsIn(session)).toBe(3);
  });

  test('with no camera or microphone at all, each missing device is named and the person still joins to watch', async ({ browser }) => {
    const session = uniqueSession('NoDevices');
    const bob = await participant(browser);
    await joinAndWaitForCall(bob, session, 'Bob');

    // No fake devices: this machine has no camera and no microphone.
    const alice = await participantInOwnBrowser(
      CHROMIUM_ARGS.filter((arg) => !arg.startsWith('--use-fake-device-for-media-stream')),
      ['camera', 'microphone'],
    );
    await join(alice, session, 'Alice');
    const panel = alice.locator('.publish-failed');
    await expect(panel).toContainText('No camera was found.');
    await panel.getByRole('button', { name: 'Join without camera' }).click();
    await expect(panel).toContainText('No microphone was found.');
    await panel.getByRole('button', { name: 'Join without microphone' }).click();
    await expect(panel).toHaveCount(0);
    await expect(alice.getByRole('status')).toContainText('You joined without camera and microphone.');
    await expectDecodingFrames(tileOf(alice, 'Bob'));
    await expect(mainVideo(alice).locator('.nickname')).toHaveText('Bob');
    expect((await connectionOf(session, 'Alice')).publishers ?? []).toHaveLength(0);
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
      // Nothing left behind on the page: every peer connection is closed.
      await expect.poll(() => openPeerConnections(page)).toBe(0);
    }
    expect(await participantsIn(session)).toBe(0);
    // Nor on the server: no endpoint of theirs is still open (these two are its only participants).
    await expect.poll(async () => (await serverState()).counts.openPeerConnections).toBe(0);
    expect((await serverState()).counts).toMatchObject({ participants: 0, publishers: 0, subscribers: 0 });
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

    // Refused for 3 s (well inside the 10 s window), so "reconnecting" lasts long enough to be seen:
    // on loopback the library is otherwise back within a poll interval.
    await refuseWebSockets(3_000);
    await dropSocket((await connectionOf(session, 'Alice')).connectionId);
    await expect(alice.getByText('Connection lost. Reconnecting…')).toBeVisible();
    await expect(alice.getByText('Connection lost. Reconnecting…')).toHaveCount(0, { timeout: 30_000 });
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

test.describe('other participants', () => {
  test('one whose page dies without leaving disappears for the others after the server\'s timeout', async ({ browser }) => {
    test.setTimeout(150_000);
    const session = uniqueSession('Crash');
    const alice = await participant(browser);
    await joinAndWaitForCall(alice, session, 'Alice');
    // Bob in a browser process of his own, killed outright: no pagehide, no leaveRoom, his
    // socket and media just stop.
    const executablePath = chromiumExecutable();
    const bobServer = await chromium.launchServer({ args: CHROMIUM_ARGS, ...(executablePath ? { executablePath } : {}) });
    try {
      const bobBrowser = await chromium.connect(bobServer.wsEndpoint());
      const bob = await (await bobBrowser.newContext({ permissions: ['camera', 'microphone'] })).newPage();
      await bob.goto(callPageUrl());
      await joinAndWaitForCall(bob, session, 'Bob');
      await expect(remoteTiles(alice)).toHaveCount(1);
      bobServer.process().kill('SIGKILL');
    } catch (error) {
      await bobServer.close();
      throw error;
    }
    await expect(remoteTiles(alice)).toHaveCount(0, { timeout: 45_000 });
    await expect.poll(() => participantsIn(session), { timeout: 10_000 }).toBe(1);
    await expectDecodingFrames(ownTile(alice));
  });

  test('one stream that fails for one person shows its own error on its tile; the call goes on, and Retry brings it back', async ({ browser }) => {
    test.setTimeout(120_000);
    const session = uniqueSession('StreamFault');
    const alice = await participant(browser);
    const carol = await participant(browser);
    await joinAndWaitForCall(alice, session, 'Alice');
    await joinAndWaitForCall(carol, session, 'Carol');
    await expectDecodingFrames(tileOf(alice, 'Carol'));

    // The server refuses Alice's next subscription, which is Bob's stream once he joins: his
    // stream fails for Alice only, as when the media server cannot set up that one endpoint.
    await failNextSubscription((await connectionOf(session, 'Alice')).connectionId);
    const bob = await participant(browser);
    await joinAndWaitForCall(bob, session, 'Bob');
    const bobOnAlice = tileOf(alice, 'Bob');
    await expect(bobOnAlice.getByRole('status')).toContainText('This video could not be received. Try again.');
    await expect(alice.getByRole('heading', { name: session })).toBeVisible();
    await expectDecodingFrames(tileOf(alice, 'Carol'));
    await expectDecodingFrames(tileOf(carol, 'Bob'));

    // The fault was for one subscription only; the tile's own Retry subscribes afresh.
    await bobOnAlice.getByRole('button', { name: 'Retry' }).click();
    await expectDecodingFrames(bobOnAlice);
    await expect(bobOnAlice.getByRole('status')).toHaveCount(0);
  });

  test('a hostile nickname shows as text on the other participant\'s page, and nothing runs', async ({ browser }) => {
    const session = uniqueSession('Hostile');
    const hostile = '<img src=x onerror="document.title=\'pwned\'">';
    const alice = await participant(browser);
    await joinAndWaitForCall(alice, session, 'Alice');
    const mallory = await participant(browser);
    await joinAndWaitForCall(mallory, session, hostile);
    await expect(tileOf(alice, hostile)).toBeVisible();
    await expect(alice.locator('.tiles img')).toHaveCount(0);
    // Had the markup become an <img>, its request for "x" would have failed by now: this page's own
    // probe asks for the same "x" after it, and waits for its onerror (which proves one can fire here).
    for (const page of [alice, mallory]) {
      await page.evaluate(() => new Promise<void>((resolve) => {
        const probe = new Image();
        probe.onerror = () => resolve();
        probe.src = 'x';
      }));
    }
    expect(await alice.title()).not.toBe('pwned');
    expect(await mallory.title()).not.toBe('pwned');
  });
});

test.describe('the person at the worst moment', () => {
  test('closing the tab or reloading mid-call leaves no participant behind', async ({ browser }) => {
    const session = uniqueSession('Gone');
    const { alice, bob } = await aliceAndBobIn(browser, session);
    await expect.poll(() => participantsIn(session)).toBe(2);

    await bob.reload();
    await expect(bob.getByRole('button', { name: 'Join' })).toBeVisible();
    // These 5 s timeouts are the check: well inside the server's 10 s reconnection window, so only
    // a leave sent on pagehide (not the window running out) can make the participant go in time.
    await expect.poll(() => participantsIn(session), { timeout: 5_000 }).toBe(1);
    await expect(remoteTiles(alice)).toHaveCount(0);

    await alice.close({ runBeforeUnload: true });
    await expect.poll(() => participantsIn(session), { timeout: 5_000 }).toBe(0);
  });
});
