// The tab follows the room: while a call is under way the address carries `?session=<name>` (so
// it can be shared or reloaded into the same session) and the title names the session. Other
// query parameters stay as they are. Reads the machine's state; sends it nothing.
import type { Actor } from 'xstate';
import type { CallMachine } from '../machines/call.machine.ts';

export const PAGE_TITLE = 'OpenVidu call';

/** The title for a snapshot: the session's name while joining or in the call. */
export function titleFor(sessionName: string | null): string {
  return sessionName ? `${sessionName} · ${PAGE_TITLE}` : PAGE_TITLE;
}

export function followRoom(actor: Actor<CallMachine>): void {
  let shown: string | null | undefined;
  actor.subscribe((snapshot) => {
    const inCall = snapshot.matches('fetchingToken') || snapshot.matches('session');
    const room = inCall ? snapshot.context.sessionName : null;
    if (room === shown) return;
    shown = room;
    document.title = titleFor(room);
    if (!room) return; // after the call the address keeps the last room: a reload offers it again
    const url = new URL(location.href);
    if (url.searchParams.get('session') === room) return;
    url.searchParams.set('session', room);
    history.replaceState(history.state, '', url);
  });
}
