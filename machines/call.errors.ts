// Turning what went wrong into error records a person can act on. Pure functions: the actors in
// src/ already give most errors a kind and a message; these cover what arrives without one, and
// the reasons OpenVidu gives when a call ends without the person asking for it.
import { CALL_ERROR_KINDS, type CallError, type CallErrorKind, type JoinFormProblem } from './call.types.ts';

export const NICKNAME_MAX_LENGTH = 50;
const SESSION_NAME = /^[a-zA-Z0-9_-]+$/;

/** Why a join form cannot be sent as it is (the first field to fix), or null when it can. */
export function joinFormProblem(sessionName: string, nickname: string): JoinFormProblem | null {
  const name = sessionName.trim();
  const nick = nickname.trim();
  if (!name) return { field: 'sessionName', message: 'Enter a session name.' };
  if (!SESSION_NAME.test(name)) {
    return { field: 'sessionName', message: 'A session name may use only letters, digits, - and _.' };
  }
  if (!nick) return { field: 'nickname', message: 'Enter a nickname.' };
  if ([...nick].length > NICKNAME_MAX_LENGTH) {
    return { field: 'nickname', message: `A nickname may be at most ${NICKNAME_MAX_LENGTH} characters.` };
  }
  return null;
}

export const CHAT_MESSAGE_MAX_LENGTH = 500;

/** Why a chat message cannot be sent as it is, or null when it can. */
export function chatMessageProblem(text: string): string | null {
  if (!text.trim()) return 'Type a message first.';
  if ([...text].length > CHAT_MESSAGE_MAX_LENGTH) return `A message may be at most ${CHAT_MESSAGE_MAX_LENGTH} characters.`;
  return null;
}

/**
 * How long the call waits for a lost connection to come back before it ends it, unless the
 * operator set another wait (config.json's `reconnectWindowSeconds`, see src/config.ts).
 */
export const RECONNECT_WINDOW_MS = 30_000;

/** The call gave up waiting for the connection (the library alone would retry for a very long time). */
export function reconnectTimedOut(waitMs: number): CallError {
  const seconds = waitMs / 1000;
  return {
    kind: 'reconnectTimedOut',
    message: `Your connection to the call was lost and did not come back within ${seconds} second${seconds === 1 ? '' : 's'}. Rejoin when your network is back.`,
  };
}

/** The same, for the default wait. */
export const RECONNECT_TIMED_OUT: CallError = reconnectTimedOut(RECONNECT_WINDOW_MS);

/** No token came within the step's time (an HTTP request has no timeout of its own). */
export const TOKEN_TIMED_OUT: CallError = {
  kind: 'unreachable',
  message: 'The OpenVidu server did not answer in time. Check that it is running and try again.',
};

/** The connection did not open within the step's time (the OpenVidu library keeps retrying a socket that cannot open). */
export const CONNECT_TIMED_OUT: CallError = {
  kind: 'connectFailed',
  message: 'Could not connect to the call: the server did not answer in time. Try again.',
};

/** In the call with nothing published: by choice, or after "join without it" left nothing. */
export const JOINED_WITHOUT_DEVICES_NOTICE = 'You joined without camera and microphone.';

/** The server unpublished our stream (forceUnpublish); we stay in the call. */
export const UNPUBLISHED_BY_SERVER_NOTICE = 'The server stopped publishing your camera and microphone.';

const isCallErrorKind = (kind: string): kind is CallErrorKind => (CALL_ERROR_KINDS as readonly string[]).includes(kind);

/** An actor's rejection as an error record; anything unrecognised becomes `unexpected`. */
export function toCallError(error: unknown): CallError {
  if (typeof error === 'object' && error !== null) {
    const { kind, message } = error as { kind?: unknown; message?: unknown };
    if (typeof kind === 'string' && isCallErrorKind(kind) && typeof message === 'string') {
      // Copied field by field: the rejection may be an Error instance, and context keeps plain data.
      const { device, certificateUrl } = error as { device?: CallError['device']; certificateUrl?: unknown };
      return {
        kind,
        message,
        ...(device ? { device } : {}),
        // Shown as a link, so only ever an https address (never javascript: or the like).
        ...(typeof certificateUrl === 'string' && certificateUrl.startsWith('https://') ? { certificateUrl } : {}),
      };
    }
    if (typeof message === 'string' && message) return { kind: 'unexpected', message };
  }
  return { kind: 'unexpected', message: `Something unexpected went wrong: ${String(error)}` };
}

/** OpenVidu's `sessionDisconnected` reasons, for a call that ended without the person leaving. */
export function disconnectError(reason: string): CallError {
  switch (reason) {
    case 'networkDisconnect':
      return {
        kind: 'networkDisconnect',
        message: 'Your connection to the call was lost and could not be restored. Rejoin when your network is back.',
      };
    case 'forceDisconnectByServer':
      return { kind: 'forceDisconnectByServer', message: 'The server removed you from the call.' };
    case 'forceDisconnectByUser':
      return { kind: 'forceDisconnectByUser', message: 'A moderator removed you from the call.' };
    case 'sessionClosedByServer':
      return { kind: 'sessionClosedByServer', message: 'The call was closed by the server.' };
    default:
      return { kind: 'disconnected', message: `The call ended (${reason || 'no reason given'}).` };
  }
}

export const CONNECTION_UNSTABLE_NOTICE = 'Your connection is unstable; the call is trying to recover.';

/**
 * A `session.exception` that is not about a remote stream (those go to the stream's own actor),
 * as a notice: the call goes on, so the words say what it means for the person.
 */
export function exceptionNotice(name: string, message: string): string {
  switch (name) {
    case 'ICE_CONNECTION_DISCONNECTED':
      return CONNECTION_UNSTABLE_NOTICE;
    case 'ICE_CONNECTION_FAILED':
      return 'Others may not see or hear you: your media connection failed. Leave and rejoin if it does not come back.';
    case 'ICE_CANDIDATE_ERROR':
      return 'The server refused a network route for your media; the call may be unstable.';
    default:
      return message ? `Something went wrong in the call: ${message}` : `Something went wrong in the call (${name}).`;
  }
}
