// One readable line per session or participant event ("12:00:01 session SessionA created"), so a
// person watching the terminal can follow a call. Tests pass a silent logger.
export type Logger = (line: string) => void;

function clock(): string {
  return new Date().toISOString().slice(11, 19);
}

export const consoleLogger: Logger = (line) => {
  process.stdout.write(`${clock()} ${line}\n`);
};

export const silentLogger: Logger = () => {};
