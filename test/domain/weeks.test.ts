import { describe, expect, it } from 'vitest';
import {
  formatWeekKey,
  isValidTimeZone,
  lastCompletedWeek,
  parseWeekKey,
  requireWeek,
  sameMomentInWeek,
  shiftWeek,
  weekKeyOf,
  weekLabel,
  weekWindow,
} from '../../src/domain/weeks.js';

const HOUR = 3_600_000;

describe('weekKeyOf', () => {
  it.each([
    ['2026-11-16T00:00:00Z', 'UTC', '2026-W47'],
    ['2026-11-22T23:59:59Z', 'UTC', '2026-W47'],
    ['2026-11-23T00:00:00Z', 'UTC', '2026-W48'],
    // Sunday 23:30 UTC is already Monday 00:30 in Berlin: next week there.
    ['2026-11-22T23:30:00Z', 'Europe/Berlin', '2026-W48'],
    ['2026-11-22T23:30:00Z', 'UTC', '2026-W47'],
    // Sunday 23:30 local in New York is Monday 04:30 UTC: still the local week.
    ['2026-11-23T04:30:00Z', 'America/New_York', '2026-W47'],
    ['2026-11-23T05:00:00Z', 'America/New_York', '2026-W48'],
    // ISO years differ from calendar years at the edges.
    ['2026-12-31T12:00:00Z', 'UTC', '2026-W53'],
    ['2027-01-03T12:00:00Z', 'UTC', '2026-W53'],
    ['2027-01-04T00:00:00Z', 'UTC', '2027-W01'],
    ['2024-12-30T00:00:00Z', 'UTC', '2025-W01'],
    ['2026-01-01T00:00:00Z', 'Pacific/Kiritimati', '2026-W01'],
  ])('%s in %s is %s', (instant, zone, expected) => {
    expect(weekKeyOf(new Date(instant), zone)).toBe(expected);
  });
});

describe('weekWindow', () => {
  it.each([
    // Europe/Berlin leaves summer time on Sunday 2026-10-25: that week is 169 hours long.
    ['2026-W43', 'Europe/Berlin', '2026-10-18T22:00:00.000Z', '2026-10-25T23:00:00.000Z', 169],
    ['2026-W44', 'Europe/Berlin', '2026-10-25T23:00:00.000Z', '2026-11-01T23:00:00.000Z', 168],
    // America/New_York leaves daylight time on Sunday 2026-11-01.
    ['2026-W44', 'America/New_York', '2026-10-26T04:00:00.000Z', '2026-11-02T05:00:00.000Z', 169],
    // Spring forward: 167 hours.
    ['2026-W13', 'Europe/Berlin', '2026-03-22T23:00:00.000Z', '2026-03-29T22:00:00.000Z', 167],
    ['2026-W11', 'America/New_York', '2026-03-09T04:00:00.000Z', '2026-03-16T04:00:00.000Z', 168],
    ['2026-W10', 'America/New_York', '2026-03-02T05:00:00.000Z', '2026-03-09T04:00:00.000Z', 167],
    ['2026-W47', 'UTC', '2026-11-16T00:00:00.000Z', '2026-11-23T00:00:00.000Z', 168],
    ['2026-W53', 'UTC', '2026-12-28T00:00:00.000Z', '2027-01-04T00:00:00.000Z', 168],
  ])('%s in %s runs from %s to %s (%i h)', (key, zone, start, end, hours) => {
    const window = weekWindow(requireWeek(key), zone);
    expect(window.start.toISOString()).toBe(start);
    expect(window.end.toISOString()).toBe(end);
    expect((window.end.getTime() - window.start.getTime()) / HOUR).toBe(hours);
  });

  it('handles a zone whose clocks jump at midnight', () => {
    // America/Santiago springs forward at local midnight on Sunday 2026-09-06 (00:00 becomes 01:00).
    const w36 = weekWindow(requireWeek('2026-W36'), 'America/Santiago');
    const w37 = weekWindow(requireWeek('2026-W37'), 'America/Santiago');
    expect(w36.end).toEqual(w37.start);
    expect(w37.start.toISOString()).toBe('2026-09-07T03:00:00.000Z');
    expect((w36.end.getTime() - w36.start.getTime()) / HOUR).toBe(167);
  });

  it('places every instant of a window in that week and none outside', () => {
    for (const zone of ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe']) {
      for (const key of ['2026-W10', '2026-W13', '2026-W43', '2026-W44', '2026-W47']) {
        const { start, end } = weekWindow(requireWeek(key), zone);
        expect(weekKeyOf(start, zone)).toBe(key);
        expect(weekKeyOf(new Date(end.getTime() - 1), zone)).toBe(key);
        expect(weekKeyOf(new Date(start.getTime() - 1), zone)).not.toBe(key);
        expect(weekKeyOf(end, zone)).not.toBe(key);
      }
    }
  });
});

describe('parseWeekKey', () => {
  it('accepts a real week', () => {
    expect(parseWeekKey('2026-W47')).toEqual({ year: 2026, week: 47 });
    expect(formatWeekKey({ year: 2026, week: 7 })).toBe('2026-W07');
  });

  it.each(['2026-47', '2026-W7', 'W47', '2026-W00', '2025-W53', 'next week', ''])('rejects %j', (key) => {
    expect(parseWeekKey(key)).toHaveProperty('error');
  });
});

describe('lastCompletedWeek and shiftWeek', () => {
  it('is the week before the current local week', () => {
    expect(formatWeekKey(lastCompletedWeek(new Date('2026-11-25T10:00:00Z'), 'UTC'))).toBe('2026-W47');
    // Monday 00:30 in Berlin is Sunday 23:30 UTC: Berlin has already completed W47.
    expect(formatWeekKey(lastCompletedWeek(new Date('2026-11-22T23:30:00Z'), 'Europe/Berlin'))).toBe(
      '2026-W47',
    );
    expect(formatWeekKey(lastCompletedWeek(new Date('2026-11-22T23:30:00Z'), 'UTC'))).toBe('2026-W46');
  });

  it('crosses year ends', () => {
    expect(formatWeekKey(shiftWeek(requireWeek('2027-W01'), -1))).toBe('2026-W53');
    expect(formatWeekKey(shiftWeek(requireWeek('2026-W53'), 1))).toBe('2027-W01');
  });
});

describe('weekLabel', () => {
  it('names the local dates', () => {
    expect(weekLabel(requireWeek('2026-W47'))).toBe('16–22 November 2026');
    expect(weekLabel(requireWeek('2026-W44'))).toBe('26 October – 1 November 2026');
    expect(weekLabel(requireWeek('2026-W53'))).toBe('28 December 2026 – 3 January 2027');
  });
});

describe('isValidTimeZone', () => {
  it('knows IANA names and nothing else', () => {
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
  });
});

describe('sameMomentInWeek', () => {
  it('keeps weekday and local time, and stays inside a short DST week', () => {
    const sunday = new Date('2026-11-22T23:30:00Z');
    expect(sameMomentInWeek(sunday, requireWeek('2026-W48'), 'UTC').toISOString()).toBe(
      '2026-11-29T23:30:00.000Z',
    );
    const moved = sameMomentInWeek(
      new Date('2026-11-22T22:59:00Z'),
      requireWeek('2026-W13'),
      'Europe/Berlin',
    );
    expect(weekKeyOf(moved, 'Europe/Berlin')).toBe('2026-W13');
  });
});
