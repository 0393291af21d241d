// The test model of the call machine, shared by the machine paths (vitest) and the page paths
// (Playwright). The machine itself is the model: xstate/graph walks it with the event fixtures
// below, its invoked actors never start, and their results are edges of their own
// (`xstate.done.actor.fetchToken`, `xstate.error.actor.fetchToken`, `xstate.after.*`).
//
// The steps' own actors (`connect`, `publish`, `leave`) are walked the same way: their done and
// error events are the model's events for how connecting, publishing and leaving end.
//
// Two exhaustive records keep the model honest: every event type the machine accepts has
// fixtures, and every state has a check. A new event or state without one fails to compile
// (and `call.model.test.ts` checks the records against the machine at run time too).
import {
  createActor,
  createEmptyActor,
  fromCallback,
  fromPromise,
  type ActorLogic,
  type AnyEventObject,
  type InspectionEvent,
  type SnapshotFrom,
} from 'xstate';
import { TestModel } from 'xstate/graph';
import { callMachine, type CallMachine } from '../../machines/call.machine.ts';
import type { CallError, CallEvent, RemoteStreamInfo } from '../../machines/call.types.ts';
import { deviceStatePathsOf, isDeviceTransition } from './devices.model.ts';
import { isScreenShareTransition } from './screen-share.model.ts';

export type CallSnapshot = SnapshotFrom<CallMachine>;

// ---------------------------------------------------------------------------------------------
// Events

/** What the machine's own actors and timers send it, beside the events of CallEvent. */
export type ActorEvent =
  | { type: 'xstate.done.actor.fetchToken'; output: string }
  | { type: 'xstate.error.actor.fetchToken'; error: { kind: string; message: string } }
  | { type: 'xstate.done.actor.connect'; output: string }
  | { type: 'xstate.error.actor.connect'; error: CallError }
  | { type: 'xstate.done.actor.publish'; output: string }
  | { type: 'xstate.error.actor.publish'; error: CallError }
  | { type: 'xstate.done.actor.leave'; output: undefined }
  | { type: 'xstate.after.stepTimeout.call.fetchingToken' }
  | { type: 'xstate.after.stepTimeout.call.session.connecting' }
  | { type: 'xstate.after.reconnectWindow.call.session.inCall.reconnecting' };

export type ModelEvent = CallEvent | ActorEvent;
export type ModelEventType = ModelEvent['type'];
type EventOf<T extends ModelEventType> = Extract<ModelEvent, { type: T }>;

/** A fixed token: the model never needs two, and the inspector tests look for this shape. */
export const MODEL_TOKEN = 'ws://localhost:4443?sessionId=SessionA&token=tok_ModelToken';
/** Alice's own stream, as the server names it when she publishes. */
export const ALICE_STREAM = 'str_CAM_Alice_con_Alice';
export const BOB: RemoteStreamInfo = {
  streamId: 'str_CAM_Bob_con_Bob',
  connectionId: 'con_Bob',
  nickname: 'Bob',
  hasAudio: true,
  hasVideo: true,
  audioActive: true,
  videoActive: true,
};

/**
 * Every event the machine accepts, with the payloads that matter to it. A guard or an action
 * that reads a payload (join validity, which device failed, which stream) gets one fixture per
 * outcome. Fixed ids keep the state space finite: the same stream can exist at most once.
 */
export const EVENT_FIXTURES = {
  'user.join': [
    { type: 'user.join', sessionName: 'SessionA', nickname: 'Alice' },
    { type: 'user.join', sessionName: '', nickname: 'Alice' },
  ],
  'user.leave': [{ type: 'user.leave' }],
  'user.retry': [{ type: 'user.retry' }],
  'user.dismiss': [{ type: 'user.dismiss' }],
  // Pin Bob, unpin (a click on the pinned tile), pin your own video.
  'user.selectMain': [
    { type: 'user.selectMain', streamId: BOB.streamId },
    { type: 'user.selectMain', streamId: null },
    { type: 'user.selectMain', streamId: ALICE_STREAM },
  ],
  'user.setLayout': [
    { type: 'user.setLayout', layout: 'grid' },
    { type: 'user.setLayout', layout: 'speaker' },
  ],
  'user.continueWithoutDevice': [{ type: 'user.continueWithoutDevice' }],
  'user.retryPublish': [{ type: 'user.retryPublish' }],
  'user.dismissNotice': [{ type: 'user.dismissNotice' }],
  'user.openChat': [{ type: 'user.openChat' }],
  'user.closeChat': [{ type: 'user.closeChat' }],
  'user.sendChat': [{ type: 'user.sendChat', text: 'Hello from Alice' }],
  'user.toggleMicrophone': [{ type: 'user.toggleMicrophone' }],
  'user.toggleCamera': [{ type: 'user.toggleCamera' }],
  'user.shareScreen': [{ type: 'user.shareScreen' }],
  'user.stopScreenShare': [{ type: 'user.stopScreenShare' }],
  'user.dismissScreenShareError': [{ type: 'user.dismissScreenShareError' }],
  // The second fake camera and microphone (tests/support/second-devices.ts).
  'user.selectDevice': [
    { type: 'user.selectDevice', kind: 'camera', deviceId: 'second-fake-camera' },
    { type: 'user.selectDevice', kind: 'microphone', deviceId: 'second-fake-microphone' },
  ],
  'device.switched': [
    { type: 'device.switched', kind: 'camera', deviceId: 'second-fake-camera', label: 'Second fake camera (blue)' },
    { type: 'device.switched', kind: 'microphone', deviceId: 'second-fake-microphone', label: 'Second fake microphone' },
  ],
  'device.lost': [
    { type: 'device.lost', kind: 'camera', label: 'Second fake camera (blue)', why: 'disconnected' },
    { type: 'device.lost', kind: 'microphone', label: 'Second fake microphone', why: 'disconnected' },
  ],
  'session.connectionCreated': [{ type: 'session.connectionCreated', connection: { connectionId: BOB.connectionId, nickname: 'Bob' } }],
  'session.connectionDestroyed': [{ type: 'session.connectionDestroyed', connectionId: BOB.connectionId }],
  'session.streamCreated': [{ type: 'session.streamCreated', stream: BOB }],
  'session.streamDestroyed': [{ type: 'session.streamDestroyed', streamId: BOB.streamId, reason: 'disconnect' }],
  'session.disconnected': [
    { type: 'session.disconnected', reason: 'networkDisconnect' },
    { type: 'session.disconnected', reason: 'forceDisconnectByServer' },
    { type: 'session.disconnected', reason: 'sessionClosedByServer' },
  ],
  'session.chatReceived': [
    { type: 'session.chatReceived', message: { fromConnectionId: BOB.connectionId, nickname: 'Bob', text: 'Hello from Bob', at: 0 } },
  ],
  'session.speakingChanged': [{ type: 'session.speakingChanged', connectionId: BOB.connectionId, speaking: true }],
  'session.streamPropertyChanged': [
    { type: 'session.streamPropertyChanged', streamId: BOB.streamId, property: 'audioActive', value: false },
    { type: 'session.streamPropertyChanged', streamId: BOB.streamId, property: 'videoActive', value: false },
  ],
  'session.reconnecting': [{ type: 'session.reconnecting' }],
  'session.reconnected': [{ type: 'session.reconnected' }],
  'session.exception': [
    { type: 'session.exception', name: 'SPEECH_TO_TEXT_DISCONNECTED', message: 'Speech to text is not available' },
  ],
  'publisher.streamDestroyed': [{ type: 'publisher.streamDestroyed', reason: 'forceUnpublishByServer' }],
  'xstate.done.actor.fetchToken': [{ type: 'xstate.done.actor.fetchToken', output: MODEL_TOKEN }],
  'xstate.error.actor.fetchToken': [
    {
      type: 'xstate.error.actor.fetchToken',
      error: { kind: 'secretRefused', message: 'The OpenVidu server refused the secret.' },
    },
  ],
  'xstate.done.actor.connect': [{ type: 'xstate.done.actor.connect', output: 'con_Alice' }],
  'xstate.error.actor.connect': [
    {
      type: 'xstate.error.actor.connect',
      error: { kind: 'tokenRefused', message: 'The server refused the token (it may have been used already). Try again.' },
    },
  ],
  'xstate.done.actor.publish': [{ type: 'xstate.done.actor.publish', output: 'str_CAM_Alice_con_Alice' }],
  'xstate.error.actor.publish': [
    {
      type: 'xstate.error.actor.publish',
      error: { kind: 'deviceAccessDenied', device: 'camera', message: 'You did not allow this page to use your camera.' },
    },
    {
      type: 'xstate.error.actor.publish',
      error: {
        kind: 'deviceAccessDenied',
        device: 'camera and microphone',
        message: 'You did not allow this page to use your camera and microphone.',
      },
    },
  ],
  'xstate.done.actor.leave': [{ type: 'xstate.done.actor.leave', output: undefined }],
  'xstate.after.stepTimeout.call.fetchingToken': [{ type: 'xstate.after.stepTimeout.call.fetchingToken' }],
  'xstate.after.stepTimeout.call.session.connecting': [{ type: 'xstate.after.stepTimeout.call.session.connecting' }],
  'xstate.after.reconnectWindow.call.session.inCall.reconnecting': [
    { type: 'xstate.after.reconnectWindow.call.session.inCall.reconnecting' },
  ],
} as const satisfies { [T in ModelEventType]: readonly [EventOf<T>, ...EventOf<T>[]] };

export const MODEL_EVENTS: readonly ModelEvent[] = Object.values(EVENT_FIXTURES).flat() as readonly ModelEvent[];

/** The fixture of a type, by index: a typo in a path is a compile error. */
export function fixture<T extends ModelEventType>(type: T, index = 0): EventOf<T> {
  const list = EVENT_FIXTURES[type] as unknown as readonly EventOf<T>[];
  const event = list[index];
  if (!event) throw new Error(`No fixture ${index} for ${type}`);
  return event;
}

// ---------------------------------------------------------------------------------------------
// States

type StateValueOf<S> = S extends { value: infer V } ? V : never;
type PathsOf<V> = V extends string
  ? V
  : V extends object
    ? { [K in keyof V & string]: K | `${K}.${PathsOf<V[K]>}` }[keyof V & string]
    : never;

/** Every state of the call machine, as a dotted path: `idle`, `session.inCall.live`, … */
export type StatePath = PathsOf<StateValueOf<CallSnapshot>>;

/** Each state with why it exists, in the model's words; the keys are checked against the machine. */
export const STATES = {
  idle: 'the join form',
  'idle.camera': 'your camera, before joining',
  'idle.camera.on': 'camera on: the preview shows it, the call starts with it',
  'idle.camera.off': 'camera off: not open, the call starts without sending video',
  'idle.microphone': 'your microphone, before joining',
  'idle.microphone.on': 'microphone on: the level meter moves, the call starts with it',
  'idle.microphone.off': 'microphone off: the meter shows muted, the call starts muted',
  fetchingToken: 'asking for a token',
  session: 'an OpenVidu Session exists',
  'session.connecting': 'connecting with the token',
  'session.publishing': 'starting camera and microphone',
  'session.publishFailed': 'connected, camera or microphone refused',
  'session.inCall': 'in the call',
  'session.inCall.live': 'in the call, connected',
  'session.inCall.reconnecting': 'in the call, reconnecting',
  'session.leaving': 'saying goodbye to the server',
  failed: 'a join step failed',
  ended: 'the call ended without the person asking',
} as const satisfies Record<StatePath, string>;

export const STATE_PATHS = Object.keys(STATES) as StatePath[];

/** The states a snapshot is in: its leaf and every ancestor. */
export function statePathsOf(snapshot: CallSnapshot): StatePath[] {
  return STATE_PATHS.filter((path) => snapshot.matches(toStateValue(path) as never));
}

/** The leaf state a snapshot is in (`session.inCall.live`). */
export function leafOf(snapshot: CallSnapshot): StatePath {
  const paths = statePathsOf(snapshot);
  const leaf = paths.at(-1);
  if (!leaf) throw new Error(`No state matches ${JSON.stringify(snapshot.value)}`);
  return paths.reduce((a, b) => (b.length > a.length ? b : a), leaf);
}

function toStateValue(path: string): unknown {
  const parts = path.split('.');
  let value: unknown = parts.pop();
  while (parts.length) value = { [parts.pop() as string]: value };
  return value;
}

// ---------------------------------------------------------------------------------------------
// Transitions

/** A transition of the machine definition: `<source state id> <event type>#<candidate index>`. */
export type TransitionKey = string;

export function transitionKey(t: { source: { id: string; transitions: Map<string, readonly unknown[]> }; eventType: string }): TransitionKey {
  const index = t.source.transitions.get(t.eventType)?.indexOf(t) ?? -1;
  return `${t.source.id} ${t.eventType}#${index}`;
}

/** Every transition of the definition, guarded candidates counted apart. */
export function allTransitions(): TransitionKey[] {
  const keys: TransitionKey[] = [];
  const walk = (node: typeof callMachine.root) => {
    for (const [eventType, candidates] of node.transitions) {
      candidates.forEach((_, i) => keys.push(`${node.id} ${eventType}#${i}`));
    }
    for (const child of Object.values(node.states)) walk(child);
  };
  walk(callMachine.root);
  return keys;
}

/** Every event type the definition reacts to, for the fixture check. */
export function acceptedEventTypes(): string[] {
  return [...new Set(allTransitions().map((key) => key.split(' ')[1]?.replace(/#\d+$/, '') ?? ''))].sort();
}

/** Collects the transitions an actor takes, from its inspection stream. */
export function transitionRecorder() {
  const taken: TransitionKey[] = [];
  /** The devices actor's transitions (tests/model/devices.model.ts), kept apart. */
  const devicesTaken: TransitionKey[] = [];
  /** The screen-share actor's transitions (tests/model/screen-share.model.ts), kept apart. */
  const screenTaken: TransitionKey[] = [];
  const observer = (event: InspectionEvent) => {
    if (event.type !== '@xstate.microstep') return;
    const transitions = (event as unknown as { _transitions: Parameters<typeof transitionKey>[0][] })._transitions;
    // Only the call machine's transitions: stream actors have a definition of their own.
    for (const t of transitions) {
      // An eventless (`always`) transition is not one of the definition's transitions to cover:
      // it follows from the state entered (a device chosen off on the form shows off again), and
      // the state it leads to is what the paths compare.
      if (t.eventType === '') continue;
      if (t.source.id === 'call' || t.source.id.startsWith('call.')) taken.push(transitionKey(t));
      else if (isDeviceTransition(t.source.id)) devicesTaken.push(transitionKey(t));
      else if (isScreenShareTransition(t.source.id)) screenTaken.push(transitionKey(t));
    }
  };
  return { taken, devicesTaken, screenTaken, observer };
}

/**
 * Feeds a sequence of events to the machine definition (inert actors, no timers) and returns the
 * transitions it takes and the snapshot after each event. The page paths use it to turn the
 * events the page's own call actor received (as the inspector saw them) into coverage.
 */
export function replay(events: readonly AnyEventObject[]) {
  const recorder = transitionRecorder();
  const inert = callMachine.provide({
    actors: {
      fetchToken: fromPromise<string, { sessionName: string }>(() => new Promise<string>(() => undefined)),
      openviduSession: fromCallback(() => undefined),
      connect: fromPromise(() => new Promise<string>(() => undefined)),
      publish: fromPromise(() => new Promise<string>(() => undefined)),
      leave: fromPromise(() => new Promise<void>(() => undefined)),
    },
    // Timers are events in the replayed stream; the replay must not add its own.
    delays: { stepTimeout: 2_147_483_647, reconnectWindow: 2_147_483_647 },
  });
  const actor = createActor(inert, { input: {}, inspect: (e) => recorder.observer(e) });
  actor.start();
  const perEvent: {
    event: AnyEventObject;
    taken: TransitionKey[];
    snapshot: CallSnapshot;
    devicesTaken: TransitionKey[];
    devices: string[];
  }[] = [];
  for (const event of events) {
    const before = recorder.taken.length;
    const devicesBefore = recorder.devicesTaken.length;
    actor.send(event as never);
    const snapshot = actor.getSnapshot();
    perEvent.push({
      event,
      taken: recorder.taken.slice(before),
      snapshot,
      devicesTaken: recorder.devicesTaken.slice(devicesBefore),
      devices: deviceStatePathsOf(snapshot as never),
    });
  }
  actor.stop();
  return { taken: recorder.taken, perEvent };
}

// ---------------------------------------------------------------------------------------------
// The model and its traversal

/**
 * What of a snapshot can change what happens next, or what a person sees: the state, and the
 * context reduced to what the guards, actions and views read. The chat and who is speaking are
 * left out: no guard reads them, so they would only multiply the graph (their transitions are
 * still covered, and the unit tests check what they do). So are the layout (grid or speaker) and
 * the active speaker: no guard reads them either, and the layout would double every state of the
 * call (the page paths still check the layout the page shows against the model's context). The
 * camera and microphone chosen on the form (context.atJoin) are in the state value while the form
 * is shown; in the call they decide only where the devices actor starts, whose states the live
 * runs record, so projecting them would quadruple every state of the call. Names and messages come only
 * from fixtures, so they add nothing; this projection is what keeps the graph small (and
 * finite even if the context grew a counter), never a cut-off.
 */
export function serializeState(snapshot: CallSnapshot): string {
  return JSON.stringify(projectSnapshot(snapshot));
}

/** What the model decides on in a snapshot: state, choices, flags and stream ids, never names. */
export function projectSnapshot(snapshot: CallSnapshot) {
  const c = snapshot.context;
  return {
    value: snapshot.value,
    media: c.media,
    error: c.error ? { kind: c.error.kind, device: c.error.device ?? null } : null,
    formError: c.formError !== null,
    notice: c.notice !== null,
    connected: c.connectionId !== null,
    publishing: c.ownStreamId !== null,
    people: c.participants.map((p) => p.connectionId),
    streams: c.remoteStreams.map((s) => s.streamId),
    main: c.mainStreamId,
  };
}

export const serializeEvent = (event: AnyEventObject): string => JSON.stringify(event);

/**
 * The fixtures the machine reacts to in a snapshot (its definition has a transition for them
 * there, targetless ones included). Offering only these keeps unhandled `xstate.error.*` events,
 * which would put the model itself in an error status, out of the walk.
 */
export function eventsFor(snapshot: CallSnapshot): ModelEvent[] {
  return MODEL_EVENTS.filter((event) => takenBy(snapshot, event).length > 0);
}

/** The transitions the definition takes for `event` in `snapshot`, guards evaluated. */
export function takenBy(snapshot: CallSnapshot, event: ModelEvent): TransitionKey[] {
  const data = callMachine.getTransitionData(snapshot as never, event as never) ?? [];
  return data.map((t) => transitionKey(t as unknown as Parameters<typeof transitionKey>[0]));
}

export const callModel = new TestModel<CallSnapshot, ModelEvent, unknown>(callMachine as unknown as ActorLogic<CallSnapshot, ModelEvent, unknown>, {
  events: (snapshot) => eventsFor(snapshot),
  serializeState: (snapshot) => serializeState(snapshot),
  serializeEvent,
  // State checks are keyed by dotted state path.
  stateMatcher: (snapshot, key) => snapshot.matches(toStateValue(key) as never),
});

export interface ModelPath {
  events: ModelEvent[];
  /** The model's snapshot after each event. */
  snapshots: CallSnapshot[];
  /** The transitions the definition takes for each event. */
  taken: TransitionKey[][];
  description: string;
}

/**
 * The machine paths: for every edge of the projected state graph that takes a transition, the
 * shortest way to its source state followed by that edge. Paths that are prefixes of others are
 * dropped. Together they take every reachable transition from every reachable projected state.
 */
export function machinePaths(): { paths: ModelPath[]; states: number; edges: number } {
  const adjacency = callModel.getAdjacencyMap();
  // The shortest way to each projected state, as (event, snapshot after it) steps.
  const shortest = new Map<string, { event: ModelEvent; snapshot: CallSnapshot }[]>();
  for (const path of callModel.getShortestPaths({ allowDuplicatePaths: true })) {
    // The first step of a path is xstate.init; the rest are the events that reach it.
    const steps = path.steps.slice(1).map((s) => ({ event: s.event, snapshot: s.state }));
    shortest.set(serializeState(path.state), steps);
  }
  const candidates: { event: ModelEvent; snapshot: CallSnapshot }[][] = [];
  let edges = 0;
  for (const [source, { transitions }] of Object.entries(adjacency)) {
    const prefix = shortest.get(source);
    if (!prefix) throw new Error(`No path reaches ${source}`);
    for (const { event, state } of Object.values(transitions) as { event: ModelEvent; state: CallSnapshot }[]) {
      edges++;
      candidates.push([...prefix, { event, snapshot: state }]);
    }
  }
  const kept = dropPrefixes(candidates.map((steps) => ({ steps, key: steps.map((s) => serializeEvent(s.event)) })));
  const initial = callMachine.getInitialSnapshot(inertScope() as never) as CallSnapshot;
  const paths = kept.map(({ steps }) => {
    const taken = steps.map((step, i) => takenBy(i === 0 ? initial : (steps[i - 1] as { snapshot: CallSnapshot }).snapshot, step.event));
    const events = steps.map((s) => s.event);
    return { events, snapshots: steps.map((s) => s.snapshot), taken, description: describe(events) };
  });
  return { paths, states: Object.keys(adjacency).length, edges };
}

/**
 * A path given as events, walked through the definition (pure: no actor runs). Each event must
 * take a transition where it is sent, or the path is refused.
 */
export function walkModel(events: readonly ModelEvent[]): ModelPath {
  let snapshot = callMachine.getInitialSnapshot(inertScope() as never) as CallSnapshot;
  const snapshots: CallSnapshot[] = [];
  const taken: TransitionKey[][] = [];
  events.forEach((event, i) => {
    const keys = takenBy(snapshot, event);
    if (keys.length === 0) {
      throw new Error(`Event ${i + 1} (${event.type}) takes no transition after ${describe(events.slice(0, i))}`);
    }
    snapshot = callMachine.transition(snapshot as never, event as never, inertScope() as never) as CallSnapshot;
    snapshots.push(snapshot);
    taken.push(keys);
  });
  return { events: [...events], snapshots, taken, description: describe(events) };
}

/** What the pure walk needs of an actor scope: nothing runs, nothing is sent anywhere. */
function inertScope() {
  const self = createEmptyActor();
  return {
    self,
    logger: () => undefined,
    id: '',
    sessionId: 'model',
    defer: () => undefined,
    system: self.system,
    stopChild: () => undefined,
    emit: () => undefined,
    actionExecutor: () => undefined,
  };
}

export function describe(events: readonly ModelEvent[]): string {
  if (events.length === 0) return '(start)';
  return events
    .map((e) => {
      const { type, ...rest } = e as AnyEventObject;
      const detail = Object.values(rest).map((v) => (typeof v === 'object' && v ? (v as { kind?: string; streamId?: string }).kind ?? (v as { streamId?: string }).streamId ?? '…' : String(v)));
      return detail.length ? `${type}(${detail.join(', ')})` : type;
    })
    .join(' → ');
}

/** Paths whose events are a prefix of another path's (or repeat one) add nothing: drop them. */
function dropPrefixes<T extends { key: string[] }>(paths: T[]): T[] {
  const prefixes = new Set<string>();
  for (const { key } of paths) for (let n = 1; n < key.length; n++) prefixes.add(key.slice(0, n).join('\n'));
  const seen = new Set<string>();
  return paths.filter(({ key }) => {
    const whole = key.join('\n');
    if (prefixes.has(whole) || seen.has(whole)) return false;
    seen.add(whole);
    return true;
  });
}
