// The state of sessions and connections, as plain data. Behaviour lives in openvidu.ts.
export type Role = 'PUBLISHER' | 'SUBSCRIBER' | 'MODERATOR';

/** What the server may tell a connected browser; implemented by the JSON-RPC socket layer. */
export interface ClientChannel {
  notify(method: string, params: object): void;
  /** Close the socket (a ping timeout, or an evicted client that never closed it). */
  close(code: number, reason: string): void;
}

export interface SessionProperties {
  mediaMode: string;
  recordingMode: string;
  customSessionId: string;
  forcedVideoCodec: string;
  allowTranscoding: boolean;
  defaultRecordingProperties: Record<string, unknown>;
  mediaNode?: unknown;
}

export interface ConnectionProperties {
  type: 'WEBRTC' | 'IPCAM';
  data: string;
  record: boolean;
  role: Role;
  kurentoOptions: Record<string, unknown> | null;
  customIceServers: Record<string, unknown>[];
  rtspUri: string | null;
  adaptativeBitrate: boolean | null;
  onlyPlayWithSubscribers: boolean | null;
  networkCache: number | null;
}

/** Media options of a published stream, kept as the browser sent them (videoDimensions stays a JSON string). */
export interface StreamInfo {
  id: string;
  createdAt: number;
  hasAudio: boolean;
  hasVideo: boolean;
  audioActive: boolean;
  videoActive: boolean;
  typeOfVideo: string | null;
  frameRate: number;
  videoDimensions: string | null;
  filter: Record<string, unknown>;
}

export interface Subscription {
  streamId: string;
  createdAt: number;
}

/** The part of a connection that exists once a browser has joined with its token. */
export interface Participant {
  rpcSessionId: string;
  channel: ClientChannel | null;
  clientData: string;
  platform: string;
  ip: string;
  activeAt: number;
  publisher: StreamInfo | null;
  /** Keyed by the publisher's connectionId, as unsubscribeFromVideo names them. */
  subscriptions: Map<string, Subscription>;
  reconnectTimer: NodeJS.Timeout | undefined;
}

export interface Connection {
  id: string;
  sessionId: string;
  token: string;
  createdAt: number;
  props: ConnectionProperties;
  participant: Participant | null;
}

export interface Session {
  id: string;
  createdAt: number;
  props: SessionProperties;
  /** Pending (token not used yet) and active connections, by connectionId. */
  connections: Map<string, Connection>;
}

export function participantsOf(session: Session): Connection[] {
  return [...session.connections.values()].filter((c) => c.participant !== null);
}

/** Metadata the browser sees for a connection: clientData and serverData joined as the real server does. */
export function fullMetadata(connection: Connection): string {
  const client = connection.participant?.clientData ?? '';
  const server = connection.props.data;
  if (client && server) return `${client}%/%${server}`;
  return client || server;
}
