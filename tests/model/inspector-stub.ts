// The Stately inspector, offline: stately.ai cannot be reached from the tests, so its address is
// routed to a stub page that says it is connected (as the real inspector does) and keeps every
// message the call page sends it. The tests read what the inspector would have shown.
import type { BrowserContext, Page } from '@playwright/test';

/** One message as the inspector receives it (see @statelyai/inspect's StatelyInspectionEvent). */
export interface InspectorMessage {
  type: string;
  sessionId?: string;
  parentId?: string;
  rootId?: string;
  name?: string;
  definition?: string;
  sourceId?: string;
  event?: { type: string; [key: string]: unknown };
  snapshot?: { value?: unknown; context?: Record<string, unknown>; status?: string; [key: string]: unknown };
}

const STUB_PAGE = `<!doctype html><html><head><title>inspector stub</title></head><body>
<script>
  window.__received = [];
  addEventListener('message', (e) => {
    if (e.data && typeof e.data === 'object' && typeof e.data.type === 'string') window.__received.push(e.data);
  });
  if (window.opener) window.opener.postMessage({ type: '@statelyai.connected' }, '*');
</script></body></html>`;

/** Route the inspector's address in this context to the recording stub. */
export async function stubInspector(context: BrowserContext): Promise<void> {
  await context.route('https://stately.ai/**', (route) =>
    route.fulfill({ status: 200, contentType: 'text/html', body: STUB_PAGE }),
  );
}

/** Everything the stub popup received so far. */
export async function received(popup: Page): Promise<InspectorMessage[]> {
  return popup.evaluate(() => (window as unknown as { __received: InspectorMessage[] }).__received.slice());
}

/** The session id of the root call actor, from its registration (which carries the definition). */
export function callActorId(messages: readonly InspectorMessage[]): string | undefined {
  return messages.find((m) => m.type === '@xstate.actor' && m.name === 'call' && !m.parentId)?.sessionId;
}

/** The events the call actor received, in order, as the inspector saw them. */
export function callActorEvents(messages: readonly InspectorMessage[]): { type: string; [key: string]: unknown }[] {
  const id = callActorId(messages);
  if (!id) return [];
  return messages
    .filter((m) => m.type === '@xstate.event' && m.sessionId === id && m.event && !m.event.type.startsWith('xstate.init'))
    .map((m) => m.event as { type: string });
}

/** The call actor's snapshots, in order. */
export function callActorSnapshots(messages: readonly InspectorMessage[]): NonNullable<InspectorMessage['snapshot']>[] {
  const id = callActorId(messages);
  return messages.filter((m) => m.type === '@xstate.snapshot' && m.sessionId === id && m.snapshot).map((m) => m.snapshot!);
}

/**
 * The events each child actor of the call actor named `name` received (one list per actor: a
 * rejoin invokes a new one), as the inspector saw them.
 */
export function childActorEvents(messages: readonly InspectorMessage[], name: string): { type: string; [key: string]: unknown }[][] {
  const parent = callActorId(messages);
  if (!parent) return [];
  const children = messages.filter((m) => m.type === '@xstate.actor' && m.name === name && m.parentId === parent).map((m) => m.sessionId);
  return children.map((id) =>
    messages
      .filter((m) => m.type === '@xstate.event' && m.sessionId === id && m.event && !m.event.type.startsWith('xstate.init'))
      .map((m) => m.event as { type: string }),
  );
}
