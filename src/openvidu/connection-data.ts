// What a connection says about the person behind it, from the connection data the server relays.
// In OpenVidu that data is whatever the other page passed to connect(), joined with the server's
// own data by "%/%". Three shapes are in use: the tutorial's `{"clientData": nickname}`,
// openvidu-call 2.x's `{"clientData", "participantId", "type": "CAMERA" | "SCREEN"}` (one person
// may hold a camera and a screen connection with the same participantId), and either of those
// followed by `%/%` and server data. It comes from another person's page: treat it as untrusted
// text, and never fail on it.

export const UNNAMED_PARTICIPANT = 'Unnamed participant';
const DISPLAY_LIMIT = 50;
/** openvidu-call names a person's screen connection `<nickname>_SCREEN`. */
const SCREEN_SUFFIX = '_SCREEN';

export type ConnectionType = 'CAMERA' | 'SCREEN';

export interface ConnectionInfo {
  nickname: string;
  /** Groups one person's connections (camera and screen); null when the data has none. */
  participantId: string | null;
  type: ConnectionType;
}

/** What our page sends as its own connection data: openvidu-call's camera shape, which the tutorial's page reads too. */
export function cameraConnectionData(nickname: string, participantId: string): { clientData: string; participantId: string; type: ConnectionType } {
  return { clientData: nickname, participantId, type: 'CAMERA' };
}

/** Our screen connection's data, openvidu-call's shape: the same participantId as our camera's. */
export function screenConnectionData(nickname: string, participantId: string): { clientData: string; participantId: string; type: ConnectionType } {
  return { clientData: `${nickname}${SCREEN_SUFFIX}`, participantId, type: 'SCREEN' };
}

/** A participant id as openvidu-call makes one: random, the same for all of a person's connections. */
export function newParticipantId(): string {
  return Math.random().toString(32).replace('.', '_');
}

export function readConnectionData(data: string | undefined | null): ConnectionInfo {
  const unknown: ConnectionInfo = { nickname: UNNAMED_PARTICIPANT, participantId: null, type: 'CAMERA' };
  if (!data) return unknown;
  const clientPart = data.split('%/%')[0] ?? '';
  let parsed: unknown;
  try {
    parsed = JSON.parse(clientPart);
  } catch {
    return unknown;
  }
  if (typeof parsed !== 'object' || parsed === null) return unknown;
  const { clientData, participantId, type } = parsed as { clientData?: unknown; participantId?: unknown; type?: unknown };
  let nickname = typeof clientData === 'string' ? clientData.trim() : '';
  const screen = type === 'SCREEN';
  if (screen && nickname.endsWith(SCREEN_SUFFIX)) nickname = nickname.slice(0, -SCREEN_SUFFIX.length).trim();
  return {
    nickname: nickname ? shorten(nickname) : UNNAMED_PARTICIPANT,
    participantId: typeof participantId === 'string' && participantId.length > 0 && participantId.length <= 100 ? participantId : null,
    type: screen ? 'SCREEN' : 'CAMERA',
  };
}

export function nicknameFromConnectionData(data: string | undefined | null): string {
  return readConnectionData(data).nickname;
}

/** Count characters, not UTF-16 units, so an emoji is never cut in half. */
function shorten(nickname: string): string {
  const characters = [...nickname];
  return characters.length > DISPLAY_LIMIT ? `${characters.slice(0, DISPLAY_LIMIT).join('')}…` : nickname;
}
