// The JSON-RPC wire format of OpenVidu CE: what joinRoom answers and what its notifications carry,
// next to rest-json.ts for the REST API. Only shapes here; the core decides when they are sent.
import { OPENVIDU_VERSION, type SubscribeFlow } from '../config.ts';
import { fullMetadata, type Connection, type Participant, type StreamInfo } from './model.ts';

/** A stream as joinRoom's participants and participantPublished list it. */
export function streamObject(stream: StreamInfo): Record<string, unknown> {
  return {
    id: stream.id,
    createdAt: stream.createdAt,
    hasAudio: stream.hasAudio,
    hasVideo: stream.hasVideo,
    audioActive: stream.audioActive,
    videoActive: stream.videoActive,
    typeOfVideo: stream.typeOfVideo,
    frameRate: stream.frameRate,
    videoDimensions: stream.videoDimensions,
    filter: stream.filter,
  };
}

/** A remote participant as joinRoom's `value[]` lists it: never a `role`, `streams` only when publishing. */
export function remoteParticipant(connection: Connection): Record<string, unknown> {
  const p = connection.participant as Participant;
  return {
    id: connection.id,
    createdAt: p.activeAt,
    metadata: fullMetadata(connection),
    ...(p.publisher ? { streams: [streamObject(p.publisher)] } : {}),
  };
}

/** participantJoined's params. */
export function joinedParams(connection: Connection): Record<string, unknown> {
  const p = connection.participant as Participant;
  return { id: connection.id, createdAt: p.activeAt, metadata: fullMetadata(connection) };
}

/** participantPublished's params. */
export function publishedParams(connection: Connection, stream: StreamInfo): Record<string, unknown> {
  return { id: connection.id, streams: [streamObject(stream)] };
}

/** joinRoom's result: the joiner, who is already there, and what the browser needs to know of the server. */
export function joinRoomResult(connection: Connection, sessionId: string, existing: readonly Connection[], subscribeFlow: SubscribeFlow): Record<string, unknown> {
  const participant = connection.participant as Participant;
  return {
    id: connection.id,
    finalUserId: connection.id,
    createdAt: participant.activeAt,
    metadata: fullMetadata(connection),
    value: existing.map(remoteParticipant),
    session: sessionId,
    version: OPENVIDU_VERSION,
    mediaServer: subscribeFlow === 'server-offer' ? 'mediasoup' : 'kurento',
    videoSimulcast: false,
    record: connection.props.record,
    role: connection.props.role,
    customIceServers: connection.props.customIceServers,
    // Kurento's JSON-RPC layer adds this; the browser presents it again on `connect`.
    sessionId: participant.rpcSessionId,
  };
}

/** The nickname for log lines: openvidu tutorials send {"clientData":"Alice"}. */
export function displayName(clientData: string): string {
  try {
    const parsed = JSON.parse(clientData) as unknown;
    if (parsed && typeof parsed === 'object' && 'clientData' in parsed) return String((parsed as { clientData: unknown }).clientData);
  } catch {
    // not JSON: the raw text is the name
  }
  return clientData;
}

/** The connection id a `sender` names: the browser gives a stream id (str_…_con_…) or a connection id. */
export function senderConnectionId(sender: string): string {
  return sender.startsWith('str_') ? sender.slice(sender.lastIndexOf('con_')) : sender;
}
