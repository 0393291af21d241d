// The letters on a name card: the first letter of the first two words ("Ada Lovelace" → "AL"),
// or of the one word. Works on any script (first code point, not first UTF-16 unit).
export function initialsOf(nickname: string): string {
  const words = nickname.trim().split(/\s+/).filter(Boolean);
  const first = (word: string) => [...word][0]?.toLocaleUpperCase() ?? '';
  return words.slice(0, 2).map(first).join('') || '?';
}
