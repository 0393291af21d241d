// The REST JSON shapes of OpenVidu CE (Session.toJson, Participant.toJson, Token.toJsonAsParticipant).
// openvidu-node-client reads the deprecated keys (sessionId, connectionId) and dereferences
// publishers[].mediaOptions without checks, so every key is always present.
import { participantsOf, type Connection, type Session, type StreamInfo } from './model.ts';

function mediaOptions(stream: StreamInfo): Record<string, unknown> {
  const options: Record<string, unknown> = { hasAudio: stream.hasAudio, hasVideo: stream.hasVideo };
  if (stream.hasAudio) options.audioActive = stream.audioActive;
  if (stream.hasVideo) {
    options.videoActive = stream.videoActive;
    options.typeOfVideo = stream.typeOfVideo;
    options.frameRate = stream.frameRate;
    options.videoDimensions = stream.videoDimensions;
  }
  options.filter = stream.filter;
  return options;
}

export function connectionJson(connection: Connection): Record<string, unknown> {
  const p = connection.participant;
  const props = connection.props;
  return {
    id: connection.id,
    object: 'connection',
    status: p ? 'active' : 'pending',
    connectionId: connection.id,
    sessionId: connection.sessionId,
    createdAt: connection.createdAt,
    type: props.type,
    record: props.record,
    role: props.role,
    kurentoOptions: props.kurentoOptions,
    customIceServers: props.customIceServers,
    rtspUri: props.rtspUri,
    adaptativeBitrate: props.adaptativeBitrate,
    onlyPlayWithSubscribers: props.onlyPlayWithSubscribers,
    networkCache: props.networkCache,
    serverData: props.data,
    token: connection.token,
    activeAt: p ? p.activeAt : null,
    location: p ? 'unknown' : null,
    ip: p ? p.ip : null,
    platform: p ? p.platform : null,
    clientData: p ? p.clientData : null,
    publishers: p
      ? p.publisher
        ? [{ createdAt: p.publisher.createdAt, streamId: p.publisher.id, mediaOptions: mediaOptions(p.publisher) }]
        : []
      : null,
    subscribers: p ? [...p.subscriptions.values()].map((s) => ({ createdAt: s.createdAt, streamId: s.streamId })) : null,
  };
}

export function connectionsJson(connections: Connection[]): Record<string, unknown> {
  return { numberOfElements: connections.length, content: connections.map(connectionJson) };
}

export function visibleConnections(session: Session, pending: boolean): Connection[] {
  return pending ? [...session.connections.values()] : participantsOf(session);
}

export function sessionJson(session: Session, pendingConnections: boolean): Record<string, unknown> {
  const props = session.props;
  return {
    id: session.id,
    object: 'session',
    sessionId: session.id,
    createdAt: session.createdAt,
    recording: false,
    broadcasting: false,
    mediaMode: props.mediaMode,
    recordingMode: props.recordingMode,
    defaultRecordingProperties: props.defaultRecordingProperties,
    customSessionId: props.customSessionId,
    ...(props.mediaNode ? { mediaNode: props.mediaNode } : {}),
    forcedVideoCodec: props.forcedVideoCodec,
    allowTranscoding: props.allowTranscoding,
    connections: connectionsJson(visibleConnections(session, pendingConnections)),
  };
}
