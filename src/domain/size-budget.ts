// Gmail clips messages whose HTML is over about 102 KB, hiding everything after the cut, the unsubscribe
// link included. The digest therefore fits its HTML into a budget by turning later comparisons into
// compact rows, and, past what even rows allow, into a link to the web version.

/** Target for the rendered HTML: under 90 KB, comfortably below the clipping point. */
export const HTML_BUDGET_BYTES = 90_000;
/** No digest may ever exceed this, whatever the count. */
export const HTML_HARD_LIMIT_BYTES = 100_000;

/**
 * Up to this many comparisons, the first render tries them all as cards: an ordinary week fits, and is
 * done in one render. Past it, every layout tried is grown from small ones, so no render is much larger
 * than the budget however many comparisons a week has (all of 2,500 as cards is tens of megabytes).
 */
export const EAGER_FULL_COUNT = 32;

export interface DigestLayout {
  /** Comparisons shown as full cards (the first ones: newest first). */
  readonly full: number;
  /** Comparisons after those shown as compact rows; the rest are only counted and linked. */
  readonly compact: number;
}

/**
 * The largest n in [low, high] for which fits(n) holds, given fits is monotone (true up to some n) and
 * fits(low) holds or low is the answer anyway. It gallops (low+1, low+2, low+4, ...) before it bisects,
 * so it never asks about an n more than about twice the answer: each question is a render of that size.
 */
export async function largestFitting(
  low: number,
  high: number,
  fits: (n: number) => Promise<boolean>,
): Promise<number> {
  let best = low;
  let step = 1;
  let over = high + 1;
  while (best < high) {
    const probe = Math.min(best + step, high);
    if (!(await fits(probe))) {
      over = probe;
      break;
    }
    best = probe;
    step *= 2;
  }
  let lo = best + 1;
  let hi = over - 1;
  while (lo <= hi) {
    const middle = Math.floor((lo + hi) / 2);
    if (await fits(middle)) {
      best = middle;
      lo = middle + 1;
    } else hi = middle - 1;
  }
  return best;
}

/**
 * Chooses how many full cards and compact rows fit `budget` bytes, measuring real renders: all cards if
 * they fit; otherwise as many cards as fit with every other comparison as a row; otherwise only rows, as
 * many as fit. `measure(layout)` returns the HTML size of that layout. A few renders (about twice log2 of
 * the count), none of a layout much larger than the budget unless the count is at most EAGER_FULL_COUNT.
 */
export async function fitToBudget(
  count: number,
  budget: number,
  measure: (layout: DigestLayout) => Promise<number>,
): Promise<DigestLayout> {
  const fits = async (layout: DigestLayout) => (await measure(layout)) <= budget;
  const eager = count <= EAGER_FULL_COUNT;
  if (eager && (await fits({ full: count, compact: 0 }))) return { full: count, compact: 0 };
  const rows = await largestFitting(0, count, (n) => fits({ full: 0, compact: n }));
  if (rows < count) return { full: 0, compact: rows };
  // Every card is known not to fit when the eager render said so: no need to render that layout again.
  const full = await largestFitting(0, eager ? count - 1 : count, (n) =>
    fits({ full: n, compact: count - n }),
  );
  return { full, compact: count - full };
}
