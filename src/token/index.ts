import { fetchApplicationServerToken } from './application-server-token.ts';
import { fetchOpenViduToken } from './openvidu-token.ts';

export { fetchApplicationServerToken } from './application-server-token.ts';
export { fetchOpenViduToken } from './openvidu-token.ts';
export { isValidSessionName } from './session-name.ts';
export { TokenError, type TokenErrorKind } from './token-error.ts';

// What the call machine's token actor is given: it never knows which server, secret or fetch is behind it.
export type TokenSource = (sessionId: string, signal?: AbortSignal) => Promise<string>;

export type TokenSourceConfig =
  | { mode: 'openvidu'; url: string; secret: string }
  | { mode: 'application-server'; url: string };

export function createTokenSource(config: TokenSourceConfig): TokenSource {
  if (config.mode === 'openvidu') {
    const server = { url: config.url, secret: config.secret };
    return (sessionId, signal) => fetchOpenViduToken(sessionId, server, signal);
  }
  const server = { url: config.url };
  return (sessionId, signal) => fetchApplicationServerToken(sessionId, server, signal);
}
