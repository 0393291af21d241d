// The media side as the signalling layer sees it: endpoints named the way openvidu-browser names
// them in onIceCandidate (a participant plus an `endpointName`, which is its own connectionId for
// its publisher leg and the publisher's connectionId for a subscriber leg).
import { RTCDtlsTransport } from 'werift';
import { DEFAULT_LIMITS, type ServerLimits } from '../config.ts';
import type { RemoteCandidate } from './endpoint.ts';
import { mediaKinds } from './sdp.ts';
import type { IcePolicy } from './peer.ts';
import { PublisherEndpoint } from './publisher.ts';
import { SubscriberEndpoint } from './subscriber.ts';

type Endpoint = PublisherEndpoint | SubscriberEndpoint;

/**
 * werift reads almost any text as an SDP with no media, and opens a socket for every media section
 * of one without BUNDLE: refuse both before making a peer. A leg carries at most one audio and one
 * video section (all openvidu-browser sends); anything else is refused too.
 */
function requireMedia(sdp: string, perKind: number): void {
  const kinds = mediaKinds(sdp);
  if (!sdp.startsWith('v=0') || !kinds.some((k) => k === 'audio' || k === 'video')) {
    throw new Error('the SDP has no audio or video section');
  }
  const other = kinds.find((k) => k !== 'audio' && k !== 'video');
  if (other !== undefined) throw new Error(`the SDP has a "${other}" section; only audio and video are accepted`);
  for (const kind of ['audio', 'video']) {
    const count = kinds.filter((k) => k === kind).length;
    if (count > perKind) throw new Error(`the SDP has ${count} ${kind} sections; at most ${perKind} accepted`);
  }
}

const key = (participantId: string, endpointName: string): string => `${participantId}|${endpointName}`;

export type SfuLimits = Pick<ServerLimits, 'mediaSectionsPerKind' | 'iceCandidatesPerEndpoint' | 'pendingEndpointsPerParticipant'>;

export class Sfu {
  private readonly endpoints = new Map<string, Endpoint>();
  /** Candidates for endpoints that do not exist yet, bounded per endpoint and in endpoint names per participant. */
  private readonly early = new Map<string, RemoteCandidate[]>();
  private readonly policy: IcePolicy;

  constructor(
    policy: IcePolicy,
    private readonly limits: SfuLimits = DEFAULT_LIMITS,
  ) {
    this.policy = { ...policy, maxRemoteCandidates: limits.iceCandidatesPerEndpoint };
    // werift makes its one DTLS certificate on the first peer connection (300–450 ms here): make it
    // now, so the first person to publish after start-up does not wait for it.
    RTCDtlsTransport.SetupCertificate().catch(() => undefined);
  }

  /** Publisher leg for `connectionId`. A second call (reconnectStream) replaces the leg and moves
   * the viewers over to it, as Kurento reconnects subscribers to a new publisher endpoint. */
  async publish(connectionId: string, offer: string): Promise<string> {
    requireMedia(offer, this.limits.mediaSectionsPerKind);
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
    requireMedia(offer, this.limits.mediaSectionsPerKind);
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
    requireMedia(answer, this.limits.mediaSectionsPerKind);
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
    let list = this.early.get(id);
    if (!list) {
      // A new name past the bound pushes out this participant's oldest one: a browser's names are
      // few and recent, so an honest client never loses candidates it still needs.
      const prefix = `${participantId}|`;
      const names = [...this.early.keys()].filter((k) => k.startsWith(prefix));
      if (names.length >= this.limits.pendingEndpointsPerParticipant) this.early.delete(names[0] as string);
      list = [];
      this.early.set(id, list);
    }
    if (list.length < this.limits.iceCandidatesPerEndpoint) list.push(candidate);
  }

  /** unsubscribeFromVideo: only ever a subscriber leg, never the caller's own publisher leg. */
  async closeSubscription(subscriberId: string, publisherId: string): Promise<void> {
    if (this.endpoints.get(key(subscriberId, publisherId)) instanceof SubscriberEndpoint) await this.closeEndpoint(subscriberId, publisherId);
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
