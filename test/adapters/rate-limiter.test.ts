// Pacing against a provider that counts requests in any rolling second (docs/delivery.md, Pacing), on a
// simulated clock: timers that fire late and requests that take varying time, with no real waiting.
import { describe, expect, it } from 'vitest';
import { createRateLimiter, type LimiterClock, WINDOW_MARGIN_MS } from '../../src/adapters/rate-limiter.js';
import { seededRandom } from '../support/kill-loop.js';

/** A clock that only moves when the code under test sleeps or works; timers wake up to `lateMs` late. */
function simulatedClock(random: () => number, lateMs: number): LimiterClock & { work(ms: number): void } {
  let time = 0;
  return {
    now: () => time,
    sleep: async (ms) => {
      time += ms + random() * lateMs;
    },
    work: (ms) => {
      time += ms;
    },
  };
}

/** Starts `count` requests one after another, as the sender does, each taking `work()` ms after it starts. */
async function starts(
  rate: number,
  count: number,
  clock: ReturnType<typeof simulatedClock>,
  work: () => number,
) {
  const limiter = createRateLimiter(rate, clock);
  const times: number[] = [];
  for (let request = 0; request < count; request++) {
    await limiter.acquire();
    times.push(clock.now());
    clock.work(work());
  }
  return times;
}

/** The most starts inside any one-second window (a window opening at each start is the worst case). */
function busiestSecond(times: readonly number[]): number {
  return Math.max(
    ...times.map((start) => times.filter((time) => time >= start && time < start + 1000).length),
  );
}

describe('createRateLimiter', () => {
  it.each([
    [2, 0],
    [5, 0],
    [2, 80],
    [5, 80],
    [0.5, 30],
    [7.5, 50],
  ])(
    'at %s a second, with timers up to %s ms late, never starts more than that in any second',
    async (rate, lateMs) => {
      const random = seededRandom(rate * 100 + lateMs);
      const clock = simulatedClock(random, lateMs);
      const times = await starts(rate, 200, clock, () => random() * (1000 / rate) * 1.5);
      expect(busiestSecond(times)).toBeLessThanOrEqual(Math.max(1, Math.floor(rate)));
    },
  );

  it('leaves any rate consecutive starts spread over more than a second by the jitter margin', async () => {
    const clock = simulatedClock(() => 0, 0);
    const times = await starts(5, 50, clock, () => 10);
    const spans = times.slice(5).map((time, index) => time - (times[index] ?? 0));
    expect(Math.min(...spans)).toBeGreaterThanOrEqual(1000 + WINDOW_MARGIN_MS - 1e-9);
  });

  it('uses at least 95% of the limit when nothing else holds requests back', async () => {
    for (const rate of [2, 5]) {
      const clock = simulatedClock(() => 0, 0);
      const times = await starts(rate, 101, clock, () => 20);
      const achieved = (100 * 1000) / ((times.at(-1) ?? 0) - (times[0] ?? 0));
      expect(achieved / rate).toBeGreaterThanOrEqual(0.95);
    }
  });

  it('spaces requests by when they really leave, however long the first takes to go', async () => {
    const random = seededRandom(11);
    const clock = simulatedClock(random, 20);
    const limiter = createRateLimiter(2, clock);
    const left: number[] = [];
    for (let request = 0; request < 60; request++) {
      await limiter.acquire();
      // Serialising and connecting: 400 ms for the first request (the HTTP client loads), 20-50 ms after.
      clock.work(request === 0 ? 400 : 20 + random() * 30);
      limiter.sent();
      left.push(clock.now());
      clock.work(50 + random() * 200);
    }
    expect(busiestSecond(left)).toBeLessThanOrEqual(2);
    const achieved = ((left.length - 1) * 1000) / ((left.at(-1) ?? 0) - (left[0] ?? 0));
    expect(achieved / 2).toBeGreaterThanOrEqual(0.9);
  });

  it.each([2, 5])(
    'at %s a second, keeps any rate consecutive departures a second and the margin apart, however their time to leave varies',
    async (rate) => {
      const random = seededRandom(rate * 7);
      const clock = simulatedClock(random, 15);
      const limiter = createRateLimiter(rate, clock);
      const left: number[] = [];
      for (let request = 0; request < 300; request++) {
        await limiter.acquire();
        // Serialising: usually 5-25 ms, but a collection now and then holds it up to 150 ms, so a quick
        // request often follows slow ones.
        clock.work(random() < 0.2 ? 60 + random() * 90 : 5 + random() * 20);
        limiter.sent();
        left.push(clock.now());
        clock.work(30 + random() * 40);
      }
      const spans = left.slice(rate).map((time, index) => time - (left[index] ?? 0));
      expect(Math.min(...spans)).toBeGreaterThanOrEqual(1000 + WINDOW_MARGIN_MS - 1e-9);
      const achieved = ((left.length - 1) * 1000) / ((left.at(-1) ?? 0) - (left[0] ?? 0));
      expect(achieved / rate).toBeGreaterThanOrEqual(0.9);
    },
  );

  it('paces to the limit the provider announces, under the ceiling, and follows it when it changes', async () => {
    const clock = simulatedClock(() => 0, 0);
    const limiter = createRateLimiter(5, clock);
    const left: number[] = [];
    // The provider says 2 a second for 40 requests, then 5, then 9 (above the ceiling of 5).
    for (let request = 0; request < 150; request++) {
      await limiter.acquire();
      clock.work(10);
      limiter.sent();
      left.push(clock.now());
      clock.work(40);
      limiter.announce(request < 40 ? 2 : request < 100 ? 5 : 9);
    }
    const slow = left.slice(1, 40);
    const fast = left.slice(45);
    expect(busiestSecond(slow)).toBeLessThanOrEqual(2);
    expect(busiestSecond(left.slice(40))).toBeLessThanOrEqual(5);
    const rate = (times: readonly number[]) =>
      ((times.length - 1) * 1000) / ((times.at(-1) ?? 0) - (times[0] ?? 0));
    expect(rate(slow) / 2).toBeGreaterThanOrEqual(0.95);
    expect(rate(fast) / 5).toBeGreaterThanOrEqual(0.95);
  });

  it('applies a lowered limit to the requests already in the window', async () => {
    const clock = simulatedClock(() => 0, 0);
    const limiter = createRateLimiter(5, clock);
    const left: number[] = [];
    for (let request = 0; request < 20; request++) {
      await limiter.acquire();
      limiter.sent();
      left.push(clock.now());
      clock.work(10);
      if (request === 4) limiter.announce(2);
    }
    expect(busiestSecond(left.slice(3))).toBeLessThanOrEqual(2);
  });

  it('holds every request back while paused (a 429 said how long to wait)', async () => {
    const clock = simulatedClock(() => 0, 0);
    const limiter = createRateLimiter(5, clock);
    await limiter.acquire();
    limiter.pause(3000);
    await limiter.acquire();
    expect(clock.now()).toBeGreaterThanOrEqual(3000);
  });
});
