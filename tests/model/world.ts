// The world one model path runs in: Alice's page (opened with `?inspect`, the inspector routed to a
// recording stub), Bob's when the path brings him in, the local server holding every token
// request for its session until the path says how it is answered, and undo steps for what causes set up.
import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { callPageUrl, countPeerConnections } from '../e2e/call-page.ts';
import { testServer, type TokenAnswer } from '../support/local-server.ts';
import { secondDevices } from '../support/second-devices.ts';
import { replay, type CallSnapshot, type ModelEvent, type ModelPath } from './call.model.ts';
import { callActorEvents, received, stubInspector } from './inspector-stub.ts';
import { recordViews } from './page-views.ts';
import { controllableScreenPicker } from '../support/screen-picker.ts';
import type { ScreenPlan, ScreenShareStatePath } from './screen-share.model.ts';

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
  /** What causes set up on the server, each undone after the step it is due at. */
  private undos: { due: number; undo: () => Promise<void> }[] = [];
  /** The index of the step being run. */
  step = 0;
  /** How each Share screen of the path goes, in order (see ScreenPlan). */
  screenPlans: ScreenPlan[] = [];
  /** Where the screen-share actor settles after the step being run (null: the path has not shared). */
  screenSettles: ScreenShareStatePath | null = null;
  permissions = '';

  constructor(
    readonly browsers: Browsers,
    readonly path: ModelPath,
  ) {}

  async open(): Promise<void> {
    const refusing = this.path.events.some((e) => e.type === 'xstate.error.actor.publish');
    this.aliceContext = await (refusing ? this.browsers.refusing : this.browsers.normal).newContext();
    await stubInspector(this.aliceContext);
    await this.aliceContext.addInitScript(recordViews);
    await this.aliceContext.addInitScript(countPeerConnections);
    await this.aliceContext.addInitScript(controllableScreenPicker);
    await this.aliceContext.addInitScript(secondDevices);
    // Every token request waits at the server until the path says how the server answers it
    // (server/http/token-holds.ts): the page's request really reaches the server, which holds it.
    await testServer.holdTokenRequests(this.session, true);
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

  /** Waits until the page's next token request is held at the server (bounded). */
  async nextTokenRequest(): Promise<void> {
    await expect
      .poll(() => testServer.heldTokenRequests(this.session), { message: 'the page never asked the server for a token', timeout: 15_000 })
      .toBeGreaterThan(0);
  }

  /** Answers the page's held token request as the path needs. */
  answerTokenRequest(answer: TokenAnswer): Promise<void> {
    return testServer.releaseTokenRequest(this.session, answer);
  }

  /** Drops token requests the page gave up on (it left, or timed out). */
  async releaseHeldTokens(): Promise<void> {
    while ((await testServer.heldTokenRequests(this.session)) > 0) await testServer.releaseTokenRequest(this.session, 'dropped').catch(() => undefined);
  }

  /**
   * Camera and microphone permissions for what the path expects of the next publish: refused
   * camera, refused both, or granted.
   */
  async setPermissionsFor(index: number): Promise<void> {
    // A leave before any publish outcome (leaving while publishing) wants the camera granted.
    const next = this.path.events
      .slice(index)
      .find((e) => e.type === 'xstate.error.actor.publish' || e.type === 'xstate.done.actor.publish' || e.type === 'user.leave');
    const wanted =
      next?.type === 'xstate.error.actor.publish'
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
    await testServer.holdTokenRequests(this.session, false);
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

