// Runs a path of the model on the real page: Alice is the page under test, opened with
// `?inspect` (the inspector routed to a recording stub), against the real local server. Each
// model event is caused for real (CAUSES), each state is checked on what the page shows
// (PAGE_STATES), and the events Alice's own call actor received, as the inspector saw them, are
// replayed through the definition to know which transitions the page really took.
import { expect, type Browser, type BrowserContext, type Page, type Route } from '@playwright/test';
import { callPageUrl, countPeerConnections, join as fillAndJoin, openPeerConnections } from '../e2e/call-page.ts';
import { connectionsBy } from '../e2e/local-server.ts';
import { TEST_SECRET, TEST_SERVER_URL } from '../support/ports.ts';
import {
  describe,
  replay,
  statePathsOf,
  type CallSnapshot,
  type ModelEvent,
  type ModelEventType,
  type ModelPath,
  type StatePath,
  projectSnapshot,
} from './call.model.ts';
import { callActorEvents, received, stubInspector } from './inspector-stub.ts';
import { NOT_PAINTED_ON_PAGE } from './not-painted.ts';
import type { DeviceStatePath } from './devices.model.ts';

// ---------------------------------------------------------------------------------------------
// The local server, as an operator (REST with the secret) and as a test (the /test routes)

const AUTH = `Basic ${Buffer.from(`OPENVIDUAPP:${TEST_SECRET}`).toString('base64')}`;
const WRONG_AUTH = `Basic ${Buffer.from('OPENVIDUAPP:not-the-secret').toString('base64')}`;

async function server(method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${TEST_SERVER_URL}${path}`, {
    method,
    headers: { Authorization: AUTH, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

async function expectStatus(response: Promise<Response>, status: number, what: string): Promise<void> {
  const r = await response;
  expect(r.status, `${what}: ${await r.text().catch(() => '')}`).toBe(status);
}

export const serverControls = {
  evict: (session: string, connectionId: string) =>
    expectStatus(server('DELETE', `/openvidu/api/sessions/${session}/connection/${connectionId}`), 204, 'evict'),
  revokeToken: (session: string, connectionId: string) =>
    expectStatus(server('DELETE', `/openvidu/api/sessions/${session}/connection/${connectionId}`), 204, 'revoke a pending token'),
  closeSession: (session: string) => expectStatus(server('DELETE', `/openvidu/api/sessions/${session}`), 204, 'close the session'),
  forceUnpublish: (session: string, streamId: string) =>
    expectStatus(server('DELETE', `/openvidu/api/sessions/${session}/stream/${streamId}`), 204, 'force unpublish'),
  dropSocket: (connectionId: string) =>
    expectStatus(server('POST', `/test/connections/${connectionId}/drop-socket`), 204, 'drop the socket'),
  refuseWebSockets: (ms: number) => expectStatus(server('POST', '/test/refuse-websockets', { ms }), 204, 'refuse websockets'),
  delayAnswers: (method: string, ms: number) =>
    expectStatus(server('POST', '/test/delay-answers', { method, ms }), 204, `delay answers to ${method}`),
  notify: (connectionId: string, method: string, params: object) =>
    expectStatus(server('POST', `/test/connections/${connectionId}/notify`, { method, params }), 204, 'notify'),
};

// ---------------------------------------------------------------------------------------------
// What the page shows, recorded as it changes

/** What a person sees on the page at one moment, in a few words. */
export interface PageView {
  screen: string;
  step: string;
  leave: string;
  reconnecting: boolean;
  notice: string;
  errorTitle: string;
  errorKind: string;
  publishFailed: string;
  formError: string;
  ownTile: boolean;
  remoteTiles: number;
  main: string;
  /** aria-pressed of your Microphone and Camera buttons ('' when there are none). */
  microphone: string;
  camera: string;
  /** Remote tiles with a muted-microphone mark, and with a name card instead of video. */
  mutedMarks: number;
  nameCards: number;
}

// Runs in the page before its own scripts: every DOM change that alters the summary is kept,
// so a state shown only briefly (connecting, publishing) is still seen.
function recordViews(): void {
  const w = window as unknown as { __views: PageView[] };
  w.__views = [];
  const text = (selector: string) => document.querySelector(selector)?.textContent?.trim() ?? '';
  const summary = (): PageView => ({
    screen: (document.querySelector('main.page') as HTMLElement | null)?.dataset.screen ?? '',
    step: text('.joining .step'),
    leave: text('.call-header button.danger'),
    reconnecting: document.querySelector('.banner.warning') !== null,
    notice: text('.banner:not(.warning) span'),
    errorTitle: text('.card.error h1'),
    errorKind: document.querySelector('.card.error')?.getAttribute('data-error-kind') ?? '',
    publishFailed: document.querySelector('.publish-failed')?.getAttribute('data-error-kind') ?? '',
    formError: text('.form-error'),
    ownTile: document.querySelector('.tiles .video-tile[data-media-key="self"]') !== null,
    remoteTiles: document.querySelectorAll('.tiles .video-tile:not([data-media-key="self"])').length,
    main: text('.stage .video-tile.main .nickname'),
    microphone: document.querySelector('.controls button[title*="microphone"]')?.getAttribute('aria-pressed') ?? '',
    camera: document.querySelector('.controls button[title*="camera"]')?.getAttribute('aria-pressed') ?? '',
    mutedMarks: document.querySelectorAll('.tiles .video-tile:not([data-media-key="self"]) .muted-mark').length,
    nameCards: document.querySelectorAll('.tiles .video-tile:not([data-media-key="self"]) .name-card').length,
  });
  let last = '';
  const note = () => {
    const view = summary();
    const key = JSON.stringify(view);
    if (key !== last) {
      last = key;
      w.__views.push(view);
    }
  };
  const start = () => {
    note();
    new MutationObserver(note).observe(document.documentElement, { subtree: true, childList: true, characterData: true, attributes: true });
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
}

const views = (page: Page) => page.evaluate(() => (window as unknown as { __views: PageView[] }).__views.slice());

// ---------------------------------------------------------------------------------------------
// The world one path runs in

export interface Browsers {
  /** Grants camera and microphone (fake devices). */
  normal: Browser;
  /** Answers every permission prompt with "no": what is not granted is refused. */
  refusing: Browser;
}

export class World {
  readonly session = `Model${Date.now()}${Math.floor(Math.random() * 1000)}`;
  alice!: Page;
  popup!: Page;
  aliceContext!: BrowserContext;
  bob: Page | null = null;
  private heldTokens: Route[] = [];
  private tokenWaiters: ((route: Route) => void)[] = [];
  /** What causes set up on the server, each undone after the step it is due at. */
  private undos: { due: number; undo: () => Promise<void> }[] = [];
  /** The index of the step being run. */
  step = 0;
  permissions = '';

  constructor(
    readonly browsers: Browsers,
    readonly path: ModelPath,
  ) {}

  async open(): Promise<void> {
    const refusing = this.path.events.some((e) => e.type === 'publisher.failed');
    this.aliceContext = await (refusing ? this.browsers.refusing : this.browsers.normal).newContext();
    await stubInspector(this.aliceContext);
    await this.aliceContext.addInitScript(recordViews);
    await this.aliceContext.addInitScript(countPeerConnections);
    // Every token request waits here until the path says how the server answers it.
    await this.aliceContext.route('**/openvidu/api/sessions/*/connection', async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      const waiter = this.tokenWaiters.shift();
      if (waiter) waiter(route);
      else this.heldTokens.push(route);
    });
    await this.setPermissionsFor(0);
    this.alice = await this.aliceContext.newPage();
    const popup = this.alice.waitForEvent('popup');
    await this.alice.goto(callPageUrl({ inspect: '' }));
    this.popup = await popup;
    await expect(this.alice.getByRole('button', { name: 'Join' })).toBeVisible();
  }

  /** The event `ahead` steps after the one being caused (1: the next). */
  upcoming(ahead: number): ModelEvent | undefined {
    return this.path.events[this.step + ahead];
  }

  /** Undo `undo` once `steps` more steps have run (0: after this one). */
  undoAfter(steps: number, undo: () => Promise<void>): void {
    this.undos.push({ due: this.step + steps, undo });
  }

  async runDueUndos(): Promise<void> {
    const due = this.undos.filter((u) => u.due <= this.step);
    this.undos = this.undos.filter((u) => u.due > this.step);
    for (const { undo } of due) await undo();
  }

  /** The next token request the page makes (held until answered). */
  nextTokenRequest(): Promise<Route> {
    const held = this.heldTokens.shift();
    if (held) return Promise.resolve(held);
    return new Promise((resolve) => this.tokenWaiters.push(resolve));
  }

  /** Keep a token request unanswered (until the path ends). */
  hold(route: Route): void {
    this.heldTokens.push(route);
  }

  /** Drop token requests the page gave up on (it left, or timed out). */
  async releaseHeldTokens(): Promise<void> {
    for (const route of this.heldTokens.splice(0)) await route.abort().catch(() => undefined);
  }

  /**
   * Camera and microphone permissions for what the path expects of the next publish: refused
   * camera, refused both, or granted.
   */
  async setPermissionsFor(index: number): Promise<void> {
    // A leave before any publish outcome (leaving while publishing) wants the camera granted.
    const next = this.path.events
      .slice(index)
      .find((e) => e.type === 'publisher.failed' || e.type === 'publisher.published' || e.type === 'user.leave');
    const wanted =
      next?.type === 'publisher.failed'
        ? next.error.device === 'camera'
          ? 'microphone'
          : ''
        : 'camera,microphone';
    if (wanted === this.permissions) return;
    await this.aliceContext.clearPermissions();
    if (wanted) await this.aliceContext.grantPermissions(wanted.split(','));
    this.permissions = wanted;
  }

  async openBob(): Promise<Page> {
    const context = await this.browsers.normal.newContext({ permissions: ['camera', 'microphone'] });
    this.bob = await context.newPage();
    await this.bob.goto(callPageUrl());
    return this.bob;
  }

  async close(): Promise<void> {
    await this.releaseHeldTokens();
    for (const { undo } of this.undos.splice(0)) await undo().catch(() => undefined);
    await this.bob?.context().close();
    await this.aliceContext?.close();
  }

  /** The page's own call actor, replayed from what the inspector received. */
  async actorState() {
    const events = callActorEvents(await received(this.popup));
    return { events, ...replay(events) };
  }

  async lastSnapshot(): Promise<CallSnapshot | undefined> {
    return (await this.actorState()).perEvent.at(-1)?.snapshot;
  }
}

// ---------------------------------------------------------------------------------------------
// Causes: what really makes each event happen

type Cause<T extends ModelEventType> = (world: World, event: Extract<ModelEvent, { type: T }>, next: ModelEvent | undefined) => Promise<void>;

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
  'user.selectMain': async (world, event) => {
    const who = event.streamId ? 'Bob' : 'Alice';
    await click(world.alice, `Show ${who} as the main video`);
  },
  'user.continueWithoutDevice': (world) => world.alice.locator('.publish-failed').getByRole('button', { name: /^Join without/ }).click(),
  'user.retryPublish': (world) => world.alice.locator('.publish-failed').getByRole('button', { name: 'Try again' }).click(),
  'user.dismissNotice': (world) => click(world.alice, 'Dismiss'),
  'user.openChat': (world) => world.alice.getByRole('button', { name: /^Chat/ }).click(),
  'user.closeChat': (world) => click(world.alice, 'Close chat'),
  'user.sendChat': async (world, event) => {
    await world.alice.getByRole('textbox', { name: 'Message' }).fill(event.text);
    await click(world.alice, 'Send');
  },
  'user.toggleMicrophone': (world) => click(world.alice, 'Microphone'),
  'user.toggleCamera': (world) => click(world.alice, 'Camera'),

  // openvidu-browser, as the session actor reports it.
  'session.connected': byItself,
  'session.connectFailed': byItself, // the token was revoked before the page could use it (see done)
  'session.left': byItself,
  // A second person joins the call (connectionCreated), then publishes (streamCreated, by
  // itself); then leaves it (streamDestroyed, then connectionDestroyed by itself).
  'session.connectionCreated': async (world) => {
    const bob = await world.openBob();
    await fillAndJoin(bob, world.session, 'Bob');
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
  // The fake microphone plays a steady tone: speech detection fires by itself while anyone publishes sound.
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
        return serverControls.evict(world.session, connectionId);
      case 'sessionClosedByServer':
        return serverControls.closeSession(world.session);
      default:
        // The server stays away longer than it keeps a lost participant (10 s).
        await serverControls.refuseWebSockets(14_000);
        world.undoAfter(0, () => serverControls.refuseWebSockets(0));
        return serverControls.dropSocket(connectionId);
    }
  },
  // The server drops the socket; openvidu-browser reconnects by itself. When the path waits out
  // the reconnection window, the server stays away for longer than that window.
  'session.reconnecting': async (world) => {
    const windowRunsOut = [world.upcoming(1), world.upcoming(2)].some(
      (e) => e?.type === 'xstate.after.reconnectWindow.call.session.inCall.reconnecting',
    );
    if (windowRunsOut) {
      await serverControls.refuseWebSockets(60_000);
      world.undoAfter(2, () => serverControls.refuseWebSockets(0));
    }
    await serverControls.dropSocket(await ownConnection(world));
  },
  'session.reconnected': byItself,
  // The server tells the page speech-to-text went away: openvidu-browser raises an exception.
  // While the server is away (reconnecting), Alice's own media connection reports it by itself.
  'session.exception': async (world, event) => {
    if (world.path.events[world.step - 1]?.type === 'session.reconnecting') return;
    await serverControls.notify(await ownConnection(world), 'speechToTextDisconnected', { message: event.message });
  },

  'publisher.published': byItself,
  'publisher.failed': byItself, // the browser refuses the camera (see setPermissionsFor)
  // The server unpublishes Alice's camera (REST forceUnpublish).
  'publisher.streamDestroyed': async (world) => {
    const streamId = (await world.lastSnapshot())?.context.ownStreamId;
    if (!streamId) throw new Error('Alice publishes nothing');
    await serverControls.forceUnpublish(world.session, streamId);
  },

  // The token request, answered by the real server.
  'xstate.done.actor.fetchToken': async (world, _event, next) => {
    const route = await world.nextTokenRequest();
    if (next?.type === 'session.connectFailed') {
      // Someone revokes the token (deletes the pending connection) before the page uses it.
      const response = await route.fetch();
      const { id } = (await response.json()) as { id: string };
      await serverControls.revokeToken(world.session, id);
      await route.fulfill({ response });
      return;
    }
    if (next?.type === 'xstate.after.stepTimeout.call.session.connecting') {
      // The server refuses the WebSocket: openvidu-browser's connect keeps retrying, never settles.
      await serverControls.refuseWebSockets(60_000);
      world.undoAfter(1, () => serverControls.refuseWebSockets(0));
    }
    if (next?.type === 'user.leave') {
      // The server is slow to answer joinRoom: the person leaves while the page is connecting.
      await serverControls.delayAnswers('joinRoom', 60_000);
      world.undoAfter(1, () => serverControls.delayAnswers('joinRoom', 0));
    }
    if (next?.type === 'session.connected' && world.upcoming(2)?.type === 'user.leave') {
      // The server is slow to answer publishVideo: the person leaves while the page is publishing.
      await serverControls.delayAnswers('publishVideo', 60_000);
      world.undoAfter(2, () => serverControls.delayAnswers('publishVideo', 0));
    }
    await route.continue();
  },
  'xstate.error.actor.fetchToken': async (world) => {
    // The page's request reaches the server with a secret it does not know: 401.
    const route = await world.nextTokenRequest();
    await route.continue({ headers: { ...route.request().headers(), authorization: WRONG_AUTH } });
  },
  // The token request is never answered (held in the browser's network layer).
  'xstate.after.stepTimeout.call.fetchingToken': async (world) => {
    world.hold(await world.nextTokenRequest());
  },
  'xstate.after.stepTimeout.call.session.connecting': byItself,
  'xstate.after.reconnectWindow.call.session.inCall.reconnecting': byItself,
};


// ---------------------------------------------------------------------------------------------
// States: what the page shows in each

interface PageStateCheck {
  /** Whether the page shows this state in `view`, given the model's snapshot. */
  shows?: (view: PageView, model: CallSnapshot) => boolean;
  /** Why the page never paints this state; it is then checked through the inspector only. */
  notPainted?: string;
}

const nickname = 'Alice';
function expectedMain(model: CallSnapshot): string {
  const { mainStreamId, ownStreamId, remoteStreams } = model.context;
  if (mainStreamId) return 'Bob';
  if (ownStreamId) return nickname;
  return remoteStreams.length ? 'Bob' : '';
}

export const PAGE_STATES = {
  idle: {
    shows: (v, m) => v.screen === 'form' && (v.formError !== '') === (m.context.formError !== null),
  },
  fetchingToken: { shows: (v) => v.screen === 'joining' && v.step === 'Getting a token…' },
  session: { shows: (v) => v.screen === 'joining' || v.screen === 'call' },
  'session.connecting': { shows: (v) => v.screen === 'joining' && v.step === 'Connecting…' },
  'session.publishing': { shows: (v) => v.screen === 'joining' && v.step === 'Starting your camera…' },
  'session.publishFailed': {
    shows: (v, m) => v.screen === 'call' && v.publishFailed === m.context.error?.kind && v.leave === 'Leave',
  },
  'session.inCall': {
    shows: (v, m) =>
      v.screen === 'call' &&
      v.publishFailed === '' &&
      v.leave === 'Leave' &&
      v.ownTile === (m.context.ownStreamId !== null) &&
      v.remoteTiles === m.context.remoteStreams.length &&
      (v.notice !== '') === (m.context.notice !== null) &&
      v.main === expectedMain(m) &&
      v.mutedMarks === m.context.remoteStreams.filter((s) => !s.audioActive).length &&
      v.nameCards === m.context.remoteStreams.filter((s) => !s.videoActive).length,
  },
  'session.inCall.live': { shows: (v) => v.screen === 'call' && !v.reconnecting },
  'session.inCall.reconnecting': { shows: (v) => v.screen === 'call' && v.reconnecting },
  'session.leaving': { notPainted: NOT_PAINTED_ON_PAGE['session.leaving'] },
  failed: {
    shows: (v, m) => v.screen === 'failed' && v.errorTitle === 'Could not join' && v.errorKind === m.context.error?.kind,
  },
  ended: {
    shows: (v, m) => v.screen === 'ended' && v.errorTitle === 'The call ended' && v.errorKind === m.context.error?.kind,
  },
} satisfies Record<StatePath, PageStateCheck>;

/** What the page shows in each state of the devices actor: the buttons' aria-pressed. */
const DEVICE_PAGE_STATES: Record<DeviceStatePath, (view: PageView) => boolean> = {
  'devices.microphone': (v) => v.microphone !== '',
  'devices.microphone.on': (v) => v.microphone === 'true',
  'devices.microphone.off': (v) => v.microphone === 'false',
  'devices.camera': (v) => v.camera !== '',
  'devices.camera.on': (v) => v.camera === 'true',
  'devices.camera.off': (v) => v.camera === 'false',
};

/**
 * What must hold once an event was taken, beyond what the page shows: after a leave, at whatever
 * step it came, the server holds no participant for Alice and her page no open peer connection.
 */
const SERVER_CHECKS: Partial<Record<ModelEventType, (world: World) => Promise<void>>> = {
  'session.left': async (world) => {
    await expect
      .poll(async () => (await connectionsBy(world.session)).has('Alice'), {
        message: 'the server still holds Alice after she left',
        timeout: 15_000,
      })
      .toBe(false);
    await expect.poll(() => openPeerConnections(world.alice), { message: 'peer connections open after leaving' }).toBe(0);
  },
};

/** Events that follow the previous step by themselves: the state before them may show only briefly. */
const ARRIVES_BY_ITSELF = new Set<ModelEventType>([
  'session.connected',
  'session.connectFailed',
  'session.left',
  'session.streamCreated',
  'session.connectionDestroyed',
  'session.speakingChanged',
  'session.reconnected',
  'publisher.published',
  'publisher.failed',
  'xstate.after.stepTimeout.call.fetchingToken',
  'xstate.after.stepTimeout.call.session.connecting',
  'xstate.after.reconnectWindow.call.session.inCall.reconnecting',
]);

const EVENT_WAIT_MS = 35_000;

/** What the page's actor is in, reduced to what the model decides (ids and names differ). */
function pageProjection(s: CallSnapshot) {
  const projected = projectSnapshot(s);
  return {
    ...projected,
    people: projected.people.length,
    streams: projected.streams.length,
    main: projected.main === null ? null : 'remote',
  };
}

export interface PageRunResult {
  states: Set<string>;
  transitions: Set<string>;
  steps: number;
}

/**
 * Runs one model path on the page. Throws, naming the path and the step, when the page's actor
 * does not receive the event, takes a transition the model does not, or the page does not show
 * the state the model is in.
 */
export async function runPagePath(
  browsers: Browsers,
  path: ModelPath,
  step: <T>(title: string, body: () => Promise<T>) => Promise<T>,
): Promise<PageRunResult> {
  const world = new World(browsers, path);
  const result: PageRunResult = { states: new Set(), transitions: new Set(), steps: 0 };
  let consumed = 0;
  let causeStart = 0;
  try {
    await world.open();
    for (const [i, event] of path.events.entries()) {
      const model = path.snapshots[i] as CallSnapshot;
      const next = path.events[i + 1];
      const where = `step ${i + 1} of ${path.description}`;
      await step(`${i + 1}. ${describe([event])} → ${statePathsOf(model).at(-1)}`, async () => {
        const stepStarted = performance.now();
        world.step = i;
        // A chain of events that arrive by themselves all follow the last cause: what they show
        // is looked for from there.
        if (!ARRIVES_BY_ITSELF.has(event.type)) causeStart = (await views(world.alice)).length;
        await world.setPermissionsFor(i);
        const cause = CAUSES[event.type] as Cause<ModelEventType>;
        await cause(world, event as never, next);
        const caused = performance.now();

        // The page's own call actor must receive the event, with nothing else taking a transition first.
        let found = -1;
        await expect
          .poll(
            async () => {
              const { events } = await world.actorState();
              found = events.findIndex((e, k) => k >= consumed && e.type === event.type);
              return found >= 0;
            },
            { message: `${where}: the page's call actor never received ${event.type}`, timeout: EVENT_WAIT_MS, intervals: [100, 250, 500] },
          )
          .toBe(true);
        const state = await world.actorState();
        const arrived = performance.now();
        // Events the path did not cause may arrive (a remote stream's ICE warning, routed to its
        // tile): they are real and count, but must leave the call as the model has it.
        for (let k = consumed; k < found; k++) {
          const extra = state.perEvent[k];
          const before = k === 0 ? undefined : state.perEvent[k - 1]?.snapshot;
          if (extra && extra.taken.length > 0) {
            if (!before || JSON.stringify(pageProjection(before)) !== JSON.stringify(pageProjection(extra.snapshot))) {
              throw new Error(
                `${where}: before ${event.type}, the page's actor took ${extra.taken.join(', ')} on ${JSON.stringify(extra.event)}`,
              );
            }
            for (const key of extra.taken) result.transitions.add(key);
            for (const key of extra.devicesTaken) result.transitions.add(key);
          }
        }
        const live = state.perEvent[found]!;
        consumed = found + 1;
        expect(live.taken, `${where}: transitions taken on the page`).toEqual(path.taken[i]);
        expect(pageProjection(live.snapshot), `${where}: the page's machine`).toEqual(pageProjection(model));
        for (const key of live.taken) result.transitions.add(key);

        // What the page shows: now, or (when the next event follows by itself) at some moment since the cause.
        const brief = next !== undefined && ARRIVES_BY_ITSELF.has(next.type);
        for (const statePath of statePathsOf(model)) {
          const check: PageStateCheck = PAGE_STATES[statePath];
          if (check.shows) {
            const shows = check.shows;
            await expect
              .poll(
                async () => {
                  const all = await views(world.alice);
                  const candidates = brief ? all.slice(Math.max(0, causeStart - 1)) : all.slice(-1);
                  return candidates.some((v) => shows(v, model)) ? 'shown' : JSON.stringify(all.slice(-3));
                },
                { message: `${where}: the page does not show ${statePath}`, timeout: 15_000 },
              )
              .toBe('shown');
          }
          result.states.add(statePath);
        }
        // The devices actor, as the page's own actor had it after this event.
        for (const key of live.devicesTaken) result.transitions.add(key);
        for (const devicePath of live.devices as DeviceStatePath[]) {
          const shows = DEVICE_PAGE_STATES[devicePath];
          await expect
            .poll(async () => shows((await views(world.alice)).at(-1) as PageView), {
              message: `${where}: the page does not show ${devicePath}`,
              timeout: 15_000,
            })
            .toBe(true);
          result.states.add(devicePath);
        }
        await world.runDueUndos();
        await SERVER_CHECKS[event.type]?.(world);
        result.steps++;
        if (process.env.MODEL_DEBUG) {
          const ms = (t: number) => Math.round(t - stepStarted);
          console.log(`${ms(performance.now())} ms (caused ${ms(caused)}, arrived ${ms(arrived)})  ${i + 1}. ${event.type}`);
        }
      });
    }
  } finally {
    await world.close();
  }
  return result;
}
