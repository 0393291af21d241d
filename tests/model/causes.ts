// Causes: what really makes each model event happen on the page, through the person's clicks, a
// second person, or the local server (its REST API and test controls). See README "Model-based
// tests" for the few that stay stand-ins.
import type { Page } from '@playwright/test';
import { join as fillAndJoin } from '../e2e/call-page.ts';
import { testServer } from '../support/local-server.ts';
import { endOwnTrack } from '../support/second-devices.ts';
import { BOB, type ModelEvent, type ModelEventType } from './call.model.ts';
import { endSharedScreen } from '../support/screen-picker.ts';
import type { ScreenPlan, ScreenShareStatePath } from './screen-share.model.ts';
import type { World } from './world.ts';

export type Cause<T extends ModelEventType> = (world: World, event: Extract<ModelEvent, { type: T }>, next: ModelEvent | undefined) => Promise<void>;

const click = (page: Page, name: string) => page.getByRole('button', { name, exact: true }).click();
/** Something the library or the server does by itself once the previous step happened. */
const byItself = async () => undefined;

async function ownConnection(world: World): Promise<string> {
  const id = (await world.lastSnapshot())?.context.connectionId;
  if (!id) throw new Error('Alice has no connection yet');
  return id;
}

/** Where the screen-share actor comes to rest after Share screen, for each plan. */
const SETTLES_AFTER: Record<ScreenPlan, ScreenShareStatePath> = {
  share: 'screenShare.active.sharing',
  shareThenEnd: 'screenShare.idle',
  cancel: 'screenShare.idle',
  refuse: 'screenShare.failed',
  tokenError: 'screenShare.failed',
  holdToken: 'screenShare.active.fetchingToken',
};

export const CAUSES: { [T in ModelEventType]: Cause<T> } = {
  // A person on the page.
  'user.join': async (world, event) => {
    await fillAndJoin(world.alice, event.sessionName ? world.session : '', event.nickname);
  },
  'user.leave': async (world) => {
    // Cancel while joining, Leave in the call: whichever the page offers.
    const cancel = world.alice.getByRole('button', { name: 'Cancel', exact: true });
    if (await cancel.isVisible()) await cancel.click();
    else await click(world.alice, 'Leave');
    await world.releaseHeldTokens();
  },
  'user.retry': async (world) => {
    const rejoin = world.alice.getByRole('button', { name: 'Rejoin', exact: true });
    if (await rejoin.isVisible()) await rejoin.click();
    else await click(world.alice, 'Try again');
  },
  'user.dismiss': (world) => click(world.alice, 'Back'),
  // A click on a tile pins it; a click on the pinned tile unpins.
  // The fixtures name Bob's stream or Alice's own (the page's ids differ); null: the pinned one.
  'user.selectMain': async (world, event) => {
    let who = event.streamId === BOB.streamId ? 'Bob' : 'Alice';
    if (event.streamId === null) {
      const context = (await world.lastSnapshot())?.context;
      if (!context?.mainStreamId) throw new Error('Nothing is pinned to unpin');
      who = context.mainStreamId === context.ownStreamId ? 'Alice' : 'Bob';
    }
    await click(world.alice, `Show ${who} as the main video`);
  },
  'user.setLayout': (world, event) => click(world.alice, event.layout === 'grid' ? 'Grid' : 'Speaker'),
  'user.continueWithoutDevice': (world) => world.alice.locator('.publish-failed').getByRole('button', { name: /^Join without/ }).click(),
  'user.retryPublish': (world) => world.alice.locator('.publish-failed').getByRole('button', { name: 'Try again' }).click(),
  'user.dismissNotice': (world) => click(world.alice, 'Dismiss'),
  'user.openChat': (world) => world.alice.getByRole('button', { name: /^Chat/ }).click(),
  'user.closeChat': (world) => click(world.alice, 'Close chat'),
  'user.toggleMicrophone': (world) => click(world.alice, 'Microphone'),
  'user.toggleCamera': (world) => click(world.alice, 'Camera'),
  // Share screen: what the picker, the server and the browser then do is the path's screen plan.
  'user.shareScreen': async (world) => {
    const plan = world.screenPlans.shift();
    if (!plan) throw new Error('The path shares a screen more often than it has screen plans');
    const picker = plan === 'cancel' || plan === 'refuse' ? plan : 'grant';
    world.screenSettles = SETTLES_AFTER[plan];
    await world.alice.evaluate((p) => ((window as unknown as { __screenPicker: string }).__screenPicker = p), picker);
    await click(world.alice, 'Share screen');
    if (picker !== 'grant') return;
    // The screen connection's token request is held at the server like every other.
    await world.nextTokenRequest();
    if (plan === 'holdToken') return;
    await world.answerTokenRequest(plan === 'tokenError' ? 'wrongSecret' : 'normally');
    if (plan === 'shareThenEnd') {
      await world.alice.locator('.screen-share .sharing-mark').waitFor({ timeout: 20_000 });
      if ((await world.alice.evaluate(endSharedScreen)) !== 1) throw new Error('No shared screen track to end');
    }
  },
  'user.stopScreenShare': async (world) => {
    world.screenSettles = 'screenShare.idle';
    await click(world.alice, 'Share screen');
    // A screen token request still held (stopped while fetching it) is dropped.
    await world.releaseHeldTokens();
  },
  'user.dismissScreenShareError': async (world) => {
    world.screenSettles = 'screenShare.idle';
    await click(world.alice, 'Dismiss the screen sharing message');
  },
  // Another device from the control bar's menu (the page has the second fake devices, see
  // world.ts). When the path has the switch fail, that device is unplugged first, quietly: the
  // menu still lists it, and opening it fails, as when a device goes between listing and picking.
  'user.selectDevice': async (world, event, next) => {
    const menu = world.alice.getByRole('combobox', { name: event.kind === 'camera' ? 'Choose camera' : 'Choose microphone' });
    const current = await menu.inputValue();
    const options = await menu.locator('option').evaluateAll((list) => list.map((o) => (o as HTMLOptionElement).value));
    // The fixture's device when it is not the one in use, otherwise any other.
    const wanted = current !== event.deviceId && options.includes(event.deviceId) ? event.deviceId : options.find((o) => o !== current);
    if (!wanted) throw new Error(`No other ${event.kind} to pick`);
    if (next?.type === 'device.lost') {
      const kind = event.kind;
      const unplugged = await world.alice.evaluate(
        ([k, id]) => {
          const second = (window as unknown as { secondDevices: { unplug(kind: string, o: { quiet: boolean }): void } }).secondDevices;
          if (id !== (k === 'camera' ? 'second-fake-camera' : 'second-fake-microphone')) return false;
          second.unplug(k, { quiet: true });
          return true;
        },
        [kind, wanted] as const,
      );
      if (!unplugged) throw new Error(`The ${kind} to pick is not a second fake device, so it cannot be made to fail`);
    }
    await menu.selectOption(wanted);
  },
  'user.sendChat': async (world, event) => {
    await world.alice.getByRole('textbox', { name: 'Message' }).fill(event.text);
    await click(world.alice, 'Send');
  },

  // openvidu-browser, as the session actor reports it.
  // A second person joins the call (connectionCreated), then publishes (streamCreated, by
  // itself); then leaves it (streamDestroyed, then connectionDestroyed by itself).
  'session.connectionCreated': async (world) => {
    const bob = await world.openBob();
    await fillAndJoin(bob, world.session, 'Bob');
    // Bob's token request is held at the server like Alice's: answered at once.
    await world.nextTokenRequest();
    await world.answerTokenRequest('normally');
  },
  'session.streamCreated': byItself,
  'session.streamDestroyed': async (world) => {
    if (!world.bob) throw new Error('No second participant to leave');
    await click(world.bob, 'Leave');
  },
  'session.connectionDestroyed': byItself,
  // Our own message comes back from the server (no local echo); any other is Bob's.
  'session.chatReceived': async (world, event) => {
    if (world.path.events[world.step - 1]?.type === 'user.sendChat') return;
    if (!world.bob) throw new Error('No second participant to send a message');
    await world.bob.getByRole('button', { name: /^Chat/ }).click();
    await world.bob.getByRole('textbox', { name: 'Message' }).fill(event.message.text);
    await click(world.bob, 'Send');
  },
  // Chromium's fake microphone beeps: speech detection fires by itself while anyone publishes sound.
  'session.speakingChanged': byItself,
  // The other person turns their microphone or camera off.
  'session.streamPropertyChanged': async (world, event) => {
    if (!world.bob) throw new Error('No second participant to toggle a device');
    await click(world.bob, event.property === 'audioActive' ? 'Microphone' : 'Camera');
  },
  'session.disconnected': async (world, event) => {
    const connectionId = await ownConnection(world);
    switch (event.reason) {
      case 'forceDisconnectByServer':
        return testServer.evict(world.session, connectionId);
      case 'sessionClosedByServer':
        return testServer.closeSession(world.session);
      default:
        // The server stays away longer than it keeps a lost participant (10 s).
        await testServer.refuseWebSockets(14_000);
        world.undoAfter(0, () => testServer.refuseWebSockets(0));
        return testServer.dropSocket(connectionId);
    }
  },
  // The server drops the socket; openvidu-browser reconnects by itself. When the path waits out
  // the reconnection window, the server stays away for longer than that window.
  'session.reconnecting': async (world) => {
    const windowRunsOut = [world.upcoming(1), world.upcoming(2)].some(
      (e) => e?.type === 'xstate.after.reconnectWindow.call.session.inCall.reconnecting',
    );
    if (windowRunsOut) {
      await testServer.refuseWebSockets(60_000);
      world.undoAfter(2, () => testServer.refuseWebSockets(0));
    }
    await testServer.dropSocket(await ownConnection(world));
  },
  'session.reconnected': byItself,
  // The server tells the page speech-to-text went away: openvidu-browser raises an exception.
  // While the server is away (reconnecting), Alice's own media connection reports it by itself.
  'session.exception': async (world, event) => {
    if (world.path.events[world.step - 1]?.type === 'session.reconnecting') return;
    await testServer.notify(await ownConnection(world), 'speechToTextDisconnected', { message: event.message });
  },

  'device.switched': byItself,
  // The device in use stops, as an unplugged one does (its track ends); after a pick, the
  // picked device failed by itself (see user.selectDevice).
  'device.lost': async (world, event) => {
    if (world.path.events[world.step - 1]?.type === 'user.selectDevice') return;
    const ended = await world.alice.evaluate(endOwnTrack, (event.kind === 'camera' ? 'video' : 'audio') as 'video' | 'audio');
    if (!ended) throw new Error(`Alice has no live ${event.kind} track to end`);
  },
  // The server unpublishes Alice's camera (REST forceUnpublish).
  'publisher.streamDestroyed': async (world) => {
    const streamId = (await world.lastSnapshot())?.context.ownStreamId;
    if (!streamId) throw new Error('Alice publishes nothing');
    await testServer.forceUnpublish(world.session, streamId);
  },

  // The token request, held at the real server until here, then answered by it.
  'xstate.done.actor.fetchToken': async (world, _event, next) => {
    await world.nextTokenRequest();
    if (next?.type === 'xstate.error.actor.connect') {
      // Someone revokes the token (deletes the pending connection) before the page uses it: the
      // server answers with the token, then deletes its connection.
      return world.answerTokenRequest('revoked');
    }
    if (next?.type === 'xstate.after.stepTimeout.call.session.connecting') {
      // The server refuses the WebSocket: openvidu-browser's connect keeps retrying, never settles.
      await testServer.refuseWebSockets(60_000);
      world.undoAfter(1, () => testServer.refuseWebSockets(0));
    }
    if (next?.type === 'user.leave') {
      // The server is slow to answer joinRoom: the person leaves while the page is connecting.
      await testServer.delayAnswers('joinRoom', 60_000);
      world.undoAfter(1, () => testServer.delayAnswers('joinRoom', 0));
    }
    if (next?.type === 'xstate.done.actor.connect' && world.upcoming(2)?.type === 'user.leave') {
      // The server is slow to answer publishVideo: the person leaves while the page is publishing.
      await testServer.delayAnswers('publishVideo', 60_000);
      world.undoAfter(2, () => testServer.delayAnswers('publishVideo', 0));
    }
    await world.answerTokenRequest('normally');
  },
  // The server checks the page's request against a secret other than the page's: 401.
  'xstate.error.actor.fetchToken': async (world) => {
    await world.nextTokenRequest();
    await world.answerTokenRequest('wrongSecret');
  },
  // The server never answers the token request (it stays held until the page gives up).
  'xstate.after.stepTimeout.call.fetchingToken': async (world) => {
    await world.nextTokenRequest();
    // Once the page has given up on it, the server drops it (a retry then asks afresh).
    world.undoAfter(0, () => world.releaseHeldTokens());
  },
  // How the steps' actors (connect, publish, leave) end, from what the server and the browser did.
  'xstate.done.actor.connect': byItself,
  'xstate.error.actor.connect': byItself, // the token was revoked before the page could use it (see fetchToken done)
  'xstate.done.actor.publish': byItself,
  'xstate.error.actor.publish': byItself, // the browser refuses the camera (see setPermissionsFor)
  'xstate.done.actor.leave': byItself,
  'xstate.after.stepTimeout.call.session.connecting': byItself,
  'xstate.after.reconnectWindow.call.session.inCall.reconnecting': byItself,
};


