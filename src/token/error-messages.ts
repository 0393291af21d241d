import { TokenError } from './token-error.ts';

// Which server the page was asking: the sentences differ (only the OpenVidu server knows a
// secret, and only our own `npm start` runs one for you).
export interface ServerInfo {
  kind: 'openvidu' | 'application-server';
  url: string;
}

function serverName(server: ServerInfo): string {
  return server.kind === 'openvidu' ? 'the OpenVidu server' : 'the application server';
}

export function unreachable(server: ServerInfo, cause: unknown): TokenError {
  // A browser reports an untrusted certificate exactly like a server that is down (a TypeError
  // with no detail), so for https the only honest thing is to name both, and say how to trust it.
  const https = server.url.startsWith('https://');
  const message = https
    ? `Cannot reach ${serverName(server)} at ${server.url}: it is not running, or its certificate is not trusted by this browser. ` +
      `If it uses a self-signed certificate, open ${server.url} in a new tab, accept the certificate, then try again.`
    : `Cannot reach ${serverName(server)} at ${server.url}. Is it running? (npm start runs one for you)`;
  return new TokenError('unreachable', message, undefined, { cause, ...(https ? { certificateUrl: server.url } : {}) });
}

export function forStatus(server: ServerInfo, sessionId: string, status: number): TokenError {
  switch (status) {
    case 400:
      return new TokenError(
        'badSessionName',
        `The server rejected the session name "${sessionId}": use only letters, digits, - and _`,
        status,
      );
    case 401:
      // The secret is never echoed, not even in part: error messages end up on screen and in logs.
      return server.kind === 'openvidu'
        ? new TokenError(
            'secretRefused',
            `The OpenVidu server refused the secret. Check OPENVIDU_SECRET (the page uses a different secret than the server at ${server.url}).`,
            status,
          )
        : new TokenError(
            'unexpected',
            `The application server at ${server.url} refused the request (401 Unauthorized). It may need you to sign in first.`,
            status,
          );
    case 404:
      return new TokenError('sessionGone', `The session "${sessionId}" closed before you could join. Try again.`, status);
    default:
      return unexpectedStatus(server, status);
  }
}

export function unexpectedStatus(server: ServerInfo, status: number): TokenError {
  return new TokenError(
    'unexpected',
    `${capitalise(serverName(server))} at ${server.url} answered with status ${status}. Try again; if it keeps happening, check the server's log.`,
    status,
  );
}

export function unexpectedBody(server: ServerInfo, status: number, what: string): TokenError {
  return new TokenError(
    'unexpected',
    `${capitalise(serverName(server))} at ${server.url} answered with status ${status} but without ${what}. Is that URL really ${serverName(server)}?`,
    status,
  );
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
