// Request-body validation for sessions and connections, with the real server's defaults for null or
// absent fields (openvidu-node-client sends every key, null when unset).
import { SESSION_ID_PATTERN } from '../ids.ts';
import type { ConnectionProperties, Role, SessionProperties } from '../core/model.ts';
import { HttpError } from './respond.ts';

type Body = Record<string, unknown>;

function oneOf<T extends string>(body: Body, key: string, allowed: readonly T[], fallback: T): T {
  const value = body[key];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    throw new HttpError(400, `Parameter '${key}' must be one of ${allowed.join(', ')}`);
  }
  return value as T;
}

function optional<T>(body: Body, key: string, type: 'string' | 'boolean' | 'number' | 'object', fallback: T): T {
  const value = body[key];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== type || (type === 'object' && Array.isArray(value))) throw new HttpError(400, `Parameter '${key}' must be a ${type}`);
  return value as T;
}

const DEFAULT_RECORDING = {
  name: '',
  hasAudio: true,
  hasVideo: true,
  outputMode: 'COMPOSED',
  recordingLayout: 'BEST_FIT',
  resolution: '1280x720',
  frameRate: 25,
  shmSize: 536870912,
};

/** OpenVidu's mediaNode is {"id": "<media node id>"}: that, and nothing else, is kept and listed back. */
function mediaNodeOf(body: Body): { id: string } | undefined {
  const value = optional<Body | undefined>(body, 'mediaNode', 'object', undefined);
  if (value === undefined) return undefined;
  if (typeof value.id !== 'string' || Object.keys(value).some((k) => k !== 'id')) {
    throw new HttpError(400, 'Parameter \'mediaNode\' must be {"id": string}');
  }
  return { id: value.id };
}

/** The documented recording properties only, each of its type: nothing else is stored or listed back. */
function recordingProperties(recording: Body): Body {
  const out: Body = {};
  const kinds: Record<string, 'string' | 'boolean' | 'number'> = {
    name: 'string',
    hasAudio: 'boolean',
    hasVideo: 'boolean',
    resolution: 'string',
    frameRate: 'number',
    shmSize: 'number',
    customLayout: 'string',
    ignoreFailedStreams: 'boolean',
  };
  for (const [key, type] of Object.entries(kinds)) {
    const value = optional<unknown>(recording, key, type, undefined);
    if (value !== undefined) out[key] = value;
  }
  const outputMode = recording.outputMode ?? undefined;
  if (outputMode !== undefined) out.outputMode = oneOf(recording, 'outputMode', ['COMPOSED', 'COMPOSED_QUICK_START', 'INDIVIDUAL'], 'COMPOSED');
  const layouts = ['BEST_FIT', 'PICTURE_IN_PICTURE', 'VERTICAL_PRESENTATION', 'HORIZONTAL_PRESENTATION', 'CUSTOM'] as const;
  if ((recording.recordingLayout ?? undefined) !== undefined) out.recordingLayout = oneOf(recording, 'recordingLayout', layouts, 'BEST_FIT');
  const mediaNode = mediaNodeOf(recording);
  if (mediaNode) out.mediaNode = mediaNode;
  return out;
}

export function sessionProperties(body: Body): SessionProperties {
  const customSessionId = optional(body, 'customSessionId', 'string', '');
  if (customSessionId !== '' && !SESSION_ID_PATTERN.test(customSessionId)) {
    throw new HttpError(400, "Parameter 'customSessionId' is wrong. Must be an alphanumeric string [a-zA-Z0-9_-]");
  }
  const recording = recordingProperties(optional<Body>(body, 'defaultRecordingProperties', 'object', {}));
  const mediaNode = mediaNodeOf(body);
  return {
    mediaMode: oneOf(body, 'mediaMode', ['ROUTED', 'RELAYED'], 'ROUTED'),
    recordingMode: oneOf(body, 'recordingMode', ['MANUAL', 'ALWAYS'], 'MANUAL'),
    customSessionId,
    forcedVideoCodec: oneOf(body, 'forcedVideoCodec', ['MEDIA_SERVER_PREFERRED', 'NONE', 'VP8', 'VP9', 'H264'], 'MEDIA_SERVER_PREFERRED'),
    allowTranscoding: optional(body, 'allowTranscoding', 'boolean', false),
    defaultRecordingProperties: { ...DEFAULT_RECORDING, ...recording },
    ...(mediaNode ? { mediaNode } : {}),
  };
}

function iceServers(body: Body): Record<string, unknown>[] {
  const value = body.customIceServers;
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new HttpError(400, "Parameter 'customIceServers' must be an array");
  return value.map((server: unknown) => {
    if (typeof server !== 'object' || server === null) throw new HttpError(400, "Each of 'customIceServers' must be an object");
    const { url, username, credential, staticAuthSecret } = server as Body;
    if (typeof url !== 'string' || !/^(stun|stuns|turn|turns):/.test(url)) {
      throw new HttpError(400, "Each ICE server needs a 'url' starting with stun:, stuns:, turn: or turns:");
    }
    const isTurn = url.startsWith('turn');
    if (isTurn && !(typeof staticAuthSecret === 'string' || (typeof username === 'string' && typeof credential === 'string'))) {
      throw new HttpError(400, 'A TURN server needs username and credential (or staticAuthSecret)');
    }
    return {
      url,
      ...(typeof username === 'string' ? { username } : {}),
      ...(typeof credential === 'string' ? { credential } : {}),
    };
  });
}

export function connectionProperties(body: Body): ConnectionProperties {
  const type = oneOf(body, 'type', ['WEBRTC', 'IPCAM'], 'WEBRTC');
  if (type === 'IPCAM') throw new HttpError(400, 'IPCAM connections are not supported by this local OpenVidu server');
  return {
    type,
    data: optional(body, 'data', 'string', ''),
    record: optional(body, 'record', 'boolean', true),
    role: oneOf<Role>(body, 'role', ['PUBLISHER', 'SUBSCRIBER', 'MODERATOR'], 'PUBLISHER'),
    kurentoOptions: optional<Body | null>(body, 'kurentoOptions', 'object', null),
    customIceServers: iceServers(body),
    rtspUri: null,
    adaptativeBitrate: null,
    onlyPlayWithSubscribers: null,
    networkCache: null,
  };
}
