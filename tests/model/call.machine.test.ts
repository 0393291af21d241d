// The model's paths against the machine: every generated path runs on a live call actor whose
// token and OpenVidu actors are the controllable fakes of the unit tests. Each event is caused
// the way it happens for real (a person's event is sent; the session actor's events come from
// the session actor; a token, a connect, a publish or a goodbye resolves or rejects; a timer runs
// out), and after each step the live snapshot must match the model's.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { callMachine } from '../../machines/call.machine.ts';
import { devicesActorOf } from '../../machines/call.selectors.ts';
import { streamActorId, type DeviceKind, type DeviceSwitch } from '../../machines/call.types.ts';
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
import {
  allScreenShareTransitions,
  SCREEN_SHARE_STATE_PATHS,
  screenShareStateIds,
  screenShareStatePathsOf,
  type ScreenShareStatePath,
} from './screen-share.model.ts';

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
  'user.shareScreen': (call, e) => call.actor.send(e),
  'user.stopScreenShare': (call, e) => call.actor.send(e),
  'user.dismissScreenShareError': (call, e) => call.actor.send(e),
  'user.selectDevice': (call, e) => call.actor.send(e),
  'device.switched': (call, e) => call.lastSession().emit(e),
  'device.lost': (call, e) => call.lastSession().emit(e),
  'session.streamPropertyChanged': (call, e) => call.lastSession().emit(e),
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
  'publisher.streamDestroyed': (call, e) => call.lastSession().emit(e),
  'xstate.done.actor.fetchToken': async (call, e) => {
    call.lastTokenRequest().resolve(e.output);
    await vi.advanceTimersByTimeAsync(0);
  },
  'xstate.error.actor.fetchToken': async (call, e) => {
    call.lastTokenRequest().reject({ ...e.error } as never);
    await vi.advanceTimersByTimeAsync(0);
  },
  'xstate.done.actor.connect': (call, e) => call.connected(e.output),
  'xstate.error.actor.connect': (call, e) => call.connectFails({ ...e.error }),
  'xstate.done.actor.publish': (call, e) => call.published(e.output),
  'xstate.error.actor.publish': (call, e) => call.publishFails({ ...e.error }),
  'xstate.done.actor.leave': (call) => call.left(),
  'xstate.after.stepTimeout.call.fetchingToken': () => vi.advanceTimersByTimeAsync(delays.stepTimeout),
  'xstate.after.stepTimeout.call.session.connecting': () => vi.advanceTimersByTimeAsync(delays.stepTimeout),
  'xstate.after.reconnectWindow.call.session.inCall.reconnecting': () => vi.advanceTimersByTimeAsync(delays.reconnectWindow),
} satisfies {
  [T in ModelEventType]: (call: FakeCall, event: Extract<ModelEvent, { type: T }>) => unknown;
};

const liveSessions = (call: FakeCall) => call.sessions.filter((s) => !s.stopped);
const liveSubscribers = (call: FakeCall) => call.subscribers.filter((s) => !s.stopped);
/** A step's actor runs from its start until it settles or its state is left (its signal fires). */
const settledSteps = new WeakSet<object>();
const running = <T extends { signal: AbortSignal }>(runs: T[]) => runs.filter((r) => !r.signal.aborted && !settledSteps.has(r));
const runningSteps = (call: FakeCall) => [...running(call.connects), ...running(call.publishes), ...running(call.leaves)].map((r) => r.input);

/** The form's on/off choice of one device: the preview was told it, and the call will start with it. */
const preJoinChoice =
  (kind: DeviceKind, state: DeviceSwitch) =>
  (call: FakeCall, s: ReturnType<FakeCall['actor']['getSnapshot']>) => {
    expect(call.livePreview()?.[kind]).toBe(state);
    expect(s.context.atJoin[kind]).toBe(state);
  };

/** What must hold of the live system in each state, beyond matching the model. Exhaustive. */
const STATE_CHECKS = {
  idle: (call) => {
    expect(liveSessions(call)).toHaveLength(0);
    expect(runningSteps(call)).toEqual([]);
    expect(call.tokenRequests.every((r) => r.signal.aborted || settled.has(r))).toBe(true);
  },
  // The form's on/off choice: the preview runs and was told it; the call will start with it.
  'idle.camera': (call) => expect(call.livePreview()).toBeDefined(),
  'idle.camera.on': preJoinChoice('camera', 'on'),
  'idle.camera.off': preJoinChoice('camera', 'off'),
  'idle.microphone': (call) => expect(call.livePreview()).toBeDefined(),
  'idle.microphone.on': preJoinChoice('microphone', 'on'),
  'idle.microphone.off': preJoinChoice('microphone', 'off'),
  fetchingToken: (call) => {
    expect(call.lastTokenRequest().signal.aborted).toBe(false);
    expect(liveSessions(call)).toHaveLength(0);
  },
  session: (call, s) => {
    // Exactly one OpenVidu session actor; the token that entered this state went to the connect step.
    expect(liveSessions(call)).toHaveLength(1);
    expect(call.lastConnect().input.token).toBe(MODEL_TOKEN);
    // One stream actor and one subscription per remote stream, no more.
    const ids = s.context.remoteStreams.map((r) => r.streamId);
    for (const id of ids) expect(s.children[streamActorId(id)]).toBeDefined();
    expect(liveSubscribers(call).map((x) => x.streamId).sort()).toEqual([...ids].sort());
  },
  // Each step's actor runs exactly while its state lasts.
  'session.connecting': (call, s) => {
    expect(s.context.connectionId).toBeNull();
    expect(running(call.connects)).toHaveLength(1);
  },
  'session.publishing': (call, s) => {
    expect(running(call.publishes).map((p) => p.input)).toEqual([{ media: s.context.media, atJoin: s.context.atJoin }]);
    expect(running(call.connects)).toHaveLength(0);
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
  'session.leaving': (call) => {
    expect(running(call.leaves)).toHaveLength(1);
    expect(running(call.connects)).toHaveLength(0);
    expect(running(call.publishes)).toHaveLength(0);
  },
  failed: (call, s) => {
    expect(s.context.error).not.toBeNull();
    expect(liveSessions(call)).toHaveLength(0);
    expect(runningSteps(call)).toEqual([]);
  },
  ended: (call, s) => {
    expect(s.context.error).not.toBeNull();
    expect(liveSessions(call)).toHaveLength(0);
    expect(runningSteps(call)).toEqual([]);
    expect(liveSubscribers(call)).toHaveLength(0);
    expect(s.context.remoteStreams).toEqual([]);
    expect(s.context.participants).toEqual([]);
  },
} satisfies Record<StatePath, (call: FakeCall, live: CallSnapshot) => void>;

/** The last command of a kind the devices actor sent the session actor. */
const lastCommand = (call: FakeCall, type: 'publishAudio' | 'publishVideo') =>
  call.lastSession().commands.filter((c) => c.type === type).at(-1);
/** The last switch the devices actor asked for, of one kind. */
const lastSwitch = (call: FakeCall, kind: 'camera' | 'microphone') =>
  call.lastSession().commands.filter((c) => c.type === 'switchDevice' && c.kind === kind).at(-1);
/** The devices actor's notice, as the control bar shows it. */
const deviceNotice = (call: FakeCall) => devicesActorOf(call.actor.getSnapshot())?.getSnapshot().context.notice ?? null;

/** What must hold in each state of the devices actor. Exhaustive. */
const DEVICE_CHECKS = {
  'devices.microphone': (call) => expect(liveSessions(call)).toHaveLength(1),
  // On: never asked (published with audio), or last asked to publish it.
  'devices.microphone.on': (call) => expect(lastCommand(call, 'publishAudio') ?? { enabled: true }).toMatchObject({ enabled: true }),
  // Off: muted in the call, or published muted (chosen off on the form) and not unmuted since.
  'devices.microphone.off': (call) =>
    expect(lastCommand(call, 'publishAudio') ?? { type: 'publishAudio', enabled: call.lastPublish().input.atJoin.microphone === 'on' }).toEqual({
      type: 'publishAudio',
      enabled: false,
    }),
  'devices.camera': (call) => expect(liveSessions(call)).toHaveLength(1),
  'devices.camera.on': (call) => expect(lastCommand(call, 'publishVideo') ?? { enabled: true }).toMatchObject({ enabled: true }),
  'devices.camera.off': (call) =>
    expect(lastCommand(call, 'publishVideo') ?? { type: 'publishVideo', enabled: call.lastPublish().input.atJoin.camera === 'on' }).toEqual({
      type: 'publishVideo',
      enabled: false,
    }),
  // Switching: the session actor was asked to open another device of that kind.
  'devices.microphone.switching': (call) => expect(lastSwitch(call, 'microphone')).toMatchObject({ type: 'switchDevice', kind: 'microphone' }),
  'devices.camera.switching': (call) => expect(lastSwitch(call, 'camera')).toMatchObject({ type: 'switchDevice', kind: 'camera' }),
  // Unavailable: a notice says which device went away (the last one lost, when both did).
  'devices.microphone.unavailable': (call) => expect(deviceNotice(call)?.text).toMatch(/^Your (microphone|camera)\b.*Pick another/),
  'devices.camera.unavailable': (call) => expect(deviceNotice(call)?.text).toMatch(/^Your (microphone|camera)\b.*Pick another/),
} satisfies Record<DeviceStatePath, (call: FakeCall) => void>;

const liveScreens = (call: FakeCall) => call.screens.filter((s) => !s.stopped);
const screenShareOf = (call: FakeCall) =>
  (call.actor.getSnapshot().children as Record<string, { getSnapshot(): { context: { error: string | null; streamId: string | null } } } | undefined>).screenShare;

/** What must hold in each state of the screen-share actor. Exhaustive. */
const SCREEN_SHARE_CHECKS = {
  'screenShare.idle': (call) => {
    expect(liveScreens(call)).toHaveLength(0);
    expect(screenShareOf(call)?.getSnapshot().context.error).toBeNull();
  },
  'screenShare.active': (call) => expect(liveScreens(call)).toHaveLength(1),
  'screenShare.active.picking': (call) => expect(call.lastScreen().commands).toEqual([]),
  'screenShare.active.fetchingToken': (call) => expect(call.lastScreenTokenRequest().signal.aborted).toBe(false),
  'screenShare.active.connecting': (call) => expect(call.lastScreen().commands.at(-1)?.type).toBe('connect'),
  'screenShare.active.publishing': (call) => expect(call.lastScreen().commands.at(-1)).toEqual({ type: 'publish' }),
  'screenShare.active.sharing': (call) => expect(screenShareOf(call)?.getSnapshot().context.streamId).not.toBeNull(),
  'screenShare.active.stopping': (call) => expect(call.lastScreen().commands.at(-1)).toEqual({ type: 'stop' }),
  'screenShare.failed': (call) => {
    expect(liveScreens(call)).toHaveLength(0);
    expect(screenShareOf(call)?.getSnapshot().context.error).toMatch(/\w/);
  },
} satisfies Record<ScreenShareStatePath, (call: FakeCall) => void>;

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
      if (event.type === 'xstate.done.actor.connect' || event.type === 'xstate.error.actor.connect') settledSteps.add(call.lastConnect());
      if (event.type === 'xstate.done.actor.publish' || event.type === 'xstate.error.actor.publish') settledSteps.add(call.lastPublish());
      if (event.type === 'xstate.done.actor.leave') settledSteps.add(call.lastLeave());
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

  it('has a check for exactly the states the screen-share machine has', () => {
    expect([...SCREEN_SHARE_STATE_PATHS].sort()).toEqual(screenShareStateIds().sort());
    expect(Object.keys(SCREEN_SHARE_CHECKS).sort()).toEqual(screenShareStateIds().sort());
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
      f('xstate.done.actor.connect'),
      f('xstate.done.actor.publish'),
      f('user.toggleMicrophone'),
      f('user.toggleCamera'),
      f('user.toggleMicrophone'),
      f('user.toggleCamera'),
      f('user.leave'),
      f('xstate.done.actor.leave'),
    ]);
    await runPath(toggles);
  });

  // Switching and losing devices, each region through every one of its transitions.
  it('switches, loses and recovers the camera and the microphone', async () => {
    const camera = { select: f('user.selectDevice', 0), switched: f('device.switched', 0), lost: f('device.lost', 0), toggle: f('user.toggleCamera') };
    const microphone = { select: f('user.selectDevice', 1), switched: f('device.switched', 1), lost: f('device.lost', 1), toggle: f('user.toggleMicrophone') };
    const devicePath = walkModel([
      f('user.join'),
      f('xstate.done.actor.fetchToken'),
      f('xstate.done.actor.connect'),
      f('xstate.done.actor.publish'),
      ...[camera, microphone].flatMap((d) => [
        d.select, d.switched, // on → switching → on
        d.lost, // on → unavailable (unplugged)
        d.select, d.lost, // unavailable → switching → unavailable (the picked one fails)
        d.toggle, d.switched, // unavailable → switching (the default one) → on
      ]),
      // A muted microphone unplugged.
      microphone.toggle,
      microphone.lost,
      f('user.leave'),
      f('xstate.done.actor.leave'),
    ]);
    await runPath(devicePath);
    const reachable = new Set(covered.transitions);
    expect(allDeviceTransitions().filter((t) => !reachable.has(t))).toEqual([]);
  });

  // The call graph sees Share / Stop / Dismiss as self-loops; what the screen-share actor does
  // with them depends on its own actors (the picker, the token, the connection), scripted here
  // the way the page run scripts the browser and the server.
  it('shares a screen every way: shared and stopped, ended by the browser, cancelled, refused, token refused, stopped while starting', async () => {
    const call = startFakeCall();
    const recorder = transitionRecorder();
    const subscription = call.actor.system.inspect(recorder.observer);
    const checkScreen = (where: string) => {
      for (const state of screenShareStatePathsOf(call.actor.getSnapshot() as never)) {
        try {
          SCREEN_SHARE_CHECKS[state](call);
        } catch (error) {
          throw new Error(`${where}: check of ${state} failed: ${(error as Error).message}`);
        }
        covered.states.add(state);
      }
    };
    const step = async (where: string, act: () => unknown) => {
      await act();
      await vi.advanceTimersByTimeAsync(0);
      checkScreen(where);
    };
    const screen = () => call.lastScreen();
    const share = (where: string) => step(`${where}: share`, () => call.actor.send(f('user.shareScreen')));
    try {
      call.actor.send(f('user.join'));
      call.lastTokenRequest().resolve(MODEL_TOKEN);
      await vi.advanceTimersByTimeAsync(0);
      await call.connected('con_Alice');
      await call.published('str_CAM_Alice_con_Alice');
      checkScreen('joined');

      await share('1');
      await step('1: picked', () => screen().emit({ type: 'screen.picked' }));
      await step('1: token', () => call.lastScreenTokenRequest().resolve('ws://localhost?token=tok_S'));
      await step('1: connected', () => screen().emit({ type: 'screen.connected', connectionId: 'con_S' }));
      await step('1: published', () => screen().emit({ type: 'screen.published', streamId: 'str_S' }));
      await step('1: stop', () => call.actor.send(f('user.stopScreenShare')));
      await step('1: stopped', () => screen().emit({ type: 'screen.stopped' }));

      await share('2');
      await step('2: picked', () => screen().emit({ type: 'screen.picked' }));
      await step('2: token', () => call.lastScreenTokenRequest().resolve('ws://localhost?token=tok_S'));
      await step('2: connected', () => screen().emit({ type: 'screen.connected', connectionId: 'con_S' }));
      await step('2: published', () => screen().emit({ type: 'screen.published', streamId: 'str_S' }));
      await step('2: ended', () => screen().emit({ type: 'screen.ended' }));
      await step('2: stopped', () => screen().emit({ type: 'screen.stopped' }));

      await share('3');
      await step('3: cancelled', () => screen().emit({ type: 'screen.pickCancelled' }));

      await share('4');
      await step('4: refused', () => screen().emit({ type: 'screen.failed', message: 'Refused by the system.' }));
      await share('5 (from failed)');
      await step('5: picked', () => screen().emit({ type: 'screen.picked' }));
      await step('5: token refused', () => call.lastScreenTokenRequest().reject({ kind: 'secretRefused', message: 'No.' }));
      await step('5: dismissed', () => call.actor.send(f('user.dismissScreenShareError')));

      await share('6');
      await step('6: picked', () => screen().emit({ type: 'screen.picked' }));
      await step('6: stopped while fetching the token', () => call.actor.send(f('user.stopScreenShare')));
    } finally {
      subscription.unsubscribe();
      call.actor.stop();
    }
    for (const key of recorder.taken) covered.transitions.add(key);
    for (const key of recorder.screenTaken) covered.transitions.add(key);
    const reachable = new Set(covered.transitions);
    expect(allScreenShareTransitions().filter((t) => !reachable.has(t))).toEqual([]);
  });

  // A group holds up to a thousand paths: on a machine shared by several runs it can outlast the
  // default 20 s that suits one test (a timeout is no measurement: nothing asserts how long it took).
  for (const [key, group] of [...byLast].sort(([a], [b]) => a.localeCompare(b))) {
    it(`ends with ${key} (${group.length} paths)`, { timeout: 180_000 }, async () => {
      for (const path of group) await runPath(path);
    });
  }
});
