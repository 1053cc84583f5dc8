import { describe, expect, it } from 'vitest';
import { describeJsonSyntaxError } from '../../src/domain/comparison-document.js';
import { describeEditionOf, editionOf, type PlannedEdition } from '../../src/domain/edition-of.js';
import { count } from '../../src/domain/plural.js';
import { matchCategories } from '../../src/domain/subscriber.js';

describe('editionOf', () => {
  const planned = (entries: [string, PlannedEdition][]) => new Map(entries);
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

describe('matchCategories', () => {
  const known = ['Coding Agents', 'Image Generation'];
  it.each([
    [['coding agents'], false, { ok: true, categories: ['Coding Agents'] }],
    [[], false, { ok: true, categories: [] }],
    [['Robotics'], true, { ok: true, categories: ['Robotics'] }],
    [
      ['Robotics'],
      false,
      {
        ok: false,
        reason:
          'unknown category "Robotics" (known: Coding Agents, Image Generation); use --new-category to allow it',
      },
    ],
    [
      ['Robotics', 'Space', 'Image Generation'],
      false,
      {
        ok: false,
        reason:
          'unknown categories "Robotics", "Space" (known: Coding Agents, Image Generation); use --new-category to allow them',
      },
    ],
  ])('%j (new allowed: %s)', (requested, allowNew, expected) => {
    expect(matchCategories(known, requested, allowNew)).toEqual(expected);
  });

  it('says when no category is known yet', () => {
    expect(matchCategories([], ['Anything'], false)).toEqual({
      ok: false,
      reason: 'unknown category "Anything" (no category is known yet); use --new-category to allow it',
    });
  });
});

describe('describeJsonSyntaxError', () => {
  const messageOf = (text: string) => {
    try {
      JSON.parse(text);
      return '';
    } catch (error) {
      return (error as Error).message;
    }
  };
  it.each([
    [
      '{\n  "a": 1\n  "b": 2\n}',
      "not valid JSON: line 3, column 3: Expected ',' or '}' after property value",
    ],
    ['{"a": 1,}', 'not valid JSON: line 1, column 9: Expected double-quoted property name'],
    ['', 'not valid JSON: line 1, column 1: Unexpected end of JSON input'],
    ['{\r\n"a": [1,\r\n', 'not valid JSON: line 3, column 1: Unexpected end of JSON input'],
  ])('places %j', (text, expected) => {
    expect(describeJsonSyntaxError(text, messageOf(text))).toBe(expected);
  });
});

describe('count', () => {
  it.each([
    [0, 'comparisons'],
    [1, 'comparison'],
    [2, 'comparisons'],
  ])('%i', (n, noun) => {
    expect(count(n, 'comparison')).toBe(`${n} ${noun}`);
  });
});
