// What the page asks of a call snapshot before the call screens load (which screen a person sees,
// and the form's camera and microphone toggles), so it lives apart from the other selectors
// (call.selectors.ts), which load with those screens.
import type { SnapshotFrom } from 'xstate';
import type { CallMachine } from './call.machine.ts';
import type { DevicesAtJoin } from './call.types.ts';

export type CallScreen = 'form' | 'joining' | 'call' | 'failed' | 'ended';

export function screenOf(snapshot: SnapshotFrom<CallMachine>): CallScreen {
  if (snapshot.matches('fetchingToken')) return 'joining';
  if (snapshot.matches({ session: 'connecting' }) || snapshot.matches({ session: 'publishing' })) return 'joining';
  if (snapshot.matches('session')) return 'call';
  if (snapshot.matches('failed')) return 'failed';
  if (snapshot.matches('ended')) return 'ended';
  return 'form';
}

/** The camera and microphone on or off on the join form: the `idle` regions' states (on outside the form). */
export function devicesAtJoinOf(snapshot: SnapshotFrom<CallMachine>): DevicesAtJoin {
  return {
    camera: snapshot.matches({ idle: { camera: 'off' } }) ? 'off' : 'on',
    microphone: snapshot.matches({ idle: { microphone: 'off' } }) ? 'off' : 'on',
  };
}
