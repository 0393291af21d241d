// The Stately inspector, gated: main.ts imports this file only when `?inspect` (or
// VITE_INSPECT=true) asks for it, so neither it nor @statelyai/inspect is in the main bundle.
// The observer must be passed to createActor: attached later, the inspector would miss the root
// `@xstate.actor` event that carries the machine definition its diagram is drawn from.
//
// Everything sent is plain JSON and carries no secret: the OpenVidu secret and every token are
// masked, wherever they appear (an event's output, an actor's input, a snapshot, an error).
import { createBrowserInspector } from '@statelyai/inspect';
import type { InspectionEvent, Observer } from 'xstate';
import { scrub } from './inspect/scrub.ts';

/**
 * Opens the Stately inspector (a popup at stately.ai/inspect) and returns the observer to pass to
 * `createActor(..., { inspect })`. Events wait in a buffer until the inspector says it is connected.
 */
export function startInspector(secrets: readonly string[]): Observer<InspectionEvent> {
  const inspector = createBrowserInspector({
    // A whole join and call before the popup answers must not be lost.
    maxDeferredEvents: 5000,
    serialize: (event) => scrub(event, secrets),
    sanitizeContext: (context) => scrub(context, secrets),
    sanitizeEvent: (event) => scrub(event, secrets),
  });
  return inspector.inspect;
}
