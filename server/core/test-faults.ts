// Test-only fault injection in the core, created only with --test-controls and reached only
// through the test controls (server/http/test-controls.ts): without them the core has none.
import { RpcCodes, RpcError } from '../rpc/errors.ts';

/** Subscriptions refused on purpose, per subscriber: as a media server that cannot set up that endpoint. */
export class SubscriptionFaults {
  private readonly left = new Map<string, number>();

  /** Refuse the next `count` subscriptions of `connectionId` (0 lifts it). */
  set(connectionId: string, count: number): void {
    if (count > 0) this.left.set(connectionId, count);
    else this.left.delete(connectionId);
  }

  forget(connectionId: string): void {
    this.left.delete(connectionId);
  }

  /** Throws the SDP error a failed endpoint gives, when a refusal is due for this subscriber. */
  refuseIfDue(connectionId: string, sender: string, log: (line: string) => void): void {
    const left = this.left.get(connectionId);
    if (left === undefined) return;
    this.set(connectionId, left - 1);
    log(`participant ${connectionId} refused a subscription to ${sender} (test control)`);
    throw new RpcError(RpcCodes.SDP_ERROR, `SDP error: could not set up the subscription to ${sender}`);
  }
}
