// Paces requests at the rate the provider announces (its `ratelimit-limit` on every answer), never above
// DIGEST_SEND_RATE, so a provider that counts requests in any rolling one-second window never counts more
// than its limit: close to the limit, with no 429, even when the provider changes it mid-send.
import { setTimeout as sleep } from 'node:timers/promises';

export interface RateLimiter {
  /** Resolves when the next request may start. */
  acquire(): Promise<void>;
  /**
   * The request really left now (its headers went out): later than acquire() said it could, by the time it
   * took to serialise it, connect or load the HTTP client. The next request is spaced from this moment.
   */
  sent(): void;
  /** Holds every request back for `ms` (a 429 told us to wait). */
  pause(ms: number): void;
  /**
   * The provider announced its limit (requests a second): pace to it from the next request on, but never
   * faster than the configured ceiling. A lower limit applies to the requests already in the window too.
   */
  announce(perSecond: number): void;
}

export interface LimiterClock {
  now(): number;
  sleep(ms: number): Promise<unknown>;
}

const realClock: LimiterClock = { now: () => performance.now(), sleep };

// Between the moment a request leaves and its arrival at the provider lies the network, whose delay varies
// from one request to the next; and the transport may not report when a request left (the outbox does
// not). Any `rate` consecutive departures are spread over this much more than a second, so such jitter
// cannot bring `rate + 1` arrivals into one window. It costs 3% of the limit.
export const WINDOW_MARGIN_MS = 30;

// How far a start is brought forward at most for the time the request will take to leave. A lead shorter
// than the credit (a quicker request than any before it) leaves early by the difference, which the margin
// absorbs; the first leads (the client warming up) can be far longer than later ones, so the credit is
// small and bounded rather than learnt.
const MAX_LEAD_CREDIT_MS = 15;

/**
 * A request may start once the window since the departure `burst` requests ago has passed: a provider that
 * counts any rolling second (or fixed seconds) then never counts more than the rate, and a request that
 * left late costs nothing, as the next ones may follow it at once. The start is brought forward by the
 * quickest "lead" seen (the time between being allowed to start and leaving: serialising the batch), up to
 * MAX_LEAD_CREDIT_MS, so the request leaves about when the window ends.
 */
export function createRateLimiter(ceiling: number, clock: LimiterClock = realClock): RateLimiter {
  let burst = 1;
  let window = 0;
  /** When the latest `burst` requests left (until a request reports leaving, when it was allowed to start). */
  const departures: number[] = [];
  const paceAt = (perSecond: number) => {
    // A rate of 5 allows 5 requests in any second, as does 5.5 (a second holds whole requests); a rate below
    // one, one request in any 1/rate seconds.
    burst = Math.max(1, Math.floor(perSecond));
    window = Math.max(1000, 1000 / perSecond) + WINDOW_MARGIN_MS;
    if (departures.length > burst) departures.splice(0, departures.length - burst);
  };
  paceAt(ceiling);
  let lastStart = Number.NEGATIVE_INFINITY;
  /** The shortest lead seen, the first excepted (the HTTP client loads, the connection opens). */
  let quickestLead = Number.POSITIVE_INFINITY;
  let first = true;
  let pausedUntil = Number.NEGATIVE_INFINITY;
  return {
    async acquire() {
      for (;;) {
        const now = clock.now();
        const lead = Number.isFinite(quickestLead) ? Math.min(quickestLead, MAX_LEAD_CREDIT_MS) : 0;
        const opens =
          departures.length < burst ? Number.NEGATIVE_INFINITY : (departures[0] ?? 0) + window - lead;
        const due = Math.max(opens, pausedUntil);
        if (now >= due) {
          lastStart = now;
          departures.push(now);
          if (departures.length > burst) departures.shift();
          return;
        }
        await clock.sleep(due - now);
      }
    },
    sent() {
      const now = clock.now();
      if (!first) quickestLead = Math.min(quickestLead, now - lastStart);
      first = false;
      departures[departures.length - 1] = now;
    },
    pause(ms) {
      pausedUntil = Math.max(pausedUntil, clock.now() + ms);
    },
    announce(perSecond) {
      paceAt(Math.min(ceiling, perSecond));
    },
  };
}
