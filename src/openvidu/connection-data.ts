// A remote participant's nickname, from the connection data the server relays. In OpenVidu that
// data is whatever the other page passed to connect() (here `{"clientData": nickname}`), joined
// with the server's own data by "%/%". It comes from another person's page: treat it as untrusted
// text, and never fail on it.

export const UNNAMED_PARTICIPANT = 'Unnamed participant';
const DISPLAY_LIMIT = 50;

export function nicknameFromConnectionData(data: string | undefined | null): string {
  if (!data) return UNNAMED_PARTICIPANT;
  const clientPart = data.split('%/%')[0] ?? '';
  let parsed: unknown;
  try {
    parsed = JSON.parse(clientPart);
  } catch {
    return UNNAMED_PARTICIPANT;
  }
  const clientData = (parsed as { clientData?: unknown } | null)?.clientData;
  if (typeof clientData !== 'string') return UNNAMED_PARTICIPANT;
  const nickname = clientData.trim();
  if (!nickname) return UNNAMED_PARTICIPANT;
  // Count characters, not UTF-16 units, so an emoji is never cut in half.
  const characters = [...nickname];
  return characters.length > DISPLAY_LIMIT ? `${characters.slice(0, DISPLAY_LIMIT).join('')}…` : nickname;
}
