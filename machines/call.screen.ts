// Which screen a person sees, from a call snapshot: the one question the page asks before the
// call screens load, so it lives apart from the other selectors (call.selectors.ts), which load
// with those screens.
import type { SnapshotFrom } from 'xstate';
import type { CallMachine } from './call.machine.ts';

export type CallScreen = 'form' | 'joining' | 'call' | 'failed' | 'ended';

export function screenOf(snapshot: SnapshotFrom<CallMachine>): CallScreen {
  if (snapshot.matches('fetchingToken')) return 'joining';
  if (snapshot.matches({ session: 'connecting' }) || snapshot.matches({ session: 'publishing' })) return 'joining';
  if (snapshot.matches('session')) return 'call';
  if (snapshot.matches('failed')) return 'failed';
  if (snapshot.matches('ended')) return 'ended';
  return 'form';
}
