import { describe, expect, it } from 'vitest';
import { type DigestLayout, fitToBudget, largestFitting } from '../../src/domain/size-budget.js';

/** A layout's size when a card costs `card` bytes, a row `row` and the rest of the email `base`. */
const sizeOf =
  ({ card, row, base }: { card: number; row: number; base: number }) =>
  (layout: DigestLayout) =>
    base + layout.full * card + layout.compact * row;

describe('largestFitting', () => {
  it.each([
    [0, 10, 0],
    [0, 10, 3],
    [0, 10, 10],
    [0, 1000, 517],
    [5, 9, 5],
  ])(
    'in [%i, %i] finds %i, never asking about more than twice the answer plus one',
    async (low, high, answer) => {
      const asked: number[] = [];
      const found = await largestFitting(low, high, async (n) => {
        asked.push(n);
        return n <= answer;
      });
      expect(found).toBe(answer);
      expect(Math.max(low, ...asked)).toBeLessThanOrEqual(Math.min(high, 2 * answer + 1));
    },
  );
});

describe('fitToBudget', () => {
  it.each([
    // count, card, row, base, budget, expected layout
    [5, 10_000, 500, 5_000, 90_000, { full: 5, compact: 0 }],
    [40, 10_000, 500, 5_000, 90_000, { full: 6, compact: 34 }],
    [2_500, 10_000, 500, 5_000, 90_000, { full: 0, compact: 170 }],
    [150, 10_000, 500, 5_000, 90_000, { full: 1, compact: 149 }],
    [0, 10_000, 500, 5_000, 90_000, { full: 0, compact: 0 }],
  ])(
    '%i comparisons (card %i B, row %i B, rest %i B) in %i B: %o',
    async (count, card, row, base, budget, expected) => {
      const measure = sizeOf({ card, row, base });
      const measured: number[] = [];
      const layout = await fitToBudget(count, budget, async (candidate) => {
        const size = measure(candidate);
        measured.push(size);
        return size;
      });
      expect(layout).toEqual(expected);
      expect(measure(layout)).toBeLessThanOrEqual(budget);
      // A huge week is never rendered whole: every layout tried stays near the budget.
      if (count > 32) expect(Math.max(...measured)).toBeLessThan(2 * budget + card);
    },
  );
});
