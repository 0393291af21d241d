// The one place that lists what the page paths cannot cover, and why. Everything here is covered
// by the machine paths; `npm run test:model` fails on any other gap.
/**
 * The transitions the page cannot be made to take, each with the reason. `npm run test:model`
 * accepts these as uncovered on the page (they are covered on the machine) and nothing else.
 */
export const UNCOVERABLE_ON_PAGE: Record<string, string> = {
  'call.session.leaving user.leave#0':
    'a second leave while leaving: the Leave button is disabled in that state and Cancel is not shown (pagehide would send it, but then the page is gone)',
  'call.session.leaving session.disconnected#0':
    'the session actor answers every sessionDisconnected after a leave with session.left (the disconnect was asked for), so the page never sends session.disconnected while leaving',
  'call.session.leaving xstate.after.leaveTimeout.call.session.leaving#0':
    'openvidu-browser emits sessionDisconnected synchronously inside disconnect(), so the real library always confirms a leave at once; the 3 s fallback cannot run out',
};

/**
 * States the page reaches but never paints, each with the reason: the page paths check them
 * through the inspector stream (the page's own actor was in them) instead of on screen.
 */
export const NOT_PAINTED_ON_PAGE: Record<string, string> = {
  'session.leaving':
    'openvidu-browser confirms a leave synchronously (sessionDisconnected inside disconnect()), so the machine is back in idle before the page renders "Leaving…"',
};
