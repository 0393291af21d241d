import { TokenError } from './token-error.ts';

// What a failed token request tells the person, then the operator. The person reads the first
// sentence (what happened to them, what they can do); the hint after "For the site's operator:"
// names the server and the config.json setting to check. The secret is never echoed.

/** What `npm start` runs: only then is "npm start runs one for you" a true hint. */
export const DEFAULT_LOCAL_OPENVIDU_URL = 'http://localhost:4443';
const OPERATOR = "For the site's operator:";

// Which server the page was asking: the sentences differ (only the OpenVidu server knows a
// secret, and only our own `npm start` runs one for you).
export interface ServerInfo {
  kind: 'openvidu' | 'application-server';
  url: string;
}

function serverName(server: ServerInfo): string {
  return server.kind === 'openvidu' ? 'the OpenVidu server' : 'the application server';
}

/** The config.json setting that names this server. */
function setting(server: ServerInfo): string {
  return server.kind === 'openvidu' ? 'openviduUrl' : 'applicationServerUrl';
}

function isDefaultLocalServer(server: ServerInfo): boolean {
  return server.kind === 'openvidu' && server.url.replace(/\/+$/, '') === DEFAULT_LOCAL_OPENVIDU_URL;
}

export function unreachable(server: ServerInfo, cause: unknown): TokenError {
  // A browser reports an untrusted certificate exactly like a server that is down (a TypeError
  // with no detail), so for https the only honest thing is to name both, and say how to trust it.
  const https = server.url.startsWith('https://');
  const message = https
    ? `You cannot join right now: the call service cannot be reached from this browser. Try again in a moment. ` +
      `${OPERATOR} ${serverName(server)} at ${server.url} is not running, or its certificate is not trusted by this browser. ` +
      `If it uses a self-signed certificate, open ${server.url} in a new tab, accept the certificate, then try again.`
    : `You cannot join right now: the call service is not answering. Try again in a moment. ` +
      `${OPERATOR} nothing answered at ${server.url} (${serverName(server)}); check that it is running and that ${setting(server)} in config.json points at it.` +
      (isDefaultLocalServer(server) ? ' npm start runs one for you.' : '');
  return new TokenError('unreachable', message, undefined, { cause, ...(https ? { certificateUrl: server.url } : {}) });
}

export function forStatus(server: ServerInfo, sessionId: string, status: number): TokenError {
  switch (status) {
    case 400:
      return new TokenError('badSessionName', `The session name "${sessionId}" was refused: use only letters, digits, - and _.`, status);
    case 401:
      // The secret is never echoed, not even in part: error messages end up on screen and in logs.
      return server.kind === 'openvidu'
        ? new TokenError(
            'secretRefused',
            `You cannot join: the call service refused this page's credentials. ` +
              `${OPERATOR} the OpenVidu server at ${server.url} refused the secret; check openviduSecret in config.json against the server's OPENVIDU_SECRET.`,
            status,
          )
        : new TokenError(
            'unexpected',
            `You cannot join: the call service refused the request. You may need to sign in first. ` +
              `${OPERATOR} the application server at ${server.url} answered 401 Unauthorized.`,
            status,
          );
    case 404:
      return new TokenError('sessionGone', `The session "${sessionId}" closed before you could join. Try again.`, status);
    case 502:
    case 503:
    case 504:
      if (server.kind === 'application-server') {
        return new TokenError(
          'unreachable',
          `You cannot join right now: the call service is not available. Try again in a moment. ` +
            `${OPERATOR} the application server at ${server.url} answered ${status}: it could not reach OpenVidu; check OPENVIDU_URL and that OpenVidu is running.`,
          status,
        );
      }
      return unexpectedStatus(server, status);
    default:
      return unexpectedStatus(server, status);
  }
}

export function unexpectedStatus(server: ServerInfo, status: number): TokenError {
  return new TokenError(
    'unexpected',
    `Something went wrong on the call service, so you could not join. Try again; if it keeps happening, tell the site's operator. ` +
      `${OPERATOR} ${serverName(server)} at ${server.url} answered with status ${status}; check its log.`,
    status,
  );
}

export function unexpectedBody(server: ServerInfo, status: number, what: string): TokenError {
  return new TokenError(
    'unexpected',
    `Something went wrong on the call service, so you could not join. ` +
      `${OPERATOR} ${serverName(server)} at ${server.url} answered with status ${status} but without ${what}; ` +
      `check that ${setting(server)} in config.json really is ${serverName(server)}.`,
    status,
  );
}
