// The OpenVidu CE semantics: sessions, tokens, participants, streams, and the notifications each
// change sends, in the order the real server sends them. REST routes and JSON-RPC handlers both
// call in here; media goes to the SFU.
import { DEFAULT_LIMITS, type ServerLimits, type SubscribeFlow } from '../config.ts';
import { newConnectionId, newRpcSessionId, newSessionId, newStreamId, newTokenId } from '../ids.ts';
import type { Logger } from '../log.ts';
import { RpcCodes, RpcError } from '../rpc/errors.ts';
import type { Sfu } from '../sfu/sfu.ts';
import {
  participantsOf,
  type ClientChannel,
  type Connection,
  type ConnectionProperties,
  type Participant,
  type Session,
  type SessionProperties,
  type StreamInfo,
} from './model.ts';
import { displayName, joinedParams, joinRoomResult, publishedParams, senderConnectionId } from './rpc-json.ts';
import type { SubscriptionFaults } from './test-faults.ts';

export interface CoreOptions {
  sfu: Sfu;
  logger: Logger;
  /** ws(s)://host:port that tokens point at. */
  tokenBaseUrl: () => string;
  reconnectionWindowMs: number;
  subscribeFlow: SubscribeFlow;
  /** Default: DEFAULT_LIMITS. */
  limits?: ServerLimits;
  /** Sessions nobody has joined are dropped after this long (real server: 3600 s, checked every 900 s). */
  unusedSessionTtlMs?: number;
  /** Only with --test-controls: subscriptions the test controls have the core refuse. */
  subscriptionFaults?: SubscriptionFaults;
}

/** What publishVideo carries: the stream's media options (ids come from the server) and the offer. */
export type PublishParams = Omit<StreamInfo, 'id' | 'createdAt'> & { sdpOffer: string };

/** How long an evicted browser gets to close its own socket before we do (closing first looks like a network drop to it). */
const EVICTED_SOCKET_GRACE_MS = 10_000;

export class OpenViduCore {
  readonly sessions = new Map<string, Session>();
  private readonly tokens = new Map<string, Connection>();
  private readonly byRpcSession = new Map<string, Connection>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  private readonly garbageTimer: NodeJS.Timeout;
  private readonly limits: ServerLimits;

  constructor(private readonly options: CoreOptions) {
    this.limits = options.limits ?? DEFAULT_LIMITS;
    const ttl = options.unusedSessionTtlMs ?? 3_600_000;
    this.garbageTimer = setInterval(() => this.collectUnusedSessions(ttl), Math.min(ttl, 900_000));
    this.garbageTimer.unref();
  }

  /** Like the real server's garbage collector: a session created by REST that nobody ever used. */
  collectUnusedSessions(ttlMs: number): void {
    const now = Date.now();
    for (const session of [...this.sessions.values()]) {
      if (participantsOf(session).length === 0 && now - session.createdAt >= ttlMs) this.dropSession(session, 'unused');
    }
  }

  private log(line: string): void {
    this.options.logger(line);
  }

  /** One notification to every participant of `session` with a live socket, but `except`. */
  private broadcast(session: Session, method: string, params: Record<string, unknown>, except?: Connection): void {
    for (const c of participantsOf(session)) if (c !== except) c.participant?.channel?.notify(method, params);
  }

  // ---- sessions and connections (REST) ----

  /** Returns undefined when the custom id is taken (REST answers 409). */
  createSession(props: SessionProperties): Session | undefined {
    const id = props.customSessionId || newSessionId();
    if (this.sessions.has(id)) return undefined;
    const session: Session = { id, createdAt: Date.now(), props, connections: new Map() };
    this.sessions.set(id, session);
    this.log(`session ${id} created`);
    return session;
  }

  createConnection(session: Session, props: ConnectionProperties): Connection {
    const id = newConnectionId();
    const token = `${this.options.tokenBaseUrl()}?sessionId=${encodeURIComponent(session.id)}&token=${newTokenId()}`;
    const connection: Connection = { id, sessionId: session.id, token, createdAt: Date.now(), props, participant: null };
    session.connections.set(id, connection);
    this.tokens.set(token, connection);
    return connection;
  }

  isActive(session: Session): boolean {
    return participantsOf(session).length > 0;
  }

  /** REST DELETE of a session: every participant is evicted, then the session is gone. */
  closeSession(session: Session): void {
    for (const connection of participantsOf(session)) this.removeParticipant(connection, 'sessionClosedByServer', true);
    this.dropSession(session, 'closed by the REST API');
  }

  /** REST DELETE of a connection: a pending one loses its token, an active one is evicted. */
  deleteConnection(connection: Connection): void {
    if (connection.participant) {
      this.removeParticipant(connection, 'forceDisconnectByServer', true);
      return;
    }
    this.tokens.delete(connection.token);
    this.sessions.get(connection.sessionId)?.connections.delete(connection.id);
  }

  private dropSession(session: Session, why: string): void {
    if (!this.sessions.has(session.id)) return;
    for (const connection of session.connections.values()) this.tokens.delete(connection.token);
    session.connections.clear();
    this.sessions.delete(session.id);
    this.log(`session ${session.id} closed (${why})`);
  }

  findStreamOwner(session: Session, streamId: string): Connection | undefined {
    return participantsOf(session).find((c) => c.participant?.publisher?.id === streamId);
  }

  // ---- joining, leaving, reconnecting (JSON-RPC) ----

  join(
    params: { token: string; sessionId: string; platform: string; metadata: string },
    channel: ClientChannel,
    ip: string,
  ): { connection: Connection; result: Record<string, unknown> } {
    const connection = this.tokens.get(params.token);
    if (!connection) {
      if (!this.sessions.has(params.sessionId)) {
        throw new RpcError(RpcCodes.ROOM_NOT_FOUND, `Unable to join session ${params.sessionId}. Session ${params.sessionId} cannot be found`);
      }
      throw new RpcError(RpcCodes.USER_UNAUTHORIZED, `Unable to join session ${params.sessionId}. Token ${params.token} is not valid`);
    }
    const session = this.sessions.get(connection.sessionId);
    if (!session) throw new RpcError(RpcCodes.ROOM_CLOSED, `Unable to join session ${connection.sessionId}. The session is closed`);
    // Single use: the real server removes the token on the first joinRoom.
    this.tokens.delete(params.token);
    const existing = participantsOf(session);
    const participant: Participant = {
      rpcSessionId: newRpcSessionId(),
      channel,
      clientData: params.metadata,
      platform: params.platform,
      ip,
      activeAt: Date.now(),
      publisher: null,
      subscriptions: new Map(),
      reconnectTimer: undefined,
    };
    connection.participant = participant;
    this.byRpcSession.set(participant.rpcSessionId, connection);
    this.broadcast(session, 'participantJoined', joinedParams(connection), connection);
    this.log(`participant ${connection.id} joined ${session.id} as "${displayName(params.metadata)}" (${connection.props.role})`);
    const result = joinRoomResult(connection, session.id, existing, this.options.subscribeFlow);
    return { connection, result };
  }

  leave(connection: Connection): void {
    this.removeParticipant(connection, 'disconnect', false);
  }

  /** Removes a participant: participantLeft to the others, participantEvicted to all when forced,
   * media torn down, and the session closed when it was the last one. */
  removeParticipant(connection: Connection, reason: string, evicted: boolean): void {
    const participant = connection.participant;
    const session = this.sessions.get(connection.sessionId);
    if (!participant || !session) return;
    if (participant.reconnectTimer) clearTimeout(participant.reconnectTimer);
    const others = participantsOf(session).filter((c) => c !== connection);
    this.broadcast(session, 'participantLeft', { connectionId: connection.id, reason }, connection);
    if (evicted) {
      this.broadcast(session, 'participantEvicted', { connectionId: connection.id, reason });
      const channel = participant.channel;
      if (channel) this.later(EVICTED_SOCKET_GRACE_MS, () => channel.close(4000, 'Evicted'));
    }
    for (const other of others) other.participant?.subscriptions.delete(connection.id);
    this.options.subscriptionFaults?.forget(connection.id);
    void this.options.sfu.closeParticipant(connection.id);
    connection.participant = null;
    participant.channel = null;
    this.byRpcSession.delete(participant.rpcSessionId);
    session.connections.delete(connection.id);
    this.log(`participant ${connection.id} left ${session.id} (${reason})`);
    if (participantsOf(session).length === 0) this.dropSession(session, 'last participant left');
  }

  /** Every participant whose live channel is `channel` (one, as a socket binds to one participant). */
  private participantsOn(channel: ClientChannel): Connection[] {
    return [...this.byRpcSession.values()].filter((c) => c.participant?.channel === channel);
  }

  /** A socket went away without leaveRoom: whoever it spoke for waits out the reconnection window. */
  channelLost(channel: ClientChannel): void {
    if (this.closed) return;
    for (const connection of this.participantsOn(channel)) this.waitForReconnection(connection);
  }

  private waitForReconnection(connection: Connection): void {
    const participant = connection.participant;
    if (!participant) return;
    participant.channel = null;
    this.log(`participant ${connection.id} lost its connection; ${this.options.reconnectionWindowMs} ms to reconnect`);
    participant.reconnectTimer = setTimeout(() => {
      participant.reconnectTimer = undefined;
      this.removeParticipant(connection, 'networkDisconnect', false);
    }, this.options.reconnectionWindowMs);
    participant.reconnectTimer.unref();
  }

  /** No ping within the watchdog timeout: gone for good, as Kurento's PingWatchdog decides. */
  pingTimeout(channel: ClientChannel): void {
    for (const connection of this.participantsOn(channel)) {
      this.log(`participant ${connection.id} stopped pinging`);
      this.removeParticipant(connection, 'networkDisconnect', false);
    }
  }

  reconnect(rpcSessionId: string, channel: ClientChannel): Connection {
    const connection = this.byRpcSession.get(rpcSessionId);
    const participant = connection?.participant;
    if (!connection || !participant) throw new RpcError(RpcCodes.RECONNECTION_ERROR, 'reconnection error');
    if (participant.reconnectTimer) clearTimeout(participant.reconnectTimer);
    participant.reconnectTimer = undefined;
    const previous = participant.channel;
    participant.channel = channel;
    if (previous && previous !== channel) previous.close(4000, 'Replaced by a reconnection');
    this.log(`participant ${connection.id} reconnected to ${connection.sessionId}`);
    return connection;
  }

  // ---- media ----

  private sessionOf(connection: Connection): Session {
    const session = this.sessions.get(connection.sessionId);
    if (!session || !connection.participant) throw new RpcError(RpcCodes.USER_NOT_FOUND, 'No connection found for this participant');
    return session;
  }

  async publish(connection: Connection, params: PublishParams): Promise<Record<string, unknown>> {
    const session = this.sessionOf(connection);
    const participant = connection.participant as Participant;
    if (connection.props.role === 'SUBSCRIBER') {
      throw new RpcError(RpcCodes.USER_UNAUTHORIZED, `Unable to publish: connection ${connection.id} has role SUBSCRIBER`);
    }
    if (participant.publisher) throw new RpcError(RpcCodes.ALREADY_PUBLISHING, `Connection ${connection.id} is already publishing`);
    const sdpAnswer = await this.sdp(() => this.options.sfu.publish(connection.id, params.sdpOffer));
    if (connection.participant !== participant) {
      await this.options.sfu.closeParticipant(connection.id);
      throw new RpcError(RpcCodes.USER_NOT_FOUND, 'The participant left while publishing');
    }
    const stream: StreamInfo = {
      id: newStreamId(params.typeOfVideo ?? undefined, params.hasVideo, connection.id),
      createdAt: Date.now(),
      hasAudio: params.hasAudio,
      hasVideo: params.hasVideo,
      audioActive: params.audioActive,
      videoActive: params.videoActive,
      typeOfVideo: params.typeOfVideo,
      frameRate: params.frameRate,
      videoDimensions: params.videoDimensions,
      filter: params.filter,
    };
    participant.publisher = stream;
    this.broadcast(session, 'participantPublished', publishedParams(connection, stream), connection);
    const kinds = [params.hasAudio ? 'audio' : '', params.hasVideo ? 'video' : ''].filter(Boolean).join('+');
    this.log(`participant ${connection.id} published ${stream.id} (${kinds}) in ${session.id}`);
    return { sdpAnswer, id: stream.id, createdAt: stream.createdAt };
  }

  /** reconnectStream for the own publisher: a new offer for the same stream id. */
  async republish(connection: Connection, sdpOffer: string): Promise<Record<string, unknown>> {
    this.sessionOf(connection);
    const stream = connection.participant?.publisher;
    if (!stream) throw new RpcError(RpcCodes.USER_NOT_STREAMING, `Connection ${connection.id} is not publishing`);
    const sdpAnswer = await this.sdp(() => this.options.sfu.publish(connection.id, sdpOffer));
    return { sdpAnswer, id: stream.id, createdAt: stream.createdAt };
  }

  unpublish(connection: Connection, reason: string, notifyOwner: boolean): void {
    const session = this.sessionOf(connection);
    const participant = connection.participant as Participant;
    if (!participant.publisher) throw new RpcError(RpcCodes.USER_NOT_STREAMING, `Connection ${connection.id} is not publishing`);
    const streamId = participant.publisher.id;
    participant.publisher = null;
    for (const other of participantsOf(session)) other.participant?.subscriptions.delete(connection.id);
    this.broadcast(session, 'participantUnpublished', { connectionId: connection.id, reason }, notifyOwner ? undefined : connection);
    void this.options.sfu.closePublisher(connection.id);
    this.log(`participant ${connection.id} unpublished ${streamId} (${reason})`);
  }

  /** The publisher of `sender`, which the browser gives as a streamId (subscribe) or a connectionId (unsubscribe). */
  private publisherOf(session: Session, sender: string): Connection {
    const owner = session.connections.get(senderConnectionId(sender));
    if (!owner?.participant) throw new RpcError(RpcCodes.TRANSPORT_ERROR, `Sender ${sender} not found in session ${session.id}`);
    const stream = owner.participant.publisher;
    if (!stream || (sender.startsWith('str_') && stream.id !== sender)) {
      throw new RpcError(RpcCodes.USER_NOT_STREAMING, `Sender ${sender} is not publishing`);
    }
    return owner;
  }

  /** The publisher a subscriber names, never itself: its own endpoint is its publisher leg. */
  private otherPublisher(session: Session, connection: Connection, sender: string): Connection {
    const owner = this.publisherOf(session, sender);
    if (owner === connection) throw new RpcError(RpcCodes.TRANSPORT_ERROR, `Connection ${connection.id} cannot subscribe to its own stream`);
    return owner;
  }

  /** A participant by connection id, in whichever session (test controls name only its id). */
  hasParticipant(connectionId: string): boolean {
    return this.participantConnection(connectionId) !== undefined;
  }

  private refuseIfFaulty(connection: Connection, sender: string): void {
    this.options.subscriptionFaults?.refuseIfDue(connection.id, sender, (line) => this.log(line));
  }

  async subscribe(connection: Connection, sender: string, sdpOffer: string): Promise<Record<string, unknown>> {
    const session = this.sessionOf(connection);
    const owner = this.otherPublisher(session, connection, sender);
    this.refuseIfFaulty(connection, sender);
    const sdpAnswer = await this.sdp(() => this.options.sfu.subscribeWithOffer(connection.id, owner.id, sdpOffer));
    this.recordSubscription(connection, owner);
    return { sdpAnswer };
  }

  async prepareSubscription(connection: Connection, sender: string): Promise<Record<string, unknown>> {
    const session = this.sessionOf(connection);
    const owner = this.otherPublisher(session, connection, sender);
    this.refuseIfFaulty(connection, sender);
    const sdpOffer = await this.sdp(() => this.options.sfu.prepareSubscription(connection.id, owner.id));
    return { sdpOffer };
  }

  async completeSubscription(connection: Connection, sender: string, sdpAnswer: string): Promise<Record<string, unknown>> {
    const session = this.sessionOf(connection);
    const owner = this.otherPublisher(session, connection, sender);
    await this.sdp(() => this.options.sfu.completeSubscription(connection.id, owner.id, sdpAnswer));
    this.recordSubscription(connection, owner);
    return {};
  }

  private recordSubscription(connection: Connection, owner: Connection): void {
    const stream = owner.participant?.publisher;
    if (!connection.participant || !stream) return;
    const isNew = !connection.participant.subscriptions.has(owner.id);
    connection.participant.subscriptions.set(owner.id, { streamId: stream.id, createdAt: Date.now() });
    if (isNew) this.log(`participant ${connection.id} subscribed to ${stream.id}`);
  }

  async unsubscribe(connection: Connection, sender: string): Promise<void> {
    this.sessionOf(connection);
    const publisherId = senderConnectionId(sender);
    if (publisherId === connection.id) {
      throw new RpcError(RpcCodes.TRANSPORT_ERROR, `Connection ${connection.id} is not subscribed to its own stream`);
    }
    connection.participant?.subscriptions.delete(publisherId);
    await this.options.sfu.closeSubscription(connection.id, publisherId);
  }

  addIceCandidate(connection: Connection, endpointName: string, candidate: { candidate: string; sdpMid: string | null; sdpMLineIndex: number | null }): void {
    this.sessionOf(connection);
    if (candidate.candidate.length + (candidate.sdpMid?.length ?? 0) + endpointName.length > this.limits.iceCandidateBytes) {
      throw new RpcError(RpcCodes.INVALID_PARAMS, `Invalid params: an ICE candidate is at most ${this.limits.iceCandidateBytes} bytes`);
    }
    this.options.sfu.addIceCandidate(connection.id, endpointName, candidate);
  }

  /** SDP failures become error 302, as in OpenVidu, instead of an internal error. */
  private async sdp<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof RpcError) throw error;
      throw new RpcError(RpcCodes.SDP_ERROR, `SDP error: ${(error as Error).message}`);
    }
  }

  // ---- stream properties and signals ----

  /** `newValue` has been checked by the JSON-RPC handler against the type OpenVidu sends for `property`. */
  streamPropertyChanged(connection: Connection, property: string, newValue: unknown, reason: string): void {
    const session = this.sessionOf(connection);
    const stream = connection.participant?.publisher;
    if (!stream) throw new RpcError(RpcCodes.USER_NOT_STREAMING, `Connection ${connection.id} is not publishing`);
    if (property === 'audioActive' && typeof newValue === 'boolean') stream.audioActive = newValue;
    if (property === 'videoActive' && typeof newValue === 'boolean') stream.videoActive = newValue;
    if (property === 'videoDimensions' && typeof newValue === 'string') stream.videoDimensions = newValue;
    // The real server sends Gson's toString() of the value: "true" for a boolean, a double-encoded
    // string for videoDimensions; only `filter` travels as an object.
    const sent = property === 'filter' ? newValue : JSON.stringify(newValue);
    const params = { connectionId: connection.id, streamId: stream.id, property, newValue: sent, reason };
    this.broadcast(session, 'streamPropertyChanged', params, connection);
  }

  /** Whether a signal's data and type fit the limit (both doors check before calling signal()). */
  signalFits(type: string | undefined, data: string | undefined): boolean {
    return Buffer.byteLength(data ?? '') + Buffer.byteLength(type ?? '') <= this.limits.signalBytes;
  }

  /** Signals: an empty or absent `to` means everyone, the sender included; each recipient once. Throws on unknown recipients. */
  signal(session: Session, from: string | undefined, to: string[], type: string | undefined, data: string | undefined): void {
    if (!this.signalFits(type, data)) {
      throw new RpcError(RpcCodes.SIGNAL_FORMAT_INVALID, `Signal data and type are at most ${this.limits.signalBytes} bytes`);
    }
    const participants = participantsOf(session);
    const recipients = to.length === 0 ? participants : [...new Set(to)].map((id) => participants.find((c) => c.id === id));
    if (recipients.some((c) => c === undefined)) {
      throw new RpcError(RpcCodes.SIGNAL_TO_INVALID, `Signal "to" names a connection that is not in session ${session.id}`);
    }
    const params: Record<string, unknown> = {};
    if (data !== undefined) params.data = data;
    if (type !== undefined) params.type = type;
    if (from !== undefined) params.from = from;
    for (const c of recipients) c?.participant?.channel?.notify('sendMessage', params);
  }

  /** The live socket of a participant, wherever it is (test controls). */
  channelOf(connectionId: string): ClientChannel | undefined {
    return this.participantConnection(connectionId)?.participant?.channel ?? undefined;
  }

  /** A connection that has joined, in whichever session (test controls name only its id). */
  private participantConnection(connectionId: string): Connection | undefined {
    for (const session of this.sessions.values()) {
      const connection = session.connections.get(connectionId);
      if (connection?.participant) return connection;
    }
    return undefined;
  }

  sessionOfConnection(connection: Connection): Session {
    return this.sessionOf(connection);
  }

  private later(ms: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms);
    timer.unref();
    this.timers.add(timer);
  }

  /** Shutdown: every timer cleared, every participant gone without notifications. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.garbageTimer);
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const session of this.sessions.values()) {
      for (const connection of participantsOf(session)) {
        if (connection.participant?.reconnectTimer) clearTimeout(connection.participant.reconnectTimer);
      }
    }
    this.sessions.clear();
    this.tokens.clear();
    this.byRpcSession.clear();
    await this.options.sfu.close();
  }

  /** For /test/state: what is still held. */
  snapshot(): Record<string, unknown> {
    const sessions = [...this.sessions.values()].map((session) => ({
      id: session.id,
      pendingConnections: [...session.connections.values()].filter((c) => !c.participant).length,
      participants: participantsOf(session).map((c) => ({
        id: c.id,
        role: c.props.role,
        connected: Boolean(c.participant?.channel),
        publishing: c.participant?.publisher?.id ?? null,
        subscriptions: [...(c.participant?.subscriptions.values() ?? [])].map((s) => s.streamId),
      })),
    }));
    const participants = sessions.flatMap((s) => s.participants);
    return {
      sessions,
      endpoints: this.options.sfu.endpointStats(),
      counts: {
        sessions: sessions.length,
        participants: participants.length,
        publishers: participants.filter((p) => p.publishing).length,
        subscribers: participants.reduce((n, p) => n + p.subscriptions.length, 0),
        openPeerConnections: this.options.sfu.openPeerConnections,
        pendingTokens: this.tokens.size,
      },
    };
  }
}
