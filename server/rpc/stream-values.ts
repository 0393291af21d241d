// Stream fields a publisher sends and the server hands on to everyone who joins later: each is
// checked against the type OpenVidu itself sends, and stored in a canonical form, so one client
// cannot store a value that makes openvidu-browser throw in another (a videoDimensions of "{").
import { RpcCodes, RpcError } from './errors.ts';

const invalid = (message: string) => new RpcError(RpcCodes.INVALID_PARAMS, `Invalid params: ${message}`);

export const TYPES_OF_VIDEO = ['CAMERA', 'SCREEN', 'CUSTOM', 'IPCAM'] as const;

/** The reasons openvidu-browser gives on streamPropertyChanged (StreamPropertyChangedEventReason). */
const REASONS = new Set(['', 'publishVideo', 'publishAudio', 'deviceRotated', 'screenResized', 'trackReplaced', 'applyFilter', 'execFilterMethod', 'removeFilter']);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function typeOfVideo(value: unknown): string {
  if (typeof value !== 'string' || !(TYPES_OF_VIDEO as readonly string[]).includes(value)) {
    throw invalid(`'typeOfVideo' must be one of ${TYPES_OF_VIDEO.join(', ')}`);
  }
  return value;
}

/** A JSON string of `{width, height}` (numbers, either may be missing), re-serialised from what was checked. */
export function videoDimensions(value: unknown): string {
  let parsed: unknown;
  try {
    parsed = typeof value === 'string' ? JSON.parse(value) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!isPlainObject(parsed) || Object.keys(parsed).some((k) => k !== 'width' && k !== 'height')) {
    throw invalid(`'videoDimensions' must be a JSON string of {"width": n, "height": n}`);
  }
  const out: Record<string, number> = {};
  for (const key of ['width', 'height'] as const) {
    const n = parsed[key];
    if (n === undefined) continue;
    if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) throw invalid(`'videoDimensions.${key}' must be a number`);
    out[key] = n;
  }
  return JSON.stringify(out);
}

/** A filter as openvidu-browser sends it: {type, options}; nothing else is kept. */
export function filter(value: unknown): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (!isPlainObject(value)) throw invalid("'filter' must be an object");
  const { type, options } = value;
  if (Object.keys(value).some((k) => k !== 'type' && k !== 'options' && k !== 'lastExecMethod')) {
    throw invalid("'filter' may only have 'type' and 'options'");
  }
  if (type !== undefined && typeof type !== 'string') throw invalid("'filter.type' must be a string");
  if (options !== undefined && !isPlainObject(options)) throw invalid("'filter.options' must be an object");
  return { ...(type !== undefined ? { type } : {}), ...(options !== undefined ? { options } : {}) };
}

/** The newValue of streamPropertyChanged, by property, in the type OpenVidu relays. */
export function propertyValue(property: string, value: unknown): unknown {
  switch (property) {
    case 'audioActive':
    case 'videoActive':
      if (typeof value !== 'boolean') throw invalid(`'newValue' of ${property} must be a boolean`);
      return value;
    case 'videoDimensions':
      return videoDimensions(value);
    case 'videoTrack':
    case 'audioTrack': {
      if (!isPlainObject(value) || Object.keys(value).some((k) => k !== 'label') || (value.label !== undefined && typeof value.label !== 'string')) {
        throw invalid(`'newValue' of ${property} must be {"label": string}`);
      }
      return value.label === undefined ? {} : { label: value.label };
    }
    case 'filter':
      throw new RpcError(RpcCodes.GENERIC, 'Filters are not supported by this local OpenVidu server');
    default:
      throw invalid(`'property' must be audioActive, videoActive, videoDimensions, videoTrack or audioTrack`);
  }
}

export function reason(value: string | undefined): string {
  const given = value ?? '';
  if (!REASONS.has(given)) throw invalid(`'reason' must be one of ${[...REASONS].filter(Boolean).join(', ')}`);
  return given;
}
