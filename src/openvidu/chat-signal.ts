// A chat message from another page, in openvidu-call's convention: a `chat` signal whose data is
// the JSON string `{"message": text, "nickname": name}`. It comes from anyone in the session:
// anything malformed or oversized is dropped, and what is kept is plain, bounded text.

/** Larger signal data is not a chat message (500 characters of text fit many times over). */
const MAX_DATA_LENGTH = 8_192;
const MAX_TEXT_LENGTH = 500;
const MAX_NICKNAME_LENGTH = 50;

export function readChatSignal(data: string | undefined, fallbackNickname: string): { nickname: string; text: string } | null {
  if (typeof data !== 'string' || data.length > MAX_DATA_LENGTH) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const { message, nickname } = parsed as { message?: unknown; nickname?: unknown };
  if (typeof message !== 'string' || !message.trim()) return null;
  const name = typeof nickname === 'string' && nickname.trim() ? nickname.trim() : fallbackNickname;
  return { nickname: cut(name, MAX_NICKNAME_LENGTH), text: cut(message.trim(), MAX_TEXT_LENGTH) };
}

/** Count characters, not UTF-16 units, so an emoji is never cut in half. */
function cut(text: string, limit: number): string {
  const characters = [...text];
  return characters.length > limit ? `${characters.slice(0, limit).join('')}…` : text;
}
