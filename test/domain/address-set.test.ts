import { describe, expect, it } from 'vitest';
import { AddressSet } from '../../src/domain/address-set.js';

describe('AddressSet', () => {
  it.each([
    ['a new address', ['a@example.com'], 'b@example.com', undefined],
    ['the same address again', ['a@example.com'], 'a@example.com', 2],
    ['a prefix of a known address', ['ab@example.com'], 'a@example.com', undefined],
    ['a longer address sharing the start', ['a@example.com'], 'a@example.community', undefined],
    ['an address beyond Latin-1', ['zoë@例え.jp'], 'zoë@例え.jp', 2],
    ['the empty string', [''], '', 2],
  ])('%s', (_, before, key, earlier) => {
    const set = new AddressSet();
    for (const [index, known] of before.entries()) set.add(known, index + 2);
    expect(set.add(key, 100)).toBe(earlier);
  });

  it('remembers the first line of each of many addresses across its growth', () => {
    const set = new AddressSet();
    const count = 50_000;
    for (let i = 0; i < count; i++) expect(set.add(`reader${i}@example.com`, i + 2)).toBeUndefined();
    expect(set.size).toBe(count);
    for (let i = 0; i < count; i += 997) expect(set.add(`reader${i}@example.com`, 0)).toBe(i + 2);
    expect(set.size).toBe(count);
  });
});
