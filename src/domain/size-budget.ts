// Gmail clips messages whose HTML is over about 102 KB, hiding everything after the cut, the unsubscribe
// link included. The digest therefore fits its HTML into a budget by turning later comparisons into
// compact rows, and, past what even rows allow, into a link to the web version.

/** Target for the rendered HTML: under 90 KB, comfortably below the clipping point. */
export const HTML_BUDGET_BYTES = 90_000;
/** No digest may ever exceed this, whatever the count. */
export const HTML_HARD_LIMIT_BYTES = 100_000;

export interface DigestLayout {
  /** Comparisons shown as full cards (the first ones: newest first). */
  readonly full: number;
  /** Comparisons after those shown as compact rows; the rest are only counted and linked. */
  readonly compact: number;
}

/** The largest n in [low, high] for which fits(n) holds, given fits is monotone (true up to some n). */
async function largestFitting(
  low: number,
  high: number,
  fits: (n: number) => Promise<boolean>,
): Promise<number> {
  let best = low;
  let lo = low;
  let hi = high;
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
 * many as fit. `measure(layout)` returns the HTML size of that layout. A few renders (log2 of the count).
 */
export async function fitToBudget(
  count: number,
  budget: number,
  measure: (layout: DigestLayout) => Promise<number>,
): Promise<DigestLayout> {
  if ((await measure({ full: count, compact: 0 })) <= budget) return { full: count, compact: 0 };
  if ((await measure({ full: 0, compact: count })) <= budget) {
    const full = await largestFitting(
      0,
      count - 1,
      async (n) => (await measure({ full: n, compact: count - n })) <= budget,
    );
    return { full, compact: count - full };
  }
  const compact = await largestFitting(
    0,
    count,
    async (n) => (await measure({ full: 0, compact: n })) <= budget,
  );
  return { full: 0, compact };
}
