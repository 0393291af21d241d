// One function per JSON-RPC method openvidu-browser calls. Each checks its params' types (a wrong
// type is an error reply, never a crash or silence) and calls the core.
import type { OpenViduCore } from '../core/openvidu.ts';
import type { ClientChannel, Connection } from '../core/model.ts';
import { RpcCodes, RpcError } from './errors.ts';
import { param } from './framing.ts';
import * as streamValues from './stream-values.ts';

/** What a handler knows about the socket it was called on. */
export interface SocketContext extends ClientChannel {
  connection: Connection | null;
  readonly ip: string;
  /** Set by the first ping: the watchdog evicts after 3 × this with no ping. */
  announcePingInterval(ms: number | undefined): void;
}

type Params = Record<string, unknown>;
type Handler = (core: OpenViduCore, socket: SocketContext, params: Params) => unknown;

/** The connection this socket speaks for; the real server answers 803 before joinRoom. */
function joined(socket: SocketContext): Connection {
  const connection = socket.connection;
  if (!connection?.participant || connection.participant.channel !== socket) {
    throw new RpcError(RpcCodes.USER_NOT_FOUND, 'No connection found for this participant: call joinRoom first');
  }
  return connection;
}

function requireModerator(connection: Connection, action: string): void {
  if (connection.props.role !== 'MODERATOR') {
    throw new RpcError(RpcCodes.USER_UNAUTHORIZED, `Unable to ${action}: connection ${connection.id} is not a MODERATOR`);
  }
}

function unsupported(feature: string): Handler {
  return () => {
    throw new RpcError(RpcCodes.GENERIC, `${feature} is not supported by this local OpenVidu server`);
  };
}

const handlers: Record<string, Handler> = {
  ping(_core, socket, params) {
    socket.announcePingInterval(param.optionalNumber(params, 'interval'));
    return { value: 'pong' };
  },

  joinRoom(core, socket, params) {
    if (socket.connection?.participant) throw new RpcError(RpcCodes.GENERIC, 'This socket has already joined a session');
    const token = param.string(params, 'token');
    const sessionId = param.optionalString(params, 'session') ?? '';
    const platform = param.optionalString(params, 'platform') ?? 'unknown';
    const metadata = param.optionalString(params, 'metadata') ?? '';
    param.optionalString(params, 'secret');
    param.optionalBoolean(params, 'recorder');
    const { connection, result } = core.join({ token, sessionId, platform, metadata }, socket, socket.ip);
    socket.connection = connection;
    return result;
  },

  connect(core, socket, params) {
    const rpcSessionId = param.string(params, 'sessionId');
    // A socket speaks for one participant only: once bound, it may not take over another one.
    const bound = socket.connection;
    if (bound && bound.participant?.rpcSessionId !== rpcSessionId) {
      throw new RpcError(RpcCodes.RECONNECTION_ERROR, 'reconnection error: this socket already speaks for another participant');
    }
    socket.connection = core.reconnect(rpcSessionId, socket);
    return 'reconnection successful';
  },

  async publishVideo(core, socket, params) {
    const connection = joined(socket);
    const hasVideo = param.optionalBoolean(params, 'hasVideo') ?? true;
    const hasAudio = param.optionalBoolean(params, 'hasAudio') ?? true;
    // Everything below is handed to whoever joins later: checked and made canonical before any state changes.
    const filter = streamValues.filter(params.filter);
    const typeOfVideo = param.optionalString(params, 'typeOfVideo');
    const videoDimensions = param.optionalString(params, 'videoDimensions');
    param.optionalBoolean(params, 'doLoopback');
    return core.publish(connection, {
      sdpOffer: param.string(params, 'sdpOffer'),
      hasAudio,
      hasVideo,
      audioActive: param.optionalBoolean(params, 'audioActive') ?? hasAudio,
      videoActive: param.optionalBoolean(params, 'videoActive') ?? hasVideo,
      typeOfVideo: hasVideo ? streamValues.typeOfVideo(typeOfVideo ?? 'CAMERA') : null,
      frameRate: param.optionalNumber(params, 'frameRate') ?? -1,
      videoDimensions: videoDimensions === undefined ? null : streamValues.videoDimensions(videoDimensions),
      filter,
    });
  },

  unpublishVideo(core, socket) {
    core.unpublish(joined(socket), 'unpublish', false);
    return {};
  },

  async receiveVideoFrom(core, socket, params) {
    const connection = joined(socket);
    const sender = param.string(params, 'sender');
    const sdpOffer = param.optionalString(params, 'sdpOffer');
    const sdpAnswer = param.optionalString(params, 'sdpAnswer');
    if (sdpOffer !== undefined) return core.subscribe(connection, sender, sdpOffer);
    if (sdpAnswer !== undefined) return core.completeSubscription(connection, sender, sdpAnswer);
    throw new RpcError(RpcCodes.INVALID_PARAMS, "Invalid params: 'sdpOffer' or 'sdpAnswer' is required");
  },

  async prepareReceiveVideoFrom(core, socket, params) {
    const connection = joined(socket);
    param.optionalBoolean(params, 'reconnect');
    return core.prepareSubscription(connection, param.string(params, 'sender'));
  },

  async unsubscribeFromVideo(core, socket, params) {
    await core.unsubscribe(joined(socket), param.string(params, 'sender'));
    return {};
  },

  onIceCandidate(core, socket, params) {
    const connection = joined(socket);
    core.addIceCandidate(connection, param.string(params, 'endpointName'), {
      candidate: param.string(params, 'candidate'),
      sdpMid: param.optionalString(params, 'sdpMid') ?? null,
      sdpMLineIndex: param.optionalNumber(params, 'sdpMLineIndex') ?? null,
    });
    return {};
  },

  leaveRoom(core, socket) {
    core.leave(joined(socket));
    return {};
  },

  sendMessage(core, socket, params) {
    const connection = joined(socket);
    const text = param.string(params, 'message');
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      throw new RpcError(RpcCodes.SIGNAL_FORMAT_INVALID, 'Signal message is not valid JSON');
    }
    if (typeof message !== 'object' || message === null) throw new RpcError(RpcCodes.SIGNAL_FORMAT_INVALID, 'Signal message must be a JSON object');
    const { to, data, type } = message as { to?: unknown; data?: unknown; type?: unknown };
    if (to !== undefined && (!Array.isArray(to) || to.some((id) => typeof id !== 'string'))) {
      throw new RpcError(RpcCodes.SIGNAL_FORMAT_INVALID, "Signal 'to' must be an array of connection ids");
    }
    if ((data !== undefined && typeof data !== 'string') || (type !== undefined && typeof type !== 'string')) {
      throw new RpcError(RpcCodes.SIGNAL_FORMAT_INVALID, "Signal 'data' and 'type' must be strings");
    }
    core.signal(core.sessionOfConnection(connection), connection.id, (to as string[] | undefined) ?? [], type, data);
    return {};
  },

  streamPropertyChanged(core, socket, params) {
    const connection = joined(socket);
    param.optionalString(params, 'streamId');
    const property = param.string(params, 'property');
    const reason = streamValues.reason(param.optionalString(params, 'reason'));
    if (!('newValue' in params)) throw new RpcError(RpcCodes.INVALID_PARAMS, "Invalid params: 'newValue' is required");
    core.streamPropertyChanged(connection, property, streamValues.propertyValue(property, params.newValue), reason);
    return {};
  },

  videoData(_core, socket, params) {
    joined(socket);
    param.optionalNumber(params, 'height');
    param.optionalNumber(params, 'width');
    param.optionalBoolean(params, 'videoActive');
    param.optionalBoolean(params, 'audioActive');
    return {};
  },

  echo(_core, socket) {
    joined(socket);
    return {};
  },

  forceDisconnect(core, socket, params) {
    const connection = joined(socket);
    requireModerator(connection, 'force a disconnection');
    const targetId = param.string(params, 'connectionId');
    const target = core.sessionOfConnection(connection).connections.get(targetId);
    if (!target?.participant) throw new RpcError(RpcCodes.USER_NOT_FOUND, `Connection ${targetId} not found`);
    core.removeParticipant(target, 'forceDisconnectByUser', true);
    return {};
  },

  forceUnpublish(core, socket, params) {
    const connection = joined(socket);
    requireModerator(connection, 'force an unpublish');
    const streamId = param.string(params, 'streamId');
    const owner = core.findStreamOwner(core.sessionOfConnection(connection), streamId);
    if (!owner) throw new RpcError(RpcCodes.USER_NOT_STREAMING, `Stream ${streamId} not found`);
    core.unpublish(owner, 'forceUnpublishByUser', true);
    return {};
  },

  async reconnectStream(core, socket, params) {
    const connection = joined(socket);
    const streamId = param.string(params, 'stream');
    const sdpString = param.optionalString(params, 'sdpString');
    const sdpOffer = param.optionalString(params, 'sdpOffer');
    param.optionalBoolean(params, 'forciblyReconnect');
    // The real server tells the two apart by comparing with the caller's own stream.
    if (connection.participant?.publisher?.id === streamId) {
      if (sdpString === undefined) throw new RpcError(RpcCodes.INVALID_PARAMS, "Invalid params: 'sdpString' is required");
      return core.republish(connection, sdpString);
    }
    if (sdpOffer !== undefined) return core.subscribe(connection, streamId, sdpOffer);
    if (sdpString !== undefined) return core.completeSubscription(connection, streamId, sdpString);
    throw new RpcError(RpcCodes.INVALID_PARAMS, "Invalid params: 'sdpOffer' or 'sdpString' is required");
  },

  applyFilter: unsupported('Filters'),
  execFilterMethod: unsupported('Filters'),
  removeFilter: unsupported('Filters'),
  addFilterEventListener: unsupported('Filters'),
  removeFilterEventListener: unsupported('Filters'),
  subscribeToSpeechToText: unsupported('Speech to text'),
  unsubscribeFromSpeechToText: unsupported('Speech to text'),
};

/** Methods answered before joinRoom and independently of it, as Kurento's ProtocolManager does. */
export async function dispatch(core: OpenViduCore, socket: SocketContext, method: string, params: Params): Promise<unknown> {
  const handler = Object.hasOwn(handlers, method) ? handlers[method] : undefined;
  if (!handler) throw new RpcError(RpcCodes.METHOD_NOT_FOUND, `Method not found: ${method}`);
  return handler(core, socket, params);
}
