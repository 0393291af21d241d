// Test-only (reached through --test-controls): token requests the server holds before answering,
// so a browser test can cause what happens to a page's token request at the server itself: an
// answer that never comes, a token revoked before the page can use it, or a refusal of the
// page's secret. Holds are per session, so tests running side by side (each with its own
// session) never answer each other's requests. Without test controls nothing here is created.
import type { ServerResponse } from 'node:http';

/** How a held token request is answered once released. */
export type TokenAnswer = 'normally' | 'revoked' | 'wrongSecret' | 'dropped';

/** Sessions that can be held at once: a bound, since test controls still face the network. */
export const MAX_HELD_SESSIONS = 64;
/** Requests held per session; later ones are answered normally (a page asks once per join). */
export const MAX_HELD_PER_SESSION = 16;

interface Held {
  release: (answer: TokenAnswer) => void;
}

/** Is this POST /openvidu/api/sessions/<id>/connection: a page asking for a token? */
export function isTokenRequest(method: string, segments: readonly string[]): boolean {
  return method === 'POST' && segments.length === 5 && segments[0] === 'openvidu' && segments[1] === 'api' && segments[2] === 'sessions' && segments[4] === 'connection';
}

export class TokenHolds {
  /** The sessions being held, each with its requests, oldest first. */
  private readonly sessions = new Map<string, Held[]>();

  /** From now on every token request for `session` waits for `release` (or until `stop`). */
  start(session: string): boolean {
    if (!this.sessions.has(session) && this.sessions.size >= MAX_HELD_SESSIONS) return false;
    if (!this.sessions.has(session)) this.sessions.set(session, []);
    return true;
  }

  /** Holds no more for `session`; requests still held are dropped (their client gave up on them anyway). */
  stop(session: string): void {
    this.releaseAll(session, 'dropped');
    this.sessions.delete(session);
  }

  count(session: string): number {
    return this.sessions.get(session)?.length ?? 0;
  }

  /** Releases the oldest request held for `session`, to be answered as told; false when none is held. */
  release(session: string, answer: TokenAnswer): boolean {
    const next = this.sessions.get(session)?.shift();
    next?.release(answer);
    return next !== undefined;
  }

  releaseAll(session: string, answer: TokenAnswer): void {
    while (this.release(session, answer));
  }

  /** Waits, when `session` is held, until the test says how to answer this request; 'normally' otherwise. */
  async answerFor(session: string, res: ServerResponse): Promise<TokenAnswer> {
    const queue = this.sessions.get(session);
    if (!queue || queue.length >= MAX_HELD_PER_SESSION) return 'normally';
    return new Promise<TokenAnswer>((resolve) => {
      const entry: Held = { release: resolve };
      queue.push(entry);
      // A client that gives up (an aborted fetch) is no longer held.
      res.on('close', () => {
        const index = queue.indexOf(entry);
        if (index >= 0) queue.splice(index, 1);
        resolve('dropped');
      });
    });
  }
}
