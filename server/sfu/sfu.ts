// The media side as the signalling layer sees it: endpoints named the way openvidu-browser names
// them in onIceCandidate (a participant plus an `endpointName`, which is its own connectionId for
// its publisher leg and the publisher's connectionId for a subscriber leg).
import { RTCDtlsTransport } from 'werift';
import type { RemoteCandidate } from './endpoint.ts';
import { mediaKinds } from './sdp.ts';
import type { IcePolicy } from './peer.ts';
import { PublisherEndpoint } from './publisher.ts';
import { SubscriberEndpoint } from './subscriber.ts';

type Endpoint = PublisherEndpoint | SubscriberEndpoint;

/** werift reads almost any text as an SDP with no media; refuse that before making a peer. */
function requireMedia(sdp: string): void {
  const kinds = mediaKinds(sdp);
  if (!sdp.startsWith('v=0') || !kinds.some((k) => k === 'audio' || k === 'video')) {
    throw new Error('the SDP has no audio or video section');
  }
}

const key = (participantId: string, endpointName: string): string => `${participantId}|${endpointName}`;

/** Candidates kept for an endpoint that does not exist yet; bounded so a client cannot grow it forever. */
const MAX_EARLY_CANDIDATES = 64;

export class Sfu {
  private readonly endpoints = new Map<string, Endpoint>();
  private readonly early = new Map<string, RemoteCandidate[]>();

  constructor(private readonly policy: IcePolicy) {
    // werift makes its one DTLS certificate on the first peer connection (300–450 ms here): make it
    // now, so the first person to publish after start-up does not wait for it.
    RTCDtlsTransport.SetupCertificate().catch(() => undefined);
  }

  /** Publisher leg for `connectionId`. A second call (reconnectStream) replaces the leg and moves
   * the viewers over to it, as Kurento reconnects subscribers to a new publisher endpoint. */
  async publish(connectionId: string, offer: string): Promise<string> {
    requireMedia(offer);
    const id = key(connectionId, connectionId);
    const previous = this.endpoints.get(id);
    this.endpoints.delete(id);
    const publisher = new PublisherEndpoint(this.policy, offer);
    this.register(id, publisher);
    try {
      const answer = await publisher.answer(offer);
      if (previous instanceof PublisherEndpoint) previous.handOver(publisher);
      return answer;
    } catch (error) {
      await this.closeEndpoint(connectionId, connectionId);
      throw error;
    } finally {
      await previous?.close();
    }
  }

  hasPublisher(connectionId: string): boolean {
    return this.endpoints.get(key(connectionId, connectionId)) instanceof PublisherEndpoint;
  }

  /** Subscriber leg, client-offer flow. */
  async subscribeWithOffer(subscriberId: string, publisherId: string, offer: string): Promise<string> {
    requireMedia(offer);
    const subscriber = await this.newSubscriber(subscriberId, publisherId);
    try {
      return await subscriber.answer(offer);
    } catch (error) {
      await this.closeEndpoint(subscriberId, publisherId);
      throw error;
    }
  }

  /** Subscriber leg, server-offer flow: returns our offer. */
  async prepareSubscription(subscriberId: string, publisherId: string): Promise<string> {
    const subscriber = await this.newSubscriber(subscriberId, publisherId);
    return subscriber.offer();
  }

  async completeSubscription(subscriberId: string, publisherId: string, answer: string): Promise<void> {
    const endpoint = this.endpoints.get(key(subscriberId, publisherId));
    if (!(endpoint instanceof SubscriberEndpoint)) throw new Error('No subscription was prepared for this stream');
    requireMedia(answer);
    await endpoint.acceptAnswer(answer);
  }

  private async newSubscriber(subscriberId: string, publisherId: string): Promise<SubscriberEndpoint> {
    const publisher = this.endpoints.get(key(publisherId, publisherId));
    if (!(publisher instanceof PublisherEndpoint)) throw new Error(`Connection ${publisherId} is not publishing`);
    await this.closeEndpoint(subscriberId, publisherId);
    const subscriber = new SubscriberEndpoint(this.policy, publisher);
    this.register(key(subscriberId, publisherId), subscriber);
    return subscriber;
  }

  private register(id: string, endpoint: Endpoint): void {
    this.endpoints.set(id, endpoint);
    const early = this.early.get(id);
    this.early.delete(id);
    for (const candidate of early ?? []) endpoint.addRemoteCandidate(candidate);
  }

  addIceCandidate(participantId: string, endpointName: string, candidate: RemoteCandidate): void {
    const id = key(participantId, endpointName);
    const endpoint = this.endpoints.get(id);
    if (endpoint) {
      endpoint.addRemoteCandidate(candidate);
      return;
    }
    const list = this.early.get(id) ?? [];
    if (list.length < MAX_EARLY_CANDIDATES) list.push(candidate);
    this.early.set(id, list);
  }

  async closeEndpoint(participantId: string, endpointName: string): Promise<void> {
    const id = key(participantId, endpointName);
    const endpoint = this.endpoints.get(id);
    this.endpoints.delete(id);
    await endpoint?.close();
  }

  /** A publisher going away takes every subscription to it along. */
  async closePublisher(connectionId: string): Promise<void> {
    const closing: Promise<void>[] = [this.closeEndpoint(connectionId, connectionId)];
    for (const id of [...this.endpoints.keys()]) {
      const [participant, endpointName] = id.split('|');
      if (endpointName === connectionId && participant !== connectionId) {
        closing.push(this.closeEndpoint(participant ?? '', connectionId));
      }
    }
    await Promise.all(closing);
  }

  /** Everything a participant owns: its publisher (and the subscriptions to it) and its subscriptions. */
  async closeParticipant(connectionId: string): Promise<void> {
    const closing: Promise<void>[] = [this.closePublisher(connectionId)];
    for (const id of [...this.endpoints.keys()]) {
      const [participant, endpointName] = id.split('|');
      if (participant === connectionId) closing.push(this.closeEndpoint(connectionId, endpointName ?? ''));
    }
    for (const id of [...this.early.keys()]) if (id.startsWith(`${connectionId}|`)) this.early.delete(id);
    await Promise.all(closing);
  }

  /** Per endpoint: its kind, connection state and packet count, for /test/state. */
  endpointStats(): Record<string, unknown>[] {
    return [...this.endpoints.entries()].map(([id, endpoint]) => ({
      id,
      kind: endpoint instanceof PublisherEndpoint ? 'publisher' : 'subscriber',
      connectionState: endpoint.pc.connectionState,
      packets: endpoint instanceof PublisherEndpoint ? endpoint.packetsIn : endpoint.packetsOut,
      ...(endpoint instanceof PublisherEndpoint ? { plisSent: endpoint.plisSent } : {}),
    }));
  }

  get openPeerConnections(): number {
    return this.endpoints.size;
  }

  async close(): Promise<void> {
    await Promise.all([...this.endpoints.values()].map((endpoint) => endpoint.close()));
    this.endpoints.clear();
    this.early.clear();
  }
}
