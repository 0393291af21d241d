// One readable line per session or participant event ("12:00:01 session SessionA created"), so a
// person watching the terminal can follow a call. Tests pass a silent logger.
export type Logger = (line: string) => void;

function clock(): string {
  return new Date().toISOString().slice(11, 19);
}

export const consoleLogger: Logger = (line) => {
  process.stdout.write(`${clock()} ${escapeForLog(line)}\n`);
};

export const silentLogger: Logger = () => {};

// C0 and C1 controls (newlines, ESC of ANSI sequences, BEL, DEL) and the Unicode line separators.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * Text a client chose (a nickname, a path) can hold newlines and terminal escapes: written as is, it
 * would forge log lines or drive the terminal. Every control character becomes a visible escape.
 */
export function escapeForLog(text: string): string {
  return text.replace(CONTROL, (c) => NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Wraps a logger so that whatever reaches it is exactly one line with no control characters. */
export function oneLineLogger(logger: Logger): Logger {
  return (line) => logger(escapeForLog(line));
}
