// Causes: what really makes each model event happen on the page, through the person's clicks, a
// second person, or the local server (its REST API and test controls). See README "Model-based
// tests" for the few that stay stand-ins.
import type { Page } from '@playwright/test';
import { join as fillAndJoin } from '../e2e/call-page.ts';
import { testServer } from '../support/local-server.ts';
import { BOB, type ModelEvent, type ModelEventType } from './call.model.ts';
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
  'user.sendChat': async (world, event) => {
    await world.alice.getByRole('textbox', { name: 'Message' }).fill(event.text);
    await click(world.alice, 'Send');
  },

  // openvidu-browser, as the session actor reports it.
  'session.connected': byItself,
  'session.connectFailed': byItself, // the token was revoked before the page could use it (see done)
  'session.left': byItself,
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

  'publisher.published': byItself,
  'publisher.failed': byItself, // the browser refuses the camera (see setPermissionsFor)
  // The server unpublishes Alice's camera (REST forceUnpublish).
  'publisher.streamDestroyed': async (world) => {
    const streamId = (await world.lastSnapshot())?.context.ownStreamId;
    if (!streamId) throw new Error('Alice publishes nothing');
    await testServer.forceUnpublish(world.session, streamId);
  },

  // The token request, held at the real server until here, then answered by it.
  'xstate.done.actor.fetchToken': async (world, _event, next) => {
    await world.nextTokenRequest();
    if (next?.type === 'session.connectFailed') {
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
    if (next?.type === 'session.connected' && world.upcoming(2)?.type === 'user.leave') {
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
  'xstate.after.stepTimeout.call.session.connecting': byItself,
  'xstate.after.reconnectWindow.call.session.inCall.reconnecting': byItself,
};


