// Identifier shapes copied from OpenVidu CE (IdentifierPrefixes / RandomIdGenerator), so clients and
// logs look the same as against the real server: prefix + one upper-case letter + alphanumerics.
import { randomBytes, randomInt } from 'node:crypto';

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const ALNUM = `${UPPER}abcdefghijklmnopqrstuvwxyz0123456789`;

function pick(alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

function prefixed(prefix: string, tail: number): string {
  return `${prefix}${pick(UPPER, 1)}${pick(ALNUM, tail)}`;
}

export const newSessionId = (): string => prefixed('ses_', 9);
export const newConnectionId = (): string => prefixed('con_', 9);
export const newTokenId = (): string => prefixed('tok_', 15);

/** streamId ends with the publisher's connectionId: the browser and the server both recover the owner from it. */
export function newStreamId(typeOfVideo: string | undefined, hasVideo: boolean, connectionId: string): string {
  const kind = hasVideo ? (typeOfVideo ?? 'CAMERA').slice(0, 3).toUpperCase() : 'MIC';
  return `str_${kind}_${pick(UPPER, 1)}${pick(ALNUM, 3)}_${connectionId}`;
}

/** The Kurento JSON-RPC session id (130 random bits in base 32); the browser presents it again on `connect`. */
export function newRpcSessionId(): string {
  return BigInt(`0x${randomBytes(17).toString('hex')}`).toString(32);
}

/** Custom session ids follow the real server's rule; anything else (slashes, dots, %) is refused. */
export const SESSION_ID_PATTERN = /^[a-zA-Z0-9_-]{1,100}$/;
