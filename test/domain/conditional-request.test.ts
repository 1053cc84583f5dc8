import { describe, expect, it } from 'vitest';
import { type Conditions, notModified } from '../../src/domain/conditional-request.js';

const current = { etag: '"abc"', lastModified: new Date('2026-11-23T06:34:12.700Z') };

describe('notModified', () => {
  it.each<[string, Conditions, boolean]>([
    ['no conditions', {}, false],
    ['the same tag', { ifNoneMatch: '"abc"' }, true],
    ['the weakened tag a compressed answer carried', { ifNoneMatch: 'W/"abc"' }, true],
    ['one of several tags', { ifNoneMatch: '"old", "abc"' }, true],
    ['another tag', { ifNoneMatch: '"old"' }, false],
    ['a wildcard', { ifNoneMatch: '*' }, true],
    ['the last-modified time itself', { ifModifiedSince: 'Mon, 23 Nov 2026 06:34:12 GMT' }, true],
    ['a later time', { ifModifiedSince: 'Tue, 24 Nov 2026 00:00:00 GMT' }, true],
    ['an earlier time', { ifModifiedSince: 'Mon, 23 Nov 2026 06:34:11 GMT' }, false],
    ['a date that is no date', { ifModifiedSince: 'yesterday' }, false],
    [
      'a matching date with another tag (the tag decides)',
      { ifNoneMatch: '"old"', ifModifiedSince: 'Tue, 24 Nov 2026 00:00:00 GMT' },
      false,
    ],
  ])('%s', (_name, conditions, expected) => {
    expect(notModified(conditions, current)).toBe(expected);
  });

  it('never answers 304 by date when nothing dates the page', () => {
    expect(notModified({ ifModifiedSince: 'Tue, 24 Nov 2026 00:00:00 GMT' }, { etag: '"abc"' })).toBe(false);
  });
});
