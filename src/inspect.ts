// The Stately inspector, gated: main.ts imports this file only when `?inspect` (or
// VITE_INSPECT=true) asks for it, so neither it nor @statelyai/inspect is in the main bundle.
// The observer must be passed to createActor: attached later, the inspector would miss the root
// `@xstate.actor` event that carries the machine definition its diagram is drawn from.
//
// Everything sent is plain JSON and carries no secret: the OpenVidu secret and every token are
// masked, wherever they appear (an event's output, an actor's input, a snapshot, an error).
import { createBrowserInspector } from '@statelyai/inspect';
import type { AnyActorRef, InspectionEvent, Observer } from 'xstate';
import { scrub } from './inspect/scrub.ts';

/** The protocol version the inspector expects (that of the @statelyai/inspect we ship). */
const INSPECT_VERSION = '0.7.2';

type Sendable = Parameters<ReturnType<typeof createBrowserInspector>['adapter']['send']>[0];

/**
 * Opens the Stately inspector (a popup at stately.ai/inspect) and returns the observer to pass to
 * `createActor(..., { inspect })`. Events wait in a buffer until the inspector says it is connected.
 */
export function startInspector(secrets: readonly string[]): Observer<InspectionEvent> {
  const inspector = createBrowserInspector({
    // A whole join and call before the popup answers must not be lost.
    maxDeferredEvents: 5000,
    serialize: (event) => scrub(event, secrets),
  });
  // @statelyai/inspect's own observer converts each event in a requestIdleCallback, which a page
  // playing video (or in the background) may not get for many seconds: the inspector would lag
  // behind the page. Converting in a microtask keeps it live and in order (an actor registers
  // inside its constructor, so its first snapshot exists only a moment later); each event is
  // copied and masked then, so what waits in the buffer is already plain, secret-free JSON.
  const queue: InspectionEvent[] = [];
  const flush = () => {
    for (const event of queue.splice(0)) {
      const converted = convert(event);
      if (converted) inspector.adapter.send(scrub(converted, secrets) as unknown as Sendable);
    }
  };
  return {
    next: (event) => {
      if (queue.push(event) === 1) queueMicrotask(flush);
    },
  };
}

function convert(event: InspectionEvent): Record<string, unknown> | undefined {
  const actorRef = event.actorRef as AnyActorRef & { _parent?: AnyActorRef; logic?: { config?: { id?: string } } };
  const base = {
    _version: INSPECT_VERSION,
    createdAt: Date.now().toString(),
    id: null,
    rootId: event.rootId,
    sessionId: actorRef.sessionId,
  };
  switch (event.type) {
    case '@xstate.actor': {
      const config = actorRef.logic?.config;
      const name = actorRef.id === actorRef.sessionId && config?.id ? config.id : actorRef.id;
      return {
        ...base,
        type: event.type,
        name,
        definition: JSON.stringify(config ?? { id: name }, (_key, value: unknown) =>
          typeof value === 'function' ? { type: (value as { name?: string }).name || 'function' } : value,
        ),
        parentId: actorRef._parent?.sessionId,
        snapshot: actorRef.getSnapshot(),
      };
    }
    case '@xstate.event':
      return { ...base, type: event.type, event: event.event, sourceId: event.sourceRef?.sessionId };
    case '@xstate.snapshot':
      return { ...base, type: event.type, event: event.event, snapshot: event.snapshot };
    default:
      return undefined; // microsteps and actions: the inspector does not use them
  }
}
