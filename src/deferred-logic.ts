// Actor logic whose code is loaded later: an object the machine can be given at start-up that
// forwards every call to the real logic, which must be there by the time an actor is created from
// it. main.ts uses it for the OpenVidu actors, whose module loads on the first Join (with the
// token) instead of with the form; every way into the states that invoke them passes through
// fetchingToken, which waits for that module.
import type { AnyActorLogic } from 'xstate';

export function deferredLogic<T extends AnyActorLogic>(real: () => T | undefined): T {
  const logic = (): T => {
    const loaded = real();
    if (!loaded) throw new Error('Actor logic used before its code was loaded');
    return loaded;
  };
  const deferred: AnyActorLogic = {
    get config() {
      return real()?.config;
    },
    transition: (snapshot, event, scope) => logic().transition(snapshot, event, scope),
    getInitialSnapshot: (scope, input) => logic().getInitialSnapshot(scope, input),
    restoreSnapshot: (snapshot, scope) => {
      const loaded = logic();
      return loaded.restoreSnapshot ? loaded.restoreSnapshot(snapshot, scope) : snapshot;
    },
    start: (snapshot, scope) => logic().start?.(snapshot, scope),
    getPersistedSnapshot: (snapshot, options) => logic().getPersistedSnapshot(snapshot, options),
  };
  return deferred as T;
}
