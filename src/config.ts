// Where the page gets its token, read at start from `config.json` beside index.html: nothing about
// a deployment is baked into the bundle, so one build serves any deployment and a build never
// carries a secret it does not need. `npm start` and `npm run dev` serve a config that points at
// the local server; `npm run build` writes one from the named VITE_ settings (see vite.config.ts);
// the container's entrypoint writes one from its environment (docker/).
//
// Query parameters (`openviduUrl`, `openviduSecret`, `tokenMode`, `applicationServerUrl`) and
// `?inspect` are honoured only when the config says `"allowLinkOverrides": true`: otherwise a
// crafted link could send a person's camera to a server of the sender's choosing. `?session=` is
// only a name to fill in, and always works.
import { RECONNECT_WINDOW_MS } from '../machines/call.errors.ts';
import type { TokenSourceConfig } from './token/index.ts';

export const TOKEN_MODES = ['openvidu', 'application-server'] as const;

/** config.json as written: every field optional but the token mode. */
export interface RuntimeConfig {
  tokenMode: string;
  openviduUrl?: string;
  openviduSecret?: string;
  applicationServerUrl?: string;
  allowLinkOverrides: boolean;
  /** How long a lost connection may take to come back before the call ends, in seconds. */
  reconnectWindowSeconds?: number;
}

/** The reconnection window's bounds, in seconds: a window of hours would hide a dead call. */
export const RECONNECT_WINDOW_SECONDS = { default: RECONNECT_WINDOW_MS / 1000, min: 1, max: 600 } as const;

export interface PageConfig {
  token: TokenSourceConfig;
  /** Whether the link may reconfigure the page (and open the inspector with `?inspect`). */
  allowLinkOverrides: boolean;
  /** The reconnection window in force (config.json's, or the default). */
  reconnectWindowMs: number;
}

const OVERRIDABLE = ['tokenMode', 'openviduUrl', 'openviduSecret', 'applicationServerUrl'] as const;

/**
 * A configuration the page cannot run with. Its message speaks to the person first and gives
 * the operator the setting to check after. `kind` is what the call machine shows as a join error.
 */
export class ConfigError extends Error {
  readonly kind = 'unexpected';
  constructor(operatorHint: string) {
    super(`This call page is not set up correctly, so you cannot join a call from it yet. For the site's operator: ${operatorHint}`);
    this.name = 'ConfigError';
  }
}

/** Checks the shape of config.json (already parsed). */
export function parseRuntimeConfig(value: unknown): RuntimeConfig {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError('config.json must hold a JSON object, such as {"tokenMode": "application-server"}.');
  }
  const raw = value as Record<string, unknown>;
  const config: RuntimeConfig = { tokenMode: '', allowLinkOverrides: false };
  if (typeof raw.tokenMode !== 'string') {
    throw new ConfigError('config.json has no "tokenMode"; set it to "openvidu" or "application-server".');
  }
  config.tokenMode = raw.tokenMode;
  for (const field of ['openviduUrl', 'openviduSecret', 'applicationServerUrl'] as const) {
    const given = raw[field];
    if (given === undefined || given === null) continue;
    if (typeof given !== 'string') throw new ConfigError(`"${field}" in config.json must be a string.`);
    config[field] = given;
  }
  if (raw.allowLinkOverrides !== undefined && typeof raw.allowLinkOverrides !== 'boolean') {
    throw new ConfigError('"allowLinkOverrides" in config.json must be true or false.');
  }
  config.allowLinkOverrides = raw.allowLinkOverrides === true;
  const seconds = raw.reconnectWindowSeconds;
  if (seconds !== undefined && seconds !== null) {
    const { min, max } = RECONNECT_WINDOW_SECONDS;
    if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < min || seconds > max) {
      throw new ConfigError(`"reconnectWindowSeconds" in config.json must be a whole number of seconds from ${min} to ${max}; leave it out for ${RECONNECT_WINDOW_SECONDS.default}.`);
    }
    config.reconnectWindowSeconds = seconds;
  }
  return config;
}

/** Fetches and checks config.json; every way it can fail becomes a ConfigError. */
export async function loadRuntimeConfig(url: string, fetchImpl: typeof fetch = fetch): Promise<RuntimeConfig> {
  let response: Response;
  try {
    response = await fetchImpl(url, { cache: 'no-store' });
  } catch {
    throw new ConfigError(`${url} could not be loaded (network error). Reload the page; if it persists, check that the site serves config.json.`);
  }
  if (!response.ok) {
    throw new ConfigError(`${url} answered with status ${response.status}. Put a config.json beside index.html (see "Configuration" in the README).`);
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ConfigError(`${url} is not valid JSON.`);
  }
  return parseRuntimeConfig(parsed);
}

/**
 * The settings in force: config.json, with the link's overrides only when it allows them.
 * `pageUrl` resolves a relative (or empty: this page's own origin) application server URL.
 */
export function resolvePageConfig(config: RuntimeConfig, search: string, pageUrl: string): PageConfig {
  const { allowLinkOverrides, reconnectWindowSeconds = RECONNECT_WINDOW_SECONDS.default, ...settings } = config;
  const reconnectWindowMs = reconnectWindowSeconds * 1000;
  if (config.allowLinkOverrides) {
    const query = new URLSearchParams(search);
    for (const name of OVERRIDABLE) {
      const given = query.get(name);
      if (given) settings[name] = given;
    }
  }
  const mode = settings.tokenMode;
  if (mode === 'openvidu') {
    if (!settings.openviduUrl) throw new ConfigError('tokenMode is "openvidu" but "openviduUrl" is not set in config.json.');
    if (!settings.openviduSecret) throw new ConfigError('tokenMode is "openvidu" but "openviduSecret" is not set in config.json.');
    return {
      token: { mode, url: absolute(settings.openviduUrl, pageUrl, 'openviduUrl'), secret: settings.openviduSecret },
      allowLinkOverrides,
      reconnectWindowMs,
    };
  }
  if (mode === 'application-server') {
    return {
      token: { mode, url: absolute(settings.applicationServerUrl ?? '', pageUrl, 'applicationServerUrl') },
      allowLinkOverrides,
      reconnectWindowMs,
    };
  }
  // Never a fallback: a mistyped mode would otherwise send the secret where it was not meant to go.
  throw new ConfigError(`tokenMode is "${mode}", which is not a mode this page knows: use "openvidu" or "application-server".`);
}

function absolute(url: string, pageUrl: string, field: string): string {
  try {
    const resolved = new URL(url || '/', pageUrl);
    if (resolved.protocol !== 'http:' && resolved.protocol !== 'https:') throw new TypeError('not http');
    return resolved.href.replace(/\/+$/, '');
  } catch {
    throw new ConfigError(`"${field}" is "${url}", which is not an http(s) address.`);
  }
}

// A session name to fill in from a shared link: in a module of its own, which the form needs at
// once, while the rest of this one loads beside it (main.ts).
export { sessionFromLink } from './session-link.ts';
