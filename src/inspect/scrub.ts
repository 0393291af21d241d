// What the inspector is sent is plain JSON with no credential in it: the OpenVidu secret and
// every token are masked wherever they appear (an event's output, an actor's input, a snapshot,
// an error message).
export const MASK = '***';

/** Keys whose values are credentials, whatever they hold. */
const SECRET_KEYS = /^(token|secret|openviduSecret|password|authorization)$/i;
/** An OpenVidu token (`ws://host?sessionId=…&token=tok_…`), or a bare token id. */
const TOKEN_PARAM = /([?&]token=)[^&\s"'#]+/g;
const TOKEN_ID = /\btok_[A-Za-z0-9_-]+/g;

/** A deep copy of `value` as plain JSON, with every secret and token masked. */
export function scrub<T>(value: T, secrets: readonly string[]): T {
  const known = secrets.filter((s) => s.length > 0);
  const maskString = (text: string): string => {
    let out = text.replace(TOKEN_PARAM, `$1${MASK}`).replace(TOKEN_ID, MASK);
    for (const secret of known) out = out.split(secret).join(MASK);
    return out;
  };
  const seen = new WeakSet<object>();
  const visit = (input: unknown, key: string | null): unknown => {
    if (key !== null && SECRET_KEYS.test(key) && input !== null && input !== undefined && input !== false) return MASK;
    if (typeof input === 'string') return maskString(input);
    if (typeof input === 'function') return { type: input.name || 'function' };
    if (typeof input !== 'object' || input === null) return typeof input === 'bigint' ? String(input) : input;
    if (seen.has(input)) return '[Circular]';
    seen.add(input);
    try {
      const withJson = input as { toJSON?: () => unknown };
      if (typeof withJson.toJSON === 'function' && !(input instanceof Date)) return visit(withJson.toJSON(), key);
      if (input instanceof Date) return input.toISOString();
      if (Array.isArray(input)) return input.map((item) => visit(item, null));
      const out: Record<string, unknown> = {};
      // An Error's name and message are not enumerable; keep them, they are what a person reads.
      if (input instanceof Error) {
        out.name = input.name;
        out.message = visit(input.message, 'message');
      }
      for (const [k, v] of Object.entries(input)) {
        if (v === undefined) continue;
        out[k] = visit(v, k);
      }
      return out;
    } finally {
      seen.delete(input);
    }
  };
  return visit(value, null) as T;
}
