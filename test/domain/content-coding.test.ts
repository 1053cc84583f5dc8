import { describe, expect, it } from 'vitest';
import { type ContentCoding, chooseContentCoding } from '../../src/domain/content-coding.js';

describe('chooseContentCoding', () => {
  it.each<[string | undefined, ContentCoding | undefined]>([
    [undefined, undefined],
    ['', undefined],
    ['identity', undefined],
    ['gzip', 'gzip'],
    ['x-gzip', 'gzip'],
    ['deflate', undefined],
    ['br', 'br'],
    ['gzip, deflate', 'gzip'],
    ['gzip, deflate, br, zstd', 'br'],
    ['br;q=0.5, gzip', 'gzip'],
    ['br;q=0, gzip;q=0.1', 'gzip'],
    ['BR', 'br'],
    ['*', 'br'],
    ['*;q=0.5, br;q=0', 'gzip'],
    ['gzip;q=0, br;q=0', undefined],
    ['gzip;q=nonsense', undefined],
  ])('Accept-Encoding %j → %s', (header, expected) => {
    expect(chooseContentCoding(header)).toBe(expected);
  });
});
