// How long to wait before retrying a batch the provider did not confirm. Exponential backoff with jitter
// spreads retries from many senders; a provider's own Retry-After always wins when it asks for longer.

export interface BackoffOptions {
  readonly baseMs: number;
  readonly maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 30_000 };

/**
 * Delay before retry number `attempt` (1 = first retry): "equal jitter", half fixed and half random, so
 * the wait still grows with each attempt. `random` is in [0, 1).
 */
export function backoffDelay(
  attempt: number,
  random: number,
  options: BackoffOptions = DEFAULT_BACKOFF,
): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attempt - 1));
  const delay = ceiling / 2 + (ceiling / 2) * random;
  return Math.round(delay);
}

/** The provider's own wait (plus a little jitter) when it gave one, exponential backoff otherwise. */
export function retryDelay(
  attempt: number,
  random: number,
  retryAfterMs: number | undefined,
  options: BackoffOptions = DEFAULT_BACKOFF,
): number {
  if (retryAfterMs === undefined) return backoffDelay(attempt, random, options);
  return retryAfterMs + Math.round((random * options.baseMs) / 5);
}

/**
 * Reads the provider's wait from response headers: `retry-after` (seconds or an HTTP date) or, failing
 * that, `ratelimit-reset` (seconds until the window resets, IETF RateLimit headers as Resend sends them).
 */
export function retryAfterFromHeaders(
  headers: Readonly<Record<string, string>> | null | undefined,
  now: Date,
): number | undefined {
  if (!headers) return undefined;
  const retryAfter = headers['retry-after'];
  if (retryAfter !== undefined) {
    if (/^\d+(?:\.\d+)?$/.test(retryAfter.trim())) return Math.ceil(Number(retryAfter) * 1000);
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - now.getTime());
  }
  const reset = headers['ratelimit-reset'];
  if (reset !== undefined && /^\d+(?:\.\d+)?$/.test(reset.trim())) return Math.ceil(Number(reset) * 1000);
  return undefined;
}

const WHOLE_OR_DECIMAL = /^\d+(?:\.\d+)?$/;

/**
 * The request rate the provider announces, in requests per second: `ratelimit-limit` requests per window,
 * the window read from `ratelimit-policy` (`5;w=1`) when present, else one second (Resend's documented
 * policy is per second, and it sends the limit on every answer, accepted or not). Undefined when the
 * answer announces nothing usable (no header, zero, not a number): then the configured rate stands.
 */
export function announcedRate(
  headers: Readonly<Record<string, string>> | null | undefined,
): number | undefined {
  const limit = headers?.['ratelimit-limit']?.trim();
  if (!limit || !WHOLE_OR_DECIMAL.test(limit) || Number(limit) <= 0) return undefined;
  const window = /(?:^|;)\s*w=(\d+(?:\.\d+)?)\s*(?:;|$)/.exec(headers?.['ratelimit-policy'] ?? '')?.[1];
  const seconds = window && Number(window) > 0 ? Number(window) : 1;
  return Number(limit) / seconds;
}
