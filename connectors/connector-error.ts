/** The errors connectors throw; kept apart so that every contract file can use them without import cycles. */

/** Thrown by `parse` for a payload that is not a valid platform webhook and never will be. */
export class UnparseableWebhookError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnparseableWebhookError';
  }
}

/**
 * A failed platform call.
 * - `retryable`: 429, 5xx, timeouts, connection errors. `retryAfterMs` when the platform says how long to wait.
 * - `permanent`: will fail the same way again (blocked user, invalid recipient, bad token, outside reply window).
 * `contactBlocked` marks the customer's identity as having blocked us.
 */
export class ConnectorError extends Error {
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  readonly code?: string;
  readonly contactBlocked: boolean;
  /** True when the failure is a rule of ours the agent must see (e.g. the 24-hour window), not a platform fault. */
  readonly policy: boolean;
  /**
   * The account is served by another process (a WhatsApp Web session lives in the worker holding its lock):
   * the send should be tried again, there, without counting as a failed attempt.
   */
  readonly servedElsewhere: boolean;

  constructor(
    message: string,
    opts: { retryable: boolean; retryAfterMs?: number; code?: string; contactBlocked?: boolean; policy?: boolean; servedElsewhere?: boolean },
  ) {
    super(message);
    this.name = 'ConnectorError';
    this.retryable = opts.retryable;
    this.retryAfterMs = opts.retryAfterMs;
    this.code = opts.code;
    this.contactBlocked = opts.contactBlocked ?? false;
    this.policy = opts.policy ?? false;
    this.servedElsewhere = opts.servedElsewhere ?? false;
  }

  static retryable(message: string, opts: { retryAfterMs?: number; code?: string; servedElsewhere?: boolean } = {}): ConnectorError {
    return new ConnectorError(message, { retryable: true, ...opts });
  }

  static permanent(message: string, opts: { code?: string; contactBlocked?: boolean; policy?: boolean } = {}) {
    return new ConnectorError(message, { retryable: false, ...opts });
  }
}
