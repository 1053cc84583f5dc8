import { describe, expect, it } from 'vitest';
import { sentDay } from '../../src/domain/edition-dates.js';

describe('sentDay', () => {
  it.each([
    ['2026-11-23T06:34:00Z', 'UTC', '23 November 2026'],
    ['2026-11-23T06:34:00Z', 'America/Los_Angeles', '22 November 2026'],
    ['2026-11-22T23:30:00Z', 'Europe/Berlin', '23 November 2026'],
    ['2026-09-07T08:00:00Z', 'UTC', '7 September 2026'],
    ['2026-12-31T23:59:00Z', 'Asia/Tokyo', '1 January 2027'],
  ])('%s in %s is %s', (instant, zone, expected) => {
    expect(sentDay(new Date(instant), zone)).toBe(expected);
  });
});
