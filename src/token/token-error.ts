export type TokenErrorKind = 'unreachable' | 'secretRefused' | 'badSessionName' | 'sessionGone' | 'unexpected';

// One class with a `kind` (rather than a subclass per failure) so the call machine can keep the
// error in its context as plain data and pick the failure state with a switch.
export class TokenError extends Error {
  override readonly name = 'TokenError';

  constructor(
    readonly kind: TokenErrorKind,
    message: string,
    readonly status?: number,
    options?: ErrorOptions & { certificateUrl?: string },
  ) {
    super(message, options);
    if (options?.certificateUrl) this.certificateUrl = options.certificateUrl;
  }

  /** Where to accept the server's certificate, when an untrusted one may be the cause. */
  readonly certificateUrl?: string;
}
