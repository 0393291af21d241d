// The model of the screen-share actor (machines/screen-share.machine.ts), the call machine's child
// that shares your screen on a second connection. Like the devices actor it has no generated
// paths: the call model reaches it (the call machine forwards the person's Share / Stop / Dismiss),
// and the live runs, on the machine with fakes and on the page with the real library, record the
// states it was in and the transitions it took. Its own actors (the picker and connection, the
// token) decide which way it goes, so the runs script them: see SCREEN_PLANS.
import { createActor, fromCallback, fromPromise, type AnyActorRef, type AnyEventObject, type SnapshotFrom } from 'xstate';
import { screenShareMachine, type ScreenShareMachine } from '../../machines/screen-share.machine.ts';

type ScreenShareSnapshot = SnapshotFrom<ScreenShareMachine>;

/** Every state of the screen-share actor, prefixed with its machine id; the keys are checked against it. */
export const SCREEN_SHARE_STATES = {
  'screenShare.idle': 'not sharing',
  'screenShare.active': 'a share under way (its OpenVidu actor exists)',
  'screenShare.active.picking': "the browser's picker is open",
  'screenShare.active.fetchingToken': 'asking for the screen connection\'s token',
  'screenShare.active.connecting': 'connecting the second connection',
  'screenShare.active.publishing': 'publishing the screen',
  'screenShare.active.sharing': 'everyone sees the screen',
  'screenShare.active.stopping': 'unpublishing and disconnecting',
  'screenShare.failed': 'the share could not start, or its connection was lost',
} as const;

export type ScreenShareStatePath = keyof typeof SCREEN_SHARE_STATES;
export const SCREEN_SHARE_STATE_PATHS = Object.keys(SCREEN_SHARE_STATES) as ScreenShareStatePath[];

/**
 * How a run makes the screen-share actor go one way or another after the person clicks Share:
 * - `share`: a screen is picked, its token answered, connected, published (ends in sharing);
 * - `shareThenEnd`: as `share`, then the browser ends the track ("Stop sharing": back to idle);
 * - `cancel`: the picker is closed without picking (idle, nothing said);
 * - `refuse`: the system refuses screen capture (failed, says so);
 * - `tokenError`: the screen's token is refused (failed);
 * - `holdToken`: the token request is left unanswered (stays in fetchingToken, to be stopped).
 */
export type ScreenPlan = 'share' | 'shareThenEnd' | 'cancel' | 'refuse' | 'tokenError' | 'holdToken';

/** The screen-share actor's states in a call snapshot (none outside the call). */
export function screenShareStatePathsOf(callSnapshot: { children: Record<string, AnyActorRef | undefined> }): ScreenShareStatePath[] {
  const child = callSnapshot.children.screenShare;
  if (!child) return [];
  return statePathsIn(child.getSnapshot() as ScreenShareSnapshot);
}

export function statePathsIn(snapshot: ScreenShareSnapshot): ScreenShareStatePath[] {
  return SCREEN_SHARE_STATE_PATHS.filter((path) => snapshot.matches(toStateValue(path.slice('screenShare.'.length)) as never));
}

/** Every transition of the screen-share machine, keyed as the call model keys its own. */
export function allScreenShareTransitions(): string[] {
  const keys: string[] = [];
  const walk = (node: typeof screenShareMachine.root) => {
    for (const [eventType, candidates] of node.transitions) candidates.forEach((_, i) => keys.push(`${node.id} ${eventType}#${i}`));
    for (const child of Object.values(node.states)) walk(child);
  };
  walk(screenShareMachine.root);
  return keys;
}

/** Every state node path of the screen-share machine, for the check of SCREEN_SHARE_STATES. */
export function screenShareStateIds(): string[] {
  const ids: string[] = [];
  const walk = (node: typeof screenShareMachine.root) => {
    if (node !== screenShareMachine.root) ids.push(`screenShare.${node.path.join('.')}`);
    for (const child of Object.values(node.states)) walk(child);
  };
  walk(screenShareMachine.root);
  return ids;
}

/** Whether a transition (from the inspection stream) belongs to the screen-share machine. */
export const isScreenShareTransition = (sourceId: string): boolean => sourceId === 'screenShare' || sourceId.startsWith('screenShare.');

/**
 * The events one screen-share actor received (as the inspector saw them), fed to the definition
 * with inert actors: the transitions it took and every state it passed through. The page runs use
 * it; the actor's own events (picked, connected, the token's answer) arrive by themselves there.
 */
export function replayScreenShare(events: readonly AnyEventObject[]): { transitions: string[]; states: Set<ScreenShareStatePath>; last: ScreenShareStatePath[] } {
  const transitions: string[] = [];
  const states = new Set<ScreenShareStatePath>();
  const inert = screenShareMachine.provide({
    actors: {
      fetchScreenToken: fromPromise<string, { sessionName: string }>(() => new Promise<string>(() => undefined)),
      screenConnection: fromCallback(() => undefined),
    },
  });
  const actor = createActor(inert, {
    input: { sessionName: 'model', nickname: 'Alice' },
    inspect: (event) => {
      if (event.type !== '@xstate.microstep') return;
      const taken = (event as unknown as { _transitions: { source: { id: string; transitions: Map<string, readonly unknown[]> }; eventType: string }[] })._transitions;
      for (const t of taken) {
        if (!isScreenShareTransition(t.source.id)) continue;
        const index = t.source.transitions.get(t.eventType)?.indexOf(t) ?? -1;
        transitions.push(`${t.source.id} ${t.eventType}#${index}`);
      }
    },
  });
  actor.subscribe((s) => {
    for (const path of statePathsIn(s)) states.add(path);
  });
  actor.start();
  for (const path of statePathsIn(actor.getSnapshot())) states.add(path);
  for (const event of events) actor.send(event as never);
  const last = statePathsIn(actor.getSnapshot());
  actor.stop();
  return { transitions, states, last };
}

function toStateValue(path: string): unknown {
  const parts = path.split('.');
  let value: unknown = parts.pop();
  while (parts.length) value = { [parts.pop() as string]: value };
  return value;
}

