// The local server the e2e specs use: the one client in tests/support/local-server.ts, bound to
// the server playwright.config.ts starts. Kept as named functions so specs import them directly.
import { testServer } from '../support/local-server.ts';

export type { ConnectionJson, ServerState } from '../support/local-server.ts';
export const {
  connectionsBy,
  connectionOf,
  evict,
  closeSession,
  forceUnpublish,
  dropSocket,
  refuseWebSockets,
  participantsIn,
} = testServer;
export const serverState = testServer.state;
/** The server refuses that participant's next subscription (its next remote stream fails for them only). */
export const failNextSubscription = (connectionId: string): Promise<void> => testServer.failSubscriptions(connectionId, 1);
