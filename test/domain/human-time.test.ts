import { describe, expect, it } from 'vitest';
import { humanTime, humanTimesIn } from '../../src/domain/human-time.js';

describe('humanTime', () => {
  it.each([
    ['2026-12-02T06:34:00.000Z', 'UTC', 'Wed 2 Dec 2026, 06:34 UTC'],
    ['2026-12-02T06:34:59Z', 'Etc/UTC', 'Wed 2 Dec 2026, 06:34 UTC'],
    ['2026-12-02T06:34:00Z', 'Europe/Berlin', 'Wed 2 Dec 2026, 07:34 CET'],
    ['2026-07-02T06:34:00Z', 'Europe/Berlin', 'Thu 2 Jul 2026, 08:34 CEST'],
    ['2026-12-02T06:34:00Z', 'Europe/London', 'Wed 2 Dec 2026, 06:34 GMT'],
    ['2026-07-02T06:34:00Z', 'Europe/London', 'Thu 2 Jul 2026, 07:34 BST'],
    ['2026-12-02T06:34:00Z', 'America/New_York', 'Wed 2 Dec 2026, 01:34 UTC-05:00'],
    ['2026-12-02T03:34:00Z', 'America/New_York', 'Tue 1 Dec 2026, 22:34 UTC-05:00'],
    ['2026-12-02T06:34:00Z', 'Asia/Kolkata', 'Wed 2 Dec 2026, 12:04 UTC+05:30'],
    ['2026-09-06T23:05:00Z', 'UTC', 'Sun 6 Sep 2026, 23:05 UTC'],
    ['2026-09-06T23:05:00Z', 'Europe/Berlin', 'Mon 7 Sep 2026, 01:05 CEST'],
    ['2026-03-29T00:59:00Z', 'Europe/Berlin', 'Sun 29 Mar 2026, 01:59 CET'],
    ['2026-03-29T01:00:00Z', 'Europe/Berlin', 'Sun 29 Mar 2026, 03:00 CEST'],
    ['2027-01-01T00:00:00+01:00', 'UTC', 'Thu 31 Dec 2026, 23:00 UTC'],
  ])('%s in %s is %j', (instant, zone, expected) => {
    expect(humanTime(instant, zone)).toBe(expected);
  });

  it('takes a Date too', () => {
    expect(humanTime(new Date('2026-12-02T06:34:00Z'), 'UTC')).toBe('Wed 2 Dec 2026, 06:34 UTC');
  });

  it('prints a stored value that is not a time as it is', () => {
    expect(humanTime('soon', 'UTC')).toBe('soon');
  });
});

describe('humanTimesIn', () => {
  it.each([
    [
      '2026-W47 was already sent (finished 2026-11-25T10:00:03.120Z); nothing to do.',
      'UTC',
      '2026-W47 was already sent (finished Wed 25 Nov 2026, 10:00 UTC); nothing to do.',
    ],
    [
      'its lease runs until 2026-11-25T10:00:45Z. Try again after that.',
      'Europe/Berlin',
      'its lease runs until Wed 25 Nov 2026, 11:00 CET. Try again after that.',
    ],
    ['2026-W47 sent.', 'UTC', '2026-W47 sent.'],
    ['published 2026-11-18, week 2026-W47', 'UTC', 'published 2026-11-18, week 2026-W47'],
  ])('%j', (text, zone, expected) => {
    expect(humanTimesIn(text, zone)).toBe(expected);
  });
});
