// Runs a path of the model on the real page: Alice is the page under test, opened with
// `?inspect` (the inspector routed to a recording stub), against the real local server. Each
// model event is caused for real (causes.ts), each state is checked on what the page shows
// (page-states.ts), and the events Alice's own call actor received, as the inspector saw them, are
// replayed through the definition to know which transitions the page really took.
import { expect } from '@playwright/test';
import { describe, statePathsOf, type CallSnapshot, type ModelEventType, type ModelPath, projectSnapshot } from './call.model.ts';
import { CAUSES, type Cause } from './causes.ts';
import type { DeviceStatePath } from './devices.model.ts';
import { DEVICE_PAGE_STATES, PAGE_STATES, SCREEN_SHARE_PAGE_STATES, SERVER_CHECKS, type PageStateCheck } from './page-states.ts';
import { childActorEvents, received } from './inspector-stub.ts';
import { replayScreenShare, type ScreenPlan, type ScreenShareStatePath } from './screen-share.model.ts';
import { views, type PageView } from './page-views.ts';
import { World, type Browsers } from './world.ts';

export type { Browsers } from './world.ts';

/** Events that follow the previous step by themselves: the state before them may show only briefly. */
const ARRIVES_BY_ITSELF = new Set<ModelEventType>([
  'session.streamCreated',
  'session.connectionDestroyed',
  'session.speakingChanged',
  'session.reconnected',
  'xstate.done.actor.connect',
  'xstate.error.actor.connect',
  'xstate.done.actor.publish',
  'xstate.error.actor.publish',
  'xstate.done.actor.leave',
  'device.switched',
  // After a pick, the picked device failing is its answer (see causes.ts).
  'device.lost',
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
    main: projected.main === null ? null : projected.main === s.context.ownStreamId ? 'self' : 'remote',
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
  screenPlans: readonly ScreenPlan[] = [],
): Promise<PageRunResult> {
  const world = new World(browsers, path);
  world.screenPlans = [...screenPlans];
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
        world.screenSettles = null; // set by a screen share's cause
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
          // A switch is answered by itself (device.switched or device.lost): it may show only briefly.
          await expect
            .poll(
              async () => {
                const all = await views(world.alice);
                const candidates = brief ? all.slice(Math.max(0, causeStart - 1)) : all.slice(-1);
                return candidates.some((v) => shows(v as PageView));
              },
              { message: `${where}: the page does not show ${devicePath}`, timeout: 15_000 },
            )
            .toBe(true);
          result.states.add(devicePath);
        }
        // The screen-share actor: where it comes to rest after this step, shown on the page; every
        // state it passed and transition it took, from the events it received (inspector).
        // (Set by the cause: not the null it was reset to above.)
        const settles = world.screenSettles as ScreenShareStatePath | null;
        if (settles) {
          await expect
            .poll(
              async () => {
                const replays = childActorEvents(await received(world.popup), 'screenShare').map((events) => replayScreenShare(events));
                const last = replays.at(-1)?.last ?? [];
                const shows = SCREEN_SHARE_PAGE_STATES[settles];
                const view = (await views(world.alice)).at(-1) as PageView;
                if (!last.includes(settles) || (shows && !shows(view))) {
                  return `${last.join(', ')} / ${JSON.stringify({ screenShare: view.screenShare, sharing: view.sharing, screenError: view.screenError })}`;
                }
                for (const replay of replays) {
                  for (const key of replay.transitions) result.transitions.add(key);
                  for (const state of replay.states) result.states.add(state);
                }
                return 'settled';
              },
              { message: `${where}: the screen share does not come to rest in ${settles}`, timeout: 30_000, intervals: [100, 250, 500] },
            )
            .toBe('settled');
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
