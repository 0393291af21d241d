// The page's runtime configuration (config.json): its checks, and which link parameters it lets
// change the page.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadRuntimeConfig, parseRuntimeConfig, resolvePageConfig, sessionFromLink, type RuntimeConfig } from '../../../src/config.ts';

const PAGE = 'https://call.example/';
const HOSTILE = '?openviduUrl=https://evil.example&openviduSecret=X&tokenMode=openvidu&applicationServerUrl=https://evil.example';
const secure: RuntimeConfig = { tokenMode: 'application-server', allowLinkOverrides: false };
const dev: RuntimeConfig = { tokenMode: 'openvidu', openviduUrl: 'http://localhost:4443', openviduSecret: 'MY_SECRET', allowLinkOverrides: true };

const configError = (run: () => unknown): ConfigError => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
};

describe('resolvePageConfig', () => {
  it('without link overrides, ignores openviduUrl, openviduSecret, tokenMode and applicationServerUrl', () => {
    const config = resolvePageConfig(secure, HOSTILE, PAGE);
    expect(config.token).toEqual({ mode: 'application-server', url: 'https://call.example' });
    expect(config.allowLinkOverrides).toBe(false);
  });

  it('with link overrides (npm start, npm run dev), the link reconfigures the page', () => {
    const config = resolvePageConfig(dev, '?openviduUrl=http://localhost:14443&openviduSecret=S2', PAGE);
    expect(config.token).toEqual({ mode: 'openvidu', url: 'http://localhost:14443', secret: 'S2' });
    expect(resolvePageConfig(dev, '?tokenMode=application-server&applicationServerUrl=http://localhost:5000/', PAGE).token).toEqual({
      mode: 'application-server',
      url: 'http://localhost:5000',
    });
  });

  it('an empty or relative application server URL is the page\'s own origin', () => {
    expect(resolvePageConfig({ ...secure, applicationServerUrl: '' }, '', 'http://127.0.0.1:5000/index.html').token.url).toBe('http://127.0.0.1:5000');
    expect(resolvePageConfig({ ...secure, applicationServerUrl: '/calls/' }, '', PAGE).token.url).toBe('https://call.example/calls');
  });

  it('an unknown tokenMode is a configuration error, never a fallback to sending the secret', () => {
    const error = configError(() => resolvePageConfig({ ...dev, tokenMode: 'application_server' }, '', PAGE));
    expect(error.message).toMatch(/^This call page is not set up correctly, so you cannot join a call from it yet\. For the site's operator: /);
    expect(error.message).toContain('tokenMode is "application_server"');
    expect(error.message).toContain('"openvidu" or "application-server"');
    expect(error.message).not.toContain('MY_SECRET');
    // Also when a link brings it, where links may.
    expect(configError(() => resolvePageConfig(dev, '?tokenMode=opnevidu', PAGE)).message).toContain('"opnevidu"');
  });

  it('openvidu mode without its URL or secret, and a URL that is not http(s), are configuration errors', () => {
    expect(configError(() => resolvePageConfig({ tokenMode: 'openvidu', openviduUrl: 'http://x', allowLinkOverrides: false }, '', PAGE)).message).toContain('openviduSecret');
    expect(configError(() => resolvePageConfig({ tokenMode: 'openvidu', openviduSecret: 's', allowLinkOverrides: false }, '', PAGE)).message).toContain('openviduUrl');
    expect(configError(() => resolvePageConfig({ ...secure, applicationServerUrl: 'javascript:alert(1)' }, '', PAGE)).message).toContain('not an http(s) address');
  });

  it('?session= always fills the session name', () => {
    expect(sessionFromLink('?session=Foo')).toBe('Foo');
    expect(sessionFromLink(HOSTILE)).toBeNull();
  });
});

describe('parseRuntimeConfig', () => {
  it('accepts what the build writes, and defaults allowLinkOverrides to false', () => {
    expect(parseRuntimeConfig({ tokenMode: 'application-server', applicationServerUrl: '' })).toEqual({
      tokenMode: 'application-server',
      applicationServerUrl: '',
      allowLinkOverrides: false,
    });
  });

  it('refuses what is not a config, with the setting to fix', () => {
    for (const [value, hint] of [
      [null, 'JSON object'],
      [[], 'JSON object'],
      ['application-server', 'JSON object'],
      [{}, 'no "tokenMode"'],
      [{ tokenMode: 'openvidu', openviduUrl: 4443 }, '"openviduUrl" in config.json must be a string'],
      [{ tokenMode: 'openvidu', allowLinkOverrides: 'yes' }, '"allowLinkOverrides"'],
    ] as const) {
      expect(configError(() => parseRuntimeConfig(value)).message).toContain(hint);
    }
  });

  it('a reconnection window of whole seconds from 1 to 600; left out, the documented 30 s; anything else is refused', () => {
    const withWindow = (reconnectWindowSeconds: unknown) => ({ tokenMode: 'application-server', reconnectWindowSeconds });
    expect(resolvePageConfig(parseRuntimeConfig(withWindow(5)), '', PAGE).reconnectWindowMs).toBe(5_000);
    expect(resolvePageConfig(parseRuntimeConfig(withWindow(1)), '', PAGE).reconnectWindowMs).toBe(1_000);
    expect(resolvePageConfig(parseRuntimeConfig(withWindow(600)), '', PAGE).reconnectWindowMs).toBe(600_000);
    expect(resolvePageConfig(parseRuntimeConfig(withWindow(null)), '', PAGE).reconnectWindowMs).toBe(30_000);
    expect(resolvePageConfig(secure, '', PAGE).reconnectWindowMs).toBe(30_000);
    for (const bad of [0, -5, 601, 2.5, '10', true, Number.NaN, Number.POSITIVE_INFINITY, {}]) {
      const message = configError(() => parseRuntimeConfig(withWindow(bad))).message;
      expect(message).toContain('"reconnectWindowSeconds" in config.json must be a whole number of seconds from 1 to 600');
      expect(message).toContain('leave it out for 30');
    }
  });
});

describe('loadRuntimeConfig', () => {
  const answer = (status: number, body: string) => () => Promise.resolve(new Response(body, { status }));

  it('a missing, malformed or unreachable config.json is a ConfigError saying which', async () => {
    await expect(loadRuntimeConfig('https://call.example/config.json', answer(404, 'Not found'))).rejects.toThrow(/answered with status 404/);
    await expect(loadRuntimeConfig('https://call.example/config.json', answer(200, '{"tokenMode":'))).rejects.toThrow(/is not valid JSON/);
    await expect(loadRuntimeConfig('https://call.example/config.json', () => Promise.reject(new TypeError('Failed to fetch')))).rejects.toThrow(
      /could not be loaded/,
    );
    await expect(loadRuntimeConfig('https://call.example/config.json', answer(200, '{"tokenMode":"openvidu"}'))).resolves.toEqual({
      tokenMode: 'openvidu',
      allowLinkOverrides: false,
    });
  });
});
