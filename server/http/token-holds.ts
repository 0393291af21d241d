// Test-only (reached through --test-controls): token requests the server holds before answering,
// so a browser test can cause what happens to a page's token request at the server itself: an
// answer that never comes, a token revoked before the page can use it, or a refusal of the
// page's secret. Without test controls nothing here is ever created.
import type { IncomingMessage, ServerResponse } from 'node:http';

/** How a held token request is answered once released. */
export type TokenAnswer = 'normally' | 'revoked' | 'wrongSecret' | 'dropped';

interface Held {
  res: ServerResponse;
  release: (answer: TokenAnswer) => void;
}

/** Is this POST /openvidu/api/sessions/<id>/connection: a page asking for a token? */
export function isTokenRequest(method: string, segments: readonly string[]): boolean {
  return method === 'POST' && segments.length === 5 && segments[0] === 'openvidu' && segments[1] === 'api' && segments[2] === 'sessions' && segments[4] === 'connection';
}

export class TokenHolds {
  private holding = false;
  private readonly held: Held[] = [];
  private readonly answers = new WeakMap<IncomingMessage, TokenAnswer>();

  /** From now on every token request waits for `release` (or until `stop`). */
  start(): void {
    this.holding = true;
  }

  /** Holds no more; requests still held are dropped (their client gave up on them anyway). */
  stop(): void {
    this.holding = false;
    this.releaseAll('dropped');
  }

  get count(): number {
    return this.held.length;
  }

  /** Releases the oldest held request, to be answered as told; false when none is held. */
  release(answer: TokenAnswer): boolean {
    const next = this.held.shift();
    next?.release(answer);
    return next !== undefined;
  }

  releaseAll(answer: TokenAnswer): void {
    while (this.release(answer));
  }

  /** Waits, when holding, until the test says how to answer this request; 'normally' otherwise. */
  async answerFor(req: IncomingMessage, res: ServerResponse): Promise<TokenAnswer> {
    if (!this.holding) return 'normally';
    const answer = await new Promise<TokenAnswer>((resolve) => {
      const entry: Held = { res, release: resolve };
      this.held.push(entry);
      // A client that gives up (an aborted fetch) is no longer held.
      res.on('close', () => {
        const index = this.held.indexOf(entry);
        if (index >= 0) this.held.splice(index, 1);
        resolve('dropped');
      });
    });
    this.answers.set(req, answer);
    return answer;
  }

  /** How the route should answer this request (after answerFor). */
  answerOf(req: IncomingMessage): TokenAnswer {
    return this.answers.get(req) ?? 'normally';
  }
}
