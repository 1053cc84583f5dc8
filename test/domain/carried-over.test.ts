import { describe, expect, it } from 'vitest';
import type { EditionStatus } from '../../db/schema.js';
import { carriedOver, handsOn, NO_ELIGIBLE_READERS } from '../../src/domain/edition-plan.js';

const at = '2026-11-23T09:00:00.000Z';
const edition = (weekKey: string, status: EditionStatus, reason: string | null = null) => ({
  weekKey,
  edition: { weekKey, status, reason, plannedAt: at },
});
const none = (weekKey: string) => ({ weekKey, edition: undefined });

describe('handsOn', () => {
  it.each([
    ['missed', 'DIGEST_CATCH_UP_HOURS', true],
    ['missed', 'not approved', true],
    ['skipped', NO_ELIGIBLE_READERS, true],
    ['skipped', 'no new comparisons', false],
    ['skipped', 'every comparison held back to the next week', false],
    ['sent', null, false],
    ['sending', null, false],
  ] as const)('a %s week (%s) hands its comparisons on: %s', (status, reason, expected) => {
    expect(handsOn({ status, reason })).toBe(expected);
  });
});

describe('carriedOver', () => {
  it.each([
    ['the week before has no edition', [none('2026-W46')], undefined, undefined],
    ['the week before went out', [edition('2026-W46', 'sent')], undefined, '2026-W46'],
    [
      'the week before had nothing new',
      [edition('2026-W46', 'skipped', 'no new comparisons')],
      undefined,
      '2026-W46',
    ],
    ['the week before is still sending', [edition('2026-W46', 'sending')], undefined, undefined],
    [
      'the week before was missed',
      [edition('2026-W46', 'missed', 'x'), none('2026-W45')],
      '2026-W46',
      undefined,
    ],
    [
      'two weeks had nobody to send to, after one that went out',
      [
        edition('2026-W46', 'skipped', NO_ELIGIBLE_READERS),
        edition('2026-W45', 'missed', 'not approved'),
        edition('2026-W44', 'sent'),
      ],
      '2026-W45',
      '2026-W44',
    ],
  ])('when %s', (_name, earlier, fromWeek, lateImportsOf) => {
    const carried = carriedOver(earlier);
    expect(carried.fromWeek).toBe(fromWeek);
    expect(carried.lateImportsOf?.weekKey).toBe(lateImportsOf);
  });
});
