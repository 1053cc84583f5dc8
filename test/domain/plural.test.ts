import { describe, expect, it } from 'vitest';
import { count } from '../../src/domain/plural.js';

describe('count', () => {
  it.each([
    [0, 'comparisons'],
    [1, 'comparison'],
    [2, 'comparisons'],
  ])('%i', (n, noun) => {
    expect(count(n, 'comparison')).toBe(`${n} ${noun}`);
  });
});
