import { describe, expect, it } from 'vitest';
import { matchCategories } from '../../src/domain/subscriber.js';

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
