// The one state the page reaches but never paints, and why. The page paths check it through the
// inspector stream (the page's own actor was in it) instead of on screen. Every state and every
// transition is caused on the page; `npm run test:model` fails on any gap.

export const NOT_PAINTED_ON_PAGE: Record<string, string> = {
  'session.leaving':
    'openvidu-browser confirms a leave synchronously (sessionDisconnected inside disconnect()), so the machine is back in idle before the page renders "Leaving…"',
};
