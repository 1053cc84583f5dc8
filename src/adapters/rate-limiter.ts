// Spaces request starts evenly at DIGEST_SEND_RATE per second, so a provider that counts requests in any
// rolling one-second window never counts more than the rate (SPEC section 16: 95% of the limit, no 429).
import { setTimeout as sleep } from 'node:timers/promises';

export interface RateLimiter {
  /** Resolves when the next request may start. */
  acquire(): Promise<void>;
  /** Holds every request back for `ms` (a 429 told us to wait). */
  pause(ms: number): void;
}

export interface LimiterClock {
  now(): number;
  sleep(ms: number): Promise<unknown>;
}

const realClock: LimiterClock = { now: () => performance.now(), sleep };

// Between the moment a request may start and its arrival at the provider lie serialisation, a garbage
// collection, the network: a few tens of milliseconds that differ from one request to the next. Any `rate`
// consecutive starts are spread over this much more than a second, so such jitter cannot bring `rate + 1`
// arrivals into one window. It costs under 5% of the limit.
export const WINDOW_MARGIN_MS = 45;

export function createRateLimiter(perSecond: number, clock: LimiterClock = realClock): RateLimiter {
  const interval = (1000 + WINDOW_MARGIN_MS) / perSecond;
  let lastStart = Number.NEGATIVE_INFINITY;
  let pausedUntil = Number.NEGATIVE_INFINITY;
  return {
    async acquire() {
      for (;;) {
        const now = clock.now();
        const due = Math.max(lastStart + interval, pausedUntil);
        // The next start is spaced from when this one really starts, not from when it was due: a timer
        // that fires late (a busy event loop) must not bring the following request closer.
        if (now >= due) {
          lastStart = now;
          return;
        }
        await clock.sleep(due - now);
      }
    },
    pause(ms) {
      pausedUntil = Math.max(pausedUntil, clock.now() + ms);
    },
  };
}
