import { createTask } from 'node-cron';
import { describe, expect, it } from 'vitest';
import { decideTick, dueTime, firstOccurrence, instantAtWallClock } from '../../src/domain/schedule.js';

const HOUR = 3_600_000;

describe('dueTime across DST changes', () => {
  // Each row: a schedule on the Sunday a zone changes its clocks, and the week due that Sunday.
  it.each([
    // Europe/Berlin: 02:00 -> 03:00 on the last Sunday of March; 03:00 -> 02:00 on the last of October.
    ['Europe/Berlin', '30 2 * * 0', '2026-W12', '2026-03-29T01:00:00.000Z', 'gap: 03:00 CEST'],
    ['Europe/Berlin', '30 2 * * 0', '2027-W11', '2027-03-28T01:00:00.000Z', 'gap: 03:00 CEST'],
    ['Europe/Berlin', '30 2 * * 0', '2028-W11', '2028-03-26T01:00:00.000Z', 'gap: 03:00 CEST'],
    ['Europe/Berlin', '30 2 * * 0', '2026-W42', '2026-10-25T00:30:00.000Z', 'repeat: first, CEST'],
    ['Europe/Berlin', '30 2 * * 0', '2027-W42', '2027-10-31T00:30:00.000Z', 'repeat: first, CEST'],
    ['Europe/Berlin', '30 2 * * 0', '2028-W42', '2028-10-29T00:30:00.000Z', 'repeat: first, CEST'],
    // America/New_York: 02:00 -> 03:00 on the second Sunday of March; 02:00 -> 01:00 on the first of November.
    ['America/New_York', '30 2 * * 0', '2026-W09', '2026-03-08T07:00:00.000Z', 'gap: 03:00 EDT'],
    ['America/New_York', '30 2 * * 0', '2027-W09', '2027-03-14T07:00:00.000Z', 'gap: 03:00 EDT'],
    ['America/New_York', '30 2 * * 0', '2028-W09', '2028-03-12T07:00:00.000Z', 'gap: 03:00 EDT'],
    ['America/New_York', '30 1 * * 0', '2026-W43', '2026-11-01T05:30:00.000Z', 'repeat: first, EDT'],
    ['America/New_York', '30 1 * * 0', '2027-W43', '2027-11-07T05:30:00.000Z', 'repeat: first, EDT'],
    ['America/New_York', '30 1 * * 0', '2028-W43', '2028-11-05T05:30:00.000Z', 'repeat: first, EDT'],
    // Australia/Lord_Howe moves by half an hour: 02:00 -> 02:30 in October, 02:00 -> 01:30 in April.
    ['Australia/Lord_Howe', '15 2 * * 0', '2026-W39', '2026-10-03T15:30:00.000Z', 'gap: 02:30 +11'],
    ['Australia/Lord_Howe', '15 2 * * 0', '2027-W38', '2027-10-02T15:30:00.000Z', 'gap: 02:30 +11'],
    ['Australia/Lord_Howe', '15 2 * * 0', '2028-W38', '2028-09-30T15:30:00.000Z', 'gap: 02:30 +11'],
    ['Australia/Lord_Howe', '45 1 * * 0', '2026-W13', '2026-04-04T14:45:00.000Z', 'repeat: first, +11'],
    ['Australia/Lord_Howe', '45 1 * * 0', '2027-W12', '2027-04-03T14:45:00.000Z', 'repeat: first, +11'],
    ['Australia/Lord_Howe', '45 1 * * 0', '2028-W12', '2028-04-01T14:45:00.000Z', 'repeat: first, +11'],
    // No DST: the named time, whatever the season.
    ['Asia/Kolkata', '30 2 * * 0', '2026-W12', '2026-03-28T21:00:00.000Z', 'no DST: +05:30'],
    ['Asia/Kolkata', '30 2 * * 0', '2027-W11', '2027-03-27T21:00:00.000Z', 'no DST: +05:30'],
    ['Asia/Kolkata', '30 2 * * 0', '2028-W42', '2028-10-28T21:00:00.000Z', 'no DST: +05:30'],
    ['Pacific/Apia', '30 2 * * 0', '2026-W38', '2026-09-26T13:30:00.000Z', 'no DST since 2021: +13'],
    ['Pacific/Apia', '30 2 * * 0', '2027-W12', '2027-04-03T13:30:00.000Z', 'no DST since 2021: +13'],
    ['Pacific/Apia', '30 2 * * 0', '2028-W12', '2028-04-01T13:30:00.000Z', 'no DST since 2021: +13'],
  ])('%s %j: %s is due at %s (%s)', (zone, schedule, week, expected) => {
    expect(dueTime(week, schedule, zone)?.toISOString()).toBe(expected);
  });

  it.each([
    // A daily schedule on the gap day runs when the gap ends, and the next day at its own time.
    ['30 2 * * *', 'Europe/Berlin', '2027-03-27T23:00:00Z', '2027-03-28T01:00:00.000Z'],
    ['30 2 * * *', 'Europe/Berlin', '2027-03-28T01:00:01Z', '2027-03-29T00:30:00.000Z'],
    // Every minute of a gap falls due at once, at its end, and only once.
    ['*/10 2 * * *', 'America/New_York', '2027-03-14T06:59:00Z', '2027-03-14T07:00:00.000Z'],
    ['*/10 2 * * *', 'America/New_York', '2027-03-14T07:00:01Z', '2027-03-15T06:00:00.000Z'],
    // A repeated time runs once: just after its first occurrence, the next is a week later.
    ['30 2 * * 0', 'Europe/Berlin', '2027-10-31T00:31:00Z', '2027-11-07T01:30:00.000Z'],
    ['45 1 * * 0', 'Australia/Lord_Howe', '2027-04-03T14:46:00Z', '2027-04-10T15:15:00.000Z'],
  ])('%j in %s from %s runs at %s', (schedule, zone, from, expected) => {
    expect(firstOccurrence(schedule, zone, new Date(from))?.toISOString()).toBe(expected);
  });

  it.each([
    // [wall clock read as UTC, zone, instant]
    ['2027-03-28T02:30:00Z', 'Europe/Berlin', '2027-03-28T01:00:00.000Z'],
    ['2027-03-28T02:00:00Z', 'Europe/Berlin', '2027-03-28T01:00:00.000Z'],
    ['2027-03-28T03:00:00Z', 'Europe/Berlin', '2027-03-28T01:00:00.000Z'],
    ['2027-10-31T02:30:00Z', 'Europe/Berlin', '2027-10-31T00:30:00.000Z'],
    ['2027-10-03T02:00:00Z', 'Australia/Lord_Howe', '2027-10-02T15:30:00.000Z'],
    ['2027-04-04T01:30:00Z', 'Australia/Lord_Howe', '2027-04-03T14:30:00.000Z'],
    ['2027-04-04T02:00:00Z', 'Australia/Lord_Howe', '2027-04-03T15:30:00.000Z'],
    ['2027-06-01T09:00:00Z', 'Asia/Kolkata', '2027-06-01T03:30:00.000Z'],
  ])('the clock reads %s in %s first at %s', (wall, zone, expected) => {
    expect(instantAtWallClock(Date.parse(wall), zone).toISOString()).toBe(expected);
  });
});

describe('the worker in a DST gap', () => {
  const settings = { timeZone: 'Europe/Berlin', schedule: '30 2 * * 0', catchUpHours: 72 };
  const decide = (now: string) =>
    decideTick({ ...settings, now: new Date(now), weekKey: '2027-W11', editionStatus: undefined });

  it('sends 2027-W11 when the gap of Sunday 28 March 2027 ends, not a week later', () => {
    expect(decide('2027-03-28T00:59:00Z')).toMatchObject({ action: 'wait' });
    expect(decide('2027-03-28T01:00:00Z')).toMatchObject({ action: 'send', weekKey: '2027-W11' });
  });

  it('does not lean on node-cron, whose matcher never fires inside the gap', () => {
    const task = createTask('30 2 * * 0', () => {}, { timezone: 'Europe/Berlin' });
    const sunday = Date.parse('2027-03-27T23:00:00Z'); // 00:00 CET on the gap day
    const fired = Array.from({ length: 23 * 60 }, (_, minute) => new Date(sunday + minute * 60_000)).filter(
      (at) => task.match(at),
    );
    void task.destroy();
    expect(fired).toEqual([]);
    expect(dueTime('2027-W11', settings.schedule, settings.timeZone)?.getTime()).toBe(sunday + 2 * HOUR);
  });
});
