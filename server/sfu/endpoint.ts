// What publisher and subscriber legs share: a werift peer connection whose remote ICE candidates
// are held back until the remote description is applied (the browser trickles them while we are
// still answering).
import type { RTCPeerConnection } from 'werift';
import { acceptsRemoteCandidate, type IcePolicy } from './peer.ts';

export interface RemoteCandidate {
  candidate: string;
  sdpMid: string | null;
  sdpMLineIndex: number | null;
}

export abstract class PeerEndpoint {
  private pending: RemoteCandidate[] = [];
  /** Candidates taken so far (pending or applied), against the policy's bound. */
  private candidatesTaken = 0;
  private remoteDescriptionApplied = false;
  protected closed = false;

  protected constructor(
    readonly pc: RTCPeerConnection,
    protected readonly policy: IcePolicy,
  ) {}

  addRemoteCandidate(candidate: RemoteCandidate): void {
    if (this.closed || !acceptsRemoteCandidate(this.policy, candidate.candidate)) return;
    if (this.candidatesTaken >= (this.policy.maxRemoteCandidates ?? Infinity)) return;
    this.candidatesTaken++;
    if (!this.remoteDescriptionApplied) {
      this.pending.push(candidate);
      return;
    }
    this.apply(candidate);
  }

  protected async setRemote(type: 'offer' | 'answer', sdp: string): Promise<void> {
    await this.pc.setRemoteDescription({ type, sdp });
    this.remoteDescriptionApplied = true;
    const queued = this.pending;
    this.pending = [];
    for (const candidate of queued) this.apply(candidate);
  }

  private apply(candidate: RemoteCandidate): void {
    this.pc
      .addIceCandidate({
        candidate: candidate.candidate,
        sdpMid: candidate.sdpMid ?? undefined,
        sdpMLineIndex: candidate.sdpMLineIndex ?? undefined,
      })
      .catch(() => {
        // A candidate werift cannot use (tcp, mDNS name) is simply not tried, as in a browser.
      });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.pending = [];
    await this.pc.close().catch(() => undefined);
  }
}
