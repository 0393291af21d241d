// The model's paths against the machine: every generated path runs on a live call actor whose
// token and OpenVidu actors are the controllable fakes of the unit tests. Each event is caused
// the way it happens for real (a person's event is sent; the session actor's events come from
// the session actor; a token resolves or rejects; a timer runs out), and after each step the
// live snapshot must match the model's.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { callMachine } from '../../machines/call.machine.ts';
import { streamActorId } from '../../machines/call.types.ts';
import { startFakeCall } from '../unit/machines/fakes.ts';
import {
  acceptedEventTypes,
  allTransitions,
  EVENT_FIXTURES,
  machinePaths,
  MODEL_TOKEN,
  serializeState,
  STATE_PATHS,
  statePathsOf,
  transitionRecorder,
  type CallSnapshot,
  type ModelEvent,
  type ModelEventType,
  type ModelPath,
  type StatePath,
} from './call.model.ts';
import { writeCoverage } from './coverage.ts';
import { allDeviceTransitions, DEVICE_STATE_PATHS, deviceStateIds, deviceStatePathsOf, type DeviceStatePath } from './devices.model.ts';
import { fixture as f, walkModel } from './call.model.ts';

type FakeCall = ReturnType<typeof startFakeCall>;

const delays = callMachine.implementations.delays as Record<'stepTimeout' | 'reconnectWindow', number>;

/** How each event is caused on the live actor. Exhaustive: a new event needs its cause here. */
const CAUSES = {
  'user.join': (call, e) => call.actor.send(e),
  'user.leave': (call, e) => call.actor.send(e),
  'user.retry': (call, e) => call.actor.send(e),
  'user.dismiss': (call, e) => call.actor.send(e),
  'user.selectMain': (call, e) => call.actor.send(e),
  'user.setLayout': (call, e) => call.actor.send(e),
  'user.continueWithoutDevice': (call, e) => call.actor.send(e),
  'user.retryPublish': (call, e) => call.actor.send(e),
  'user.dismissNotice': (call, e) => call.actor.send(e),
  'user.openChat': (call, e) => call.actor.send(e),
  'user.closeChat': (call, e) => call.actor.send(e),
  'user.sendChat': (call, e) => call.actor.send(e),
  'user.toggleMicrophone': (call, e) => call.actor.send(e),
  'user.toggleCamera': (call, e) => call.actor.send(e),
  'session.streamPropertyChanged': (call, e) => call.lastSession().emit(e),
  'session.connected': (call, e) => call.lastSession().emit(e),
  'session.connectFailed': (call, e) => call.lastSession().emit(e),
  'session.left': (call, e) => call.lastSession().emit(e),
  'session.connectionCreated': (call, e) => call.lastSession().emit(e),
  'session.connectionDestroyed': (call, e) => call.lastSession().emit(e),
  'session.streamCreated': (call, e) => call.lastSession().emit(e),
  'session.streamDestroyed': (call, e) => call.lastSession().emit(e),
  'session.disconnected': (call, e) => call.lastSession().emit(e),
  'session.chatReceived': (call, e) => call.lastSession().emit(e),
  'session.speakingChanged': (call, e) => call.lastSession().emit(e),
  'session.reconnecting': (call, e) => call.lastSession().emit(e),
  'session.reconnected': (call, e) => call.lastSession().emit(e),
  'session.exception': (call, e) => call.lastSession().emit(e),
  'publisher.published': (call, e) => call.lastSession().emit(e),
  'publisher.failed': (call, e) => call.lastSession().emit(e),
  'publisher.streamDestroyed': (call, e) => call.lastSession().emit(e),
  'xstate.done.actor.fetchToken': async (call, e) => {
    call.lastTokenRequest().resolve(e.output);
    await vi.advanceTimersByTimeAsync(0);
  },
  'xstate.error.actor.fetchToken': async (call, e) => {
    call.lastTokenRequest().reject({ ...e.error } as never);
    await vi.advanceTimersByTimeAsync(0);
  },
  'xstate.after.stepTimeout.call.fetchingToken': () => vi.advanceTimersByTimeAsync(delays.stepTimeout),
  'xstate.after.stepTimeout.call.session.connecting': () => vi.advanceTimersByTimeAsync(delays.stepTimeout),
  'xstate.after.reconnectWindow.call.session.inCall.reconnecting': () => vi.advanceTimersByTimeAsync(delays.reconnectWindow),
} satisfies {
  [T in ModelEventType]: (call: FakeCall, event: Extract<ModelEvent, { type: T }>) => unknown;
};

const liveSessions = (call: FakeCall) => call.sessions.filter((s) => !s.stopped);
const liveSubscribers = (call: FakeCall) => call.subscribers.filter((s) => !s.stopped);

/** What must hold of the live system in each state, beyond matching the model. Exhaustive. */
const STATE_CHECKS = {
  idle: (call) => {
    expect(liveSessions(call)).toHaveLength(0);
    expect(call.tokenRequests.every((r) => r.signal.aborted || settled.has(r))).toBe(true);
  },
  fetchingToken: (call) => {
    expect(call.lastTokenRequest().signal.aborted).toBe(false);
    expect(liveSessions(call)).toHaveLength(0);
  },
  session: (call, s) => {
    // Exactly one OpenVidu session actor, given the token that entered this state.
    expect(liveSessions(call)).toHaveLength(1);
    expect(call.lastSession().input.token).toBe(MODEL_TOKEN);
    // One stream actor and one subscription per remote stream, no more.
    const ids = s.context.remoteStreams.map((r) => r.streamId);
    for (const id of ids) expect(s.children[streamActorId(id)]).toBeDefined();
    expect(liveSubscribers(call).map((x) => x.streamId).sort()).toEqual([...ids].sort());
  },
  'session.connecting': (_call, s) => expect(s.context.connectionId).toBeNull(),
  'session.publishing': (call, s) => {
    expect(call.lastSession().commands.at(-1)).toEqual({ type: 'publish', media: s.context.media });
    expect(s.context.error).toBeNull();
  },
  'session.publishFailed': (_call, s) => expect(s.context.error?.kind).toBe('deviceAccessDenied'),
  'session.inCall': (_call, s) => {
    expect(s.context.connectionId).not.toBeNull();
    expect(s.context.error).toBeNull();
  },
  // Issue 15: these asserted nothing. Live: no reconnecting timer pending that could end the call;
  // reconnecting: the session actor is still there, waiting for the library.
  'session.inCall.live': (_call, s) => expect(s.matches({ session: { inCall: 'reconnecting' } })).toBe(false),
  'session.inCall.reconnecting': (call, s) => {
    expect(s.matches({ session: { inCall: 'live' } })).toBe(false);
    expect(liveSessions(call)).toHaveLength(1);
  },
  'session.leaving': (call) => expect(call.lastSession().commands.at(-1)).toEqual({ type: 'leave' }),
  failed: (call, s) => {
    expect(s.context.error).not.toBeNull();
    expect(liveSessions(call)).toHaveLength(0);
  },
  ended: (call, s) => {
    expect(s.context.error).not.toBeNull();
    expect(liveSessions(call)).toHaveLength(0);
    expect(liveSubscribers(call)).toHaveLength(0);
    expect(s.context.remoteStreams).toEqual([]);
    expect(s.context.participants).toEqual([]);
  },
} satisfies Record<StatePath, (call: FakeCall, live: CallSnapshot) => void>;

/** The last command of a kind the devices actor sent the session actor. */
const lastCommand = (call: FakeCall, type: 'publishAudio' | 'publishVideo') =>
  call.lastSession().commands.filter((c) => c.type === type).at(-1);

/** What must hold in each state of the devices actor. Exhaustive. */
const DEVICE_CHECKS = {
  'devices.microphone': (call) => expect(liveSessions(call)).toHaveLength(1),
  // On: never asked (published with audio), or last asked to publish it.
  'devices.microphone.on': (call) => expect(lastCommand(call, 'publishAudio') ?? { enabled: true }).toMatchObject({ enabled: true }),
  'devices.microphone.off': (call) => expect(lastCommand(call, 'publishAudio')).toEqual({ type: 'publishAudio', enabled: false }),
  'devices.camera': (call) => expect(liveSessions(call)).toHaveLength(1),
  'devices.camera.on': (call) => expect(lastCommand(call, 'publishVideo') ?? { enabled: true }).toMatchObject({ enabled: true }),
  'devices.camera.off': (call) => expect(lastCommand(call, 'publishVideo')).toEqual({ type: 'publishVideo', enabled: false }),
} satisfies Record<DeviceStatePath, (call: FakeCall) => void>;

/** Token requests the path answered (resolved or rejected), so idle may keep them. */
const settled = new WeakSet<object>();

const covered = { states: new Set<string>(), transitions: new Set<string>(), paths: 0, steps: 0, ms: 0 };

async function runPath(path: ModelPath): Promise<void> {
  const call = startFakeCall();
  const recorder = transitionRecorder();
  const subscription = call.actor.system.inspect(recorder.observer);
  try {
    for (const [i, event] of path.events.entries()) {
      const before = recorder.taken.length;
      const devicesBefore = recorder.devicesTaken.length;
      if (event.type === 'xstate.done.actor.fetchToken' || event.type === 'xstate.error.actor.fetchToken') {
        settled.add(call.lastTokenRequest());
      }
      const cause = CAUSES[event.type] as (call: FakeCall, event: ModelEvent) => unknown;
      await cause(call, event);
      const live = call.actor.getSnapshot();
      const model = path.snapshots[i] as CallSnapshot;
      const where = `step ${i + 1} (${event.type}) of ${path.description}`;
      expect(live.status, where).toBe('active');
      expect(serializeState(live), where).toBe(serializeState(model));
      expect(recorder.taken.slice(before), where).toEqual(path.taken[i]);
      for (const state of statePathsOf(live)) {
        try {
          STATE_CHECKS[state](call, live);
        } catch (error) {
          throw new Error(`${where}: check of ${state} failed: ${(error as Error).message}`);
        }
        covered.states.add(state);
      }
      for (const key of recorder.taken.slice(before)) covered.transitions.add(key);
      for (const key of recorder.devicesTaken.slice(devicesBefore)) covered.transitions.add(key);
      for (const state of deviceStatePathsOf(live as never)) {
        try {
          DEVICE_CHECKS[state](call);
        } catch (error) {
          throw new Error(`${where}: check of ${state} failed: ${(error as Error).message}`);
        }
        covered.states.add(state);
      }
      covered.steps++;
    }
    covered.paths++;
  } finally {
    subscription.unsubscribe();
    call.actor.stop();
  }
}

describe('the model itself', () => {
  it('has fixtures for exactly the events the machine accepts', () => {
    expect(Object.keys(EVENT_FIXTURES).sort()).toEqual(acceptedEventTypes());
  });

  it('has a check for exactly the states the machine has', () => {
    const ids: string[] = [];
    const walk = (node: typeof callMachine.root) => {
      if (node !== callMachine.root) ids.push(node.path.join('.'));
      for (const child of Object.values(node.states)) walk(child);
    };
    walk(callMachine.root);
    expect([...STATE_PATHS].sort()).toEqual(ids.sort());
    expect(Object.keys(STATE_CHECKS).sort()).toEqual(ids.sort());
  });

  it('has a check for exactly the states the devices machine has', () => {
    expect([...DEVICE_STATE_PATHS].sort()).toEqual(deviceStateIds().sort());
    expect(Object.keys(DEVICE_CHECKS).sort()).toEqual(deviceStateIds().sort());
  });
});

describe('the model\'s paths on the live machine with fake OpenVidu actors', () => {
  const { paths, states, edges } = machinePaths();
  const started = performance.now();

  beforeAll(() => {
    vi.useFakeTimers();
  });

  afterAll(() => {
    vi.useRealTimers();
    covered.ms = Math.round(performance.now() - started);
    writeCoverage({
      runner: 'machine',
      states: [...covered.states].sort(),
      transitions: [...covered.transitions].sort(),
      paths: covered.paths,
      steps: covered.steps,
      ms: covered.ms,
    });
  });

  it(`walks a finite projected graph (${states} states, ${edges} edges, ${paths.length} paths)`, () => {
    expect(paths.length).toBeGreaterThan(0);
    const reachable = new Set(paths.flatMap((p) => p.taken.flat()));
    expect(allTransitions().filter((t) => !reachable.has(t))).toEqual([]);
  });

  // One test per transition: the paths whose last step takes it.
  const byLast = new Map<string, ModelPath[]>();
  for (const path of paths) {
    const key = path.taken.at(-1)?.join(' + ') ?? '';
    byLast.set(key, [...(byLast.get(key) ?? []), path]);
  }
  // The call graph sees a toggle as a self-loop, so each of its paths toggles once: this one
  // turns each device off and on again, to take the devices actor's way back.
  it('toggles the microphone and the camera off and on again', async () => {
    const toggles = walkModel([
      f('user.join'),
      f('xstate.done.actor.fetchToken'),
      f('session.connected'),
      f('publisher.published'),
      f('user.toggleMicrophone'),
      f('user.toggleCamera'),
      f('user.toggleMicrophone'),
      f('user.toggleCamera'),
      f('user.leave'),
      f('session.left'),
    ]);
    await runPath(toggles);
    const reachable = new Set(covered.transitions);
    expect(allDeviceTransitions().filter((t) => !reachable.has(t))).toEqual([]);
  });

  for (const [key, group] of [...byLast].sort(([a], [b]) => a.localeCompare(b))) {
    it(`ends with ${key} (${group.length} paths)`, async () => {
      for (const path of group) await runPath(path);
    });
  }
});
