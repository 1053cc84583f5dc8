import { describe, expect, it } from 'vitest';
import { editionStats, rate } from '../../src/domain/edition-stats.js';

describe('rate', () => {
  it.each([
    [1, 3, 0.3333],
    [2, 3, 0.6667],
    [0, 5, 0],
    [5, 5, 1],
    [1, 0, null],
  ])('%i of %i -> %j', (part, whole, expected) => {
    expect(rate(part, whole)).toBe(expected);
  });
});

describe('editionStats', () => {
  it('derives sent, failed, bounces and rates from the ledger and the event counts', () => {
    const stats = editionStats({
      week: '2026-W47',
      status: 'sent',
      ledger: { sent: 10, failed: 1, skipped: 4 },
      events: [
        { type: 'delivered', kind: null, events: 8, readers: 8 },
        { type: 'failed', kind: null, events: 1, readers: 1 },
        { type: 'bounced', kind: 'permanent', events: 1, readers: 1 },
        { type: 'bounced', kind: 'transient', events: 1, readers: 1 },
        { type: 'bounced', kind: 'undetermined', events: 1, readers: 1 },
        { type: 'opened', kind: null, events: 9, readers: 4 },
        { type: 'clicked', kind: 'human', events: 5, readers: 2 },
        { type: 'clicked', kind: 'machine', events: 7, readers: 2 },
        { type: 'clicked', kind: 'personal', events: 1, readers: 1 },
        { type: 'unsubscribed', kind: null, events: 1, readers: 1 },
      ],
      comparisons: [
        { slug: 'a', title: 'A' },
        { slug: 'b', title: 'B' },
      ],
      comparisonClicks: [{ slug: 'b', clicks: 3, clickers: 2 }],
    });
    expect(stats).toEqual({
      week: '2026-W47',
      status: 'sent',
      eligible: 11,
      sent: 9,
      failed: 2,
      delivered: 8,
      delayed: 0,
      bounced: { permanent: 1, transient: 2 },
      complained: 0,
      suppressed: 0,
      unsubscribed: 1,
      opened: 4,
      clicked: 2,
      clicks: 5,
      machineClicks: 7,
      voters: 0,
      votes: 0,
      rates: {
        delivered: 0.8889,
        bounced: 0.3333,
        complained: 0,
        unsubscribed: 0.125,
        opened: 0.5,
        clicked: 0.25,
      },
      comparisons: [
        { slug: 'a', title: 'A', clicks: 0, clickers: 0, votes: 0 },
        { slug: 'b', title: 'B', clicks: 3, clickers: 2, votes: 0 },
      ],
    });
  });

  it('has no rates for an edition that delivered nothing', () => {
    const stats = editionStats({
      week: '2026-W46',
      status: 'skipped',
      ledger: {},
      events: [],
      comparisons: [],
      comparisonClicks: [],
    });
    expect(stats.eligible).toBe(0);
    expect(Object.values(stats.rates)).toEqual([null, null, null, null, null, null]);
  });
});
