import { describe, expect, it } from 'vitest';
import { describeEditionOf, editionOf } from '../../src/domain/edition-of.js';
import type { RecordedEdition } from '../../src/domain/edition-plan.js';

describe('editionOf', () => {
  const planned = (entries: [string, RecordedEdition][]) => new Map(entries);
  const sentW47 = { status: 'sent', plannedAt: '2026-11-23T09:00:00.000Z' } as const;

  it.each([
    ['a week with no edition yet', {}, undefined, '2026-11-20T00:00:00.000Z', '2026-W47 (upcoming)'],
    [
      'carried by its edition',
      {},
      { week: '2026-W47', status: 'sent' as const },
      '2026-11-20T00:00:00.000Z',
      '2026-W47 (sent)',
    ],
    [
      'imported after its week went out',
      { '2026-W47': sentW47 },
      undefined,
      '2026-11-24T00:00:00.000Z',
      '2026-W48 (upcoming)',
    ],
    [
      'imported after its week was skipped',
      { '2026-W47': { status: 'skipped', plannedAt: '2026-11-23T09:00:00.000Z' } as const },
      undefined,
      '2026-11-24T00:00:00.000Z',
      '2026-W48 (upcoming)',
    ],
    [
      'imported after both its week and the next were planned',
      { '2026-W47': sentW47, '2026-W48': { status: 'sent', plannedAt: '2026-11-30T09:00:00.000Z' } as const },
      undefined,
      '2026-12-01T00:00:00.000Z',
      'none (imported after 2026-W47 and 2026-W48 were planned)',
    ],
    [
      'in a week recorded as missed: rides the next',
      { '2026-W47': { status: 'missed', plannedAt: '2026-11-27T09:00:00.000Z' } as const },
      undefined,
      '2026-11-20T00:00:00.000Z',
      '2026-W48 (upcoming)',
    ],
    [
      'in a week skipped for want of readers, the next missed too: rides the one after',
      {
        '2026-W47': {
          status: 'skipped',
          reason: 'no eligible readers',
          plannedAt: '2026-11-23T09:00:00.000Z',
        },
        '2026-W48': { status: 'missed', reason: 'not approved', plannedAt: '2026-12-03T09:00:00.000Z' },
      } as const,
      undefined,
      '2026-11-20T00:00:00.000Z',
      '2026-W49 (upcoming)',
    ],
    [
      'in a week skipped for having nothing new, imported before it was planned',
      {
        '2026-W47': {
          status: 'skipped',
          reason: 'no new comparisons',
          plannedAt: '2026-11-23T09:00:00.000Z',
        } as const,
      },
      undefined,
      '2026-11-20T00:00:00.000Z',
      'none (2026-W47 was skipped without it)',
    ],
  ])('%s', (_name, editions, carriedBy, importedAt, expected) => {
    const edition = editionOf({
      publishedWeek: '2026-W47',
      importedAt,
      carriedBy,
      editions: planned(Object.entries(editions)),
    });
    expect(describeEditionOf(edition)).toBe(expected);
  });

  it.each([
    [
      'held back from its week: rides the next',
      {},
      ['2026-W47'],
      '2026-W48 (upcoming, held back from 2026-W47)',
    ],
    [
      'held back twice: rides the week after the last hold',
      { '2026-W47': sentW47 },
      ['2026-W47', '2026-W48'],
      '2026-W49 (upcoming, held back from 2026-W48)',
    ],
    [
      'held back before a missed week: rides the one after it',
      { '2026-W48': { status: 'missed', plannedAt: '2026-12-03T09:00:00.000Z' } as const },
      ['2026-W47'],
      '2026-W49 (upcoming, held back from 2026-W47)',
    ],
    [
      'held back, and the next week planned without it',
      { '2026-W48': { status: 'sent', plannedAt: '2026-11-30T09:00:00.000Z' } as const },
      ['2026-W47'],
      'none (held back from 2026-W47, and 2026-W48 was planned without it)',
    ],
  ])('%s', (_name, editions, heldIn, expected) => {
    const edition = editionOf({
      publishedWeek: '2026-W47',
      importedAt: '2026-11-20T00:00:00.000Z',
      editions: planned(Object.entries(editions)),
      heldIn,
    });
    expect(describeEditionOf(edition)).toBe(expected);
  });

  it('crosses the year boundary', () => {
    const edition = editionOf({
      publishedWeek: '2026-W53',
      importedAt: '2027-01-05T00:00:00.000Z',
      editions: planned([['2026-W53', { status: 'sent', plannedAt: '2027-01-04T09:00:00.000Z' }]]),
    });
    expect(edition).toEqual({ kind: 'upcoming', week: '2027-W01' });
  });
});
