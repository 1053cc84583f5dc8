// Spaces request starts evenly at DIGEST_SEND_RATE per second, so a provider that counts requests in any
// rolling one-second window never counts more than the rate (SPEC section 16: 95% of the limit, no 429).
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
}

export interface LimiterClock {
  now(): number;
  sleep(ms: number): Promise<unknown>;
}

const realClock: LimiterClock = { now: () => performance.now(), sleep };

// Between the moment a request leaves and its arrival at the provider lies the network, whose delay varies
// from one request to the next; and the transport may not report when a request left (the outbox does
// not). Any `rate` consecutive starts are spread over this much more than a second, so such jitter cannot
// bring `rate + 1` arrivals into one window. It costs under 5% of the limit.
export const WINDOW_MARGIN_MS = 45;

/** How many recent leads the next one is guessed from (their minimum, so the guess errs early, not late). */
const RECENT_LEADS = 4;

export function createRateLimiter(perSecond: number, clock: LimiterClock = realClock): RateLimiter {
  const interval = (1000 + WINDOW_MARGIN_MS) / perSecond;
  /** When the latest request was allowed to start, or the equivalent moment once it is known to have left. */
  let lastStart = Number.NEGATIVE_INFINITY;
  /** The latest times between a request being allowed to start and leaving (the first excepted). */
  const leads: number[] = [];
  let first = true;
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
    sent() {
      const now = clock.now();
      // The next request is allowed to start one interval after this one left, less the shortest of the
      // latest leads, so that it leaves about one interval after this one whatever its own lead. The first
      // lead is no guide (the HTTP client loads, the connection opens): the second request is spaced from
      // when the first left.
      if (!first) leads.push(now - lastStart);
      if (leads.length > RECENT_LEADS) leads.shift();
      lastStart = first ? now : now - Math.min(...leads);
      first = false;
    },
    pause(ms) {
      pausedUntil = Math.max(pausedUntil, clock.now() + ms);
    },
  };
}
