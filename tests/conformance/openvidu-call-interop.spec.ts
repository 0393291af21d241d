// Interop with openvidu-call 2.x's conventions, both ways, in one session: a page that behaves as
// openvidu-call does (fixtures/openvidu-call-page.html: the unmodified openvidu-browser, its
// clientData shape, its `chat` signals, its two-connection screen share, and its way of reading
// others, written from the reference notes and not from our code) and our call page.
//
// Our page must show the openvidu-call user's name, chat message (once) and screen grouped with
// them; the openvidu-call page must read our name, our chat message and our screen (type SCREEN,
// our participantId) the way openvidu-call's code does.
import { expect, test, type Page } from '@playwright/test';
import { controllableScreenPicker } from '../support/screen-picker.ts';
import { expectDecodingFrames, joinAndWaitForCall, mainVideo, openParticipant, tileOf } from '../e2e/call-page.ts';
import { createSessionWithTokens, openFixture, startFixtureServer, type FixtureServer } from './fixture-server.ts';

test.describe.configure({ timeout: 150_000 });

let fixture: FixtureServer;
test.beforeAll(async () => {
  fixture = await startFixtureServer();
});
test.afterAll(async () => {
  await fixture.close();
});

interface OpenViduCallView {
  participants: Record<string, { nickname?: string; streams: Record<string, { streamId: string; nickname: string; typeOfVideo: string; hasAudio: boolean }> }>;
  people: { connectionId: string; nickname: string; data: string }[];
  chat: { isLocal: boolean; nickname: string; message: string; notification: string }[];
}
declare global {
  interface Window {
    ovcall: {
      join(cameraToken: string, screenToken: string, nickname: string): Promise<{ connectionId: string; participantId: string }>;
      sendChat(text: string): Promise<void>;
      shareScreen(): Promise<string>;
      frames(streamId: string): { width: number; height: number; frames: number } | null;
      snapshot(): OpenViduCallView;
      leave(): void;
    };
  }
}

const viewOf = (page: Page): Promise<OpenViduCallView> => page.evaluate(() => window.ovcall.snapshot());
const messages = (page: Page) => page.getByRole('log', { name: 'Messages' }).getByRole('listitem');

test("openvidu-call's user and ours: names, chat once, screens grouped with their sharer, both ways", async ({ browser }) => {
  const session = `Interop_${Date.now()}`;
  // openvidu-call's backend creates two connections per user at join: camera and screen.
  const [cameraToken = '', screenToken = ''] = await createSessionWithTokens(session, 2);
  const carolContext = await browser.newContext({ permissions: ['camera', 'microphone'] });
  const carol = await carolContext.newPage();
  await openFixture(carol, fixture.origin, '/openvidu-call.html');
  const carolIds = await carol.evaluate(([c, s]) => window.ovcall.join(c as string, s as string, 'Carol'), [cameraToken, screenToken]);

  const alice = await openParticipant(browser);
  await alice.context().addInitScript(controllableScreenPicker);
  await alice.reload();
  try {
    await joinAndWaitForCall(alice, session, 'Alice');

    await test.step("our page shows openvidu-call's user by name; openvidu-call reads ours", async () => {
      await expect(tileOf(alice, 'Carol')).toHaveCount(1, { timeout: 30_000 });
      await expect(alice.locator('.people-count')).toHaveText('2 people in the call');
      await expect.poll(async () => Object.values((await viewOf(carol)).participants).map((p) => p.nickname), { timeout: 30_000 }).toEqual(['Alice']);
      const view = await viewOf(carol);
      const [aliceId, aliceAsSeen] = Object.entries(view.participants)[0] ?? [];
      // Our camera connection: typed CAMERA, with a participantId of its own (not the connection id fallback).
      expect(aliceAsSeen?.streams.CAMERA).toBeDefined();
      expect(aliceId).not.toMatch(/^con_/);
      expect(view.people.map((p) => p.nickname)).toEqual(['Alice']);
      // Our connection data is the openvidu-call shape, with no server data joined to it.
      expect(JSON.parse(view.people[0]?.data ?? '')).toEqual({ clientData: 'Alice', participantId: aliceId, type: 'CAMERA' });
    });

    await test.step('chat both ways, each message once, in openvidu-call\'s {message, nickname} shape', async () => {
      await carol.evaluate(() => window.ovcall.sendChat('Hello  from   openvidu-call'));
      await expect(alice.getByRole('button', { name: 'Chat, 1 unread' })).toBeVisible();
      await alice.getByRole('button', { name: /^Chat/ }).click();
      await expect(messages(alice)).toHaveCount(1);
      await expect(messages(alice).first()).toContainText('Carol');
      await expect(messages(alice).first()).toContainText('Hello from openvidu-call');

      await alice.getByRole('textbox', { name: 'Message' }).fill('Hi Carol, from our page');
      await alice.getByRole('button', { name: 'Send', exact: true }).click();
      await expect(messages(alice)).toHaveCount(2);
      await expect.poll(async () => (await viewOf(carol)).chat.length).toBe(2);
      const chat = (await viewOf(carol)).chat;
      expect(chat[0]).toEqual({ isLocal: true, nickname: 'Carol', message: 'Hello from openvidu-call', notification: 'CAROL' });
      expect(chat[1]).toEqual({ isLocal: false, nickname: 'Alice', message: 'Hi Carol, from our page', notification: 'ALICE' });
    });

    await test.step("openvidu-call's screen: large on our page, labelled and grouped with Carol, not a person", async () => {
      await carol.evaluate(() => window.ovcall.shareScreen());
      const screen = alice.locator('.tiles .video-tile[data-screen="true"]');
      await expect(screen).toHaveCount(1, { timeout: 30_000 });
      await expect(screen.locator('figcaption')).toContainText('Carol (screen)');
      // Grouped: the screen's tile comes right after Carol's camera tile.
      const order = await alice.locator('.tiles > li .video-tile').evaluateAll((tiles) =>
        tiles.map((t) => `${t.querySelector('.nickname')?.textContent}${t.getAttribute('data-screen') === 'true' ? ' (screen)' : ''}`),
      );
      expect(order.slice(order.indexOf('Carol'), order.indexOf('Carol') + 2)).toEqual(['Carol', 'Carol (screen)']);
      await expect(mainVideo(alice)).toHaveAttribute('data-screen', 'true');
      await expectDecodingFrames(mainVideo(alice));
      await expect(alice.locator('.people-count')).toHaveText('2 people in the call');
    });

    await test.step('our screen: openvidu-call types it SCREEN, groups it with our camera by participantId, and decodes it', async () => {
      await alice.getByRole('button', { name: 'Share screen', exact: true }).click();
      await expect
        .poll(async () => Object.values((await viewOf(carol)).participants)[0]?.streams.SCREEN?.nickname, { timeout: 30_000 })
        .toBe('Alice_SCREEN');
      const view = await viewOf(carol);
      const alicePeople = Object.values(view.participants);
      expect(alicePeople).toHaveLength(1); // one participant: camera and screen grouped
      expect(alicePeople[0]?.nickname).toBe('Alice');
      expect(alicePeople[0]?.streams.SCREEN?.typeOfVideo).toBe('SCREEN');
      // The screen connection is not one of openvidu-call's people.
      expect(view.people.map((p) => p.nickname)).toEqual(['Alice']);
      const streamId = alicePeople[0]?.streams.SCREEN?.streamId ?? '';
      await expect.poll(async () => (await carol.evaluate((id) => window.ovcall.frames(id), streamId))?.frames ?? 0, { timeout: 30_000 }).toBeGreaterThan(10);
      // Our own page never receives its own screen back.
      await expect(alice.locator('.tiles .video-tile[data-screen="true"]')).toHaveCount(1);
    });
    expect(carolIds.participantId).toMatch(/^0_/);
  } finally {
    await carol.evaluate(() => window.ovcall.leave()).catch(() => undefined);
    await carolContext.close();
    await alice.context().close();
  }
});
