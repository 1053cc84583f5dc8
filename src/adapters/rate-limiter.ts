// Spaces request starts evenly at DIGEST_SEND_RATE per second. Even spacing rather than bursts keeps a
// provider's sliding-window limiter from ever counting more than the rate in any one-second window.
import { setTimeout as sleep } from 'node:timers/promises';

export interface RateLimiter {
  /** Resolves when the next request may start. */
  acquire(): Promise<void>;
  /** Holds every request back for `ms` (a 429 told us to wait). */
  pause(ms: number): void;
}

// Starts are spaced 3% wider than 1/rate: a provider counting arrivals in a sliding one-second window sees
// our requests shifted by network jitter, and exactly 1/rate spacing would put rate + 1 in some windows.
const JITTER_MARGIN = 1.03;

export function createRateLimiter(
  perSecond: number,
  now: () => number = () => performance.now(),
): RateLimiter {
  const interval = (1000 / perSecond) * JITTER_MARGIN;
  let nextStart = 0;
  return {
    async acquire() {
      const current = now();
      const start = Math.max(current, nextStart);
      nextStart = start + interval;
      if (start > current) await sleep(start - current);
    },
    pause(ms) {
      nextStart = Math.max(nextStart, now() + ms);
    },
  };
}
