// The /api/votes.json cache: one count per refresh interval however many requests arrive, and a vote
// recorded here never hidden behind a count begun before it.
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/domain/clock.js';
import type { ComparisonTally } from '../../src/domain/vote-tally.js';
import { createVotesCache, TALLY_REFRESH_MS } from '../../src/web/public/votes-api.js';

const tally = (ship: number): ComparisonTally[] => [
  {
    slug: 'a-vs-b',
    title: 'A vs B',
    tools: [{ slug: 'a', ship, skip: 0 }],
    updatedAt: '2026-11-26T09:00:00.000Z',
  },
];

/** A tallies source that answers only when told to, counting how often it was asked. */
function gatedTallies() {
  const pending: ((value: ComparisonTally[]) => void)[] = [];
  return {
    source: () => new Promise<ComparisonTally[]>((resolve) => pending.push(resolve)),
    asked: () => pending.length,
    answer: (index: number, ship: number) => pending[index]?.(tally(ship)),
  };
}

describe('the votes cache', () => {
  it('counts once for requests that arrive together and serves that count until it is a refresh old', async () => {
    const clock = fixedClock(new Date('2026-11-26T10:00:00Z'));
    const tallies = gatedTallies();
    const cache = createVotesCache(clock, tallies.source);
    const first = cache.get();
    const second = cache.get();
    expect(tallies.asked()).toBe(1);
    tallies.answer(0, 3);
    const [a, b] = await Promise.all([first, second]);
    expect(a).toBe(b);
    expect(JSON.parse(a.body).comparisons[0].tools).toEqual([{ slug: 'a', ship: 3, skip: 0 }]);
    expect(a.etag).toMatch(/^"[\w-]+"$/);

    clock.advance(TALLY_REFRESH_MS - 1);
    expect(await cache.get()).toBe(a);
    expect(tallies.asked()).toBe(1);

    clock.advance(1);
    const refreshed = cache.get();
    expect(tallies.asked()).toBe(2);
    tallies.answer(1, 4);
    const c = await refreshed;
    expect(JSON.parse(c.body).comparisons[0].tools[0].ship).toBe(4);
    expect(c.etag).not.toBe(a.etag);
  });

  it('after a vote, counts again and never keeps a count that began before it', async () => {
    const clock = fixedClock(new Date('2026-11-26T10:00:00Z'));
    const tallies = gatedTallies();
    const cache = createVotesCache(clock, tallies.source);
    const stale = cache.get();
    cache.invalidate();
    const fresh = cache.get();
    expect(tallies.asked()).toBe(2);
    // The fresh count finishes first; the one begun before the vote must not replace it.
    tallies.answer(1, 5);
    expect(JSON.parse((await fresh).body).comparisons[0].tools[0].ship).toBe(5);
    tallies.answer(0, 4);
    await stale;
    expect(JSON.parse((await cache.get()).body).comparisons[0].tools[0].ship).toBe(5);
    expect(tallies.asked()).toBe(2);
  });

  it('counts again when a count fails, rather than serving the failure', async () => {
    const clock = fixedClock(new Date('2026-11-26T10:00:00Z'));
    let calls = 0;
    const cache = createVotesCache(clock, async () => {
      calls++;
      if (calls === 1) throw new Error('database is locked');
      return tally(1);
    });
    await expect(cache.get()).rejects.toThrow('database is locked');
    expect(JSON.parse((await cache.get()).body).comparisons[0].tools[0].ship).toBe(1);
    expect(calls).toBe(2);
  });
});
