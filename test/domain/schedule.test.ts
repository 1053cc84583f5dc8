import { describe, expect, it } from 'vitest';
import type { EditionStatus } from '../../db/schema.js';
import {
  decideTick,
  dueTime,
  firstOccurrence,
  scheduleProblem,
  weekToSend,
} from '../../src/domain/schedule.js';

describe('dueTime', () => {
  it.each([
    // Monday 09:00 local after the week ends.
    ['2026-W47', 'UTC', '2026-11-23T09:00:00.000Z'],
    ['2026-W47', 'Europe/Berlin', '2026-11-23T08:00:00.000Z'],
    ['2026-W47', 'America/New_York', '2026-11-23T14:00:00.000Z'],
    // Europe/Berlin leaves summer time on 2026-10-25: Monday 26 October 09:00 is UTC+1.
    ['2026-W43', 'Europe/Berlin', '2026-10-26T08:00:00.000Z'],
    ['2026-W42', 'Europe/Berlin', '2026-10-19T07:00:00.000Z'],
    // America/New_York leaves daylight time on 2026-11-01.
    ['2026-W44', 'America/New_York', '2026-11-02T14:00:00.000Z'],
    ['2026-W43', 'America/New_York', '2026-10-26T13:00:00.000Z'],
    ['2026-W10', 'America/New_York', '2026-03-09T13:00:00.000Z'],
  ])('%s in %s is due at %s', (week, zone, expected) => {
    expect(dueTime(week, '0 9 * * 1', zone)?.toISOString()).toBe(expected);
  });

  it('follows other schedules, and runs a local time that DST removes when the gap ends', () => {
    expect(dueTime('2026-W47', '30 7 * * 2', 'Europe/Berlin')?.toISOString()).toBe(
      '2026-11-24T06:30:00.000Z',
    );
    // 02:30 does not exist in Berlin on Sunday 2026-03-29: it runs at 03:00 CEST, that same day.
    const spring = firstOccurrence('30 2 * * *', 'Europe/Berlin', new Date('2026-03-28T23:00:00Z'));
    expect(spring?.toISOString()).toBe('2026-03-29T01:00:00.000Z');
  });
});

describe('decideTick', () => {
  const base = { timeZone: 'UTC', schedule: '0 9 * * 1', catchUpHours: 72 };
  const decide = (
    now: string,
    status: EditionStatus | undefined = undefined,
    overrides: { timeZone?: string; catchUpHours?: number; reviewAllows?: boolean } = {},
  ) => {
    const settings = { ...base, ...overrides };
    return decideTick({
      ...settings,
      now: new Date(now),
      weekKey: weekToSend(new Date(now), settings.timeZone),
      editionStatus: status,
    });
  };

  it('waits before the week is due', () => {
    expect(decide('2026-11-23T08:59:00Z')).toMatchObject({
      action: 'wait',
      weekKey: '2026-W47',
    });
  });

  it('sends at the due time and within the catch-up window', () => {
    expect(decide('2026-11-23T09:00:00Z')).toMatchObject({ action: 'send', weekKey: '2026-W47' });
    expect(decide('2026-11-26T08:59:00Z')).toMatchObject({ action: 'send', weekKey: '2026-W47' });
  });

  it('records a week as missed when the worker starts beyond the catch-up window', () => {
    expect(decide('2026-11-26T09:01:00Z')).toMatchObject({ action: 'miss', weekKey: '2026-W47' });
    expect(decide('2026-11-24T10:00:00Z', undefined, { catchUpHours: 24 })).toMatchObject({ action: 'miss' });
  });

  it('never sends a week twice, and resumes an interrupted one however late', () => {
    for (const status of ['sent', 'skipped', 'missed'] as const) {
      expect(decide('2026-11-23T09:00:00Z', status)).toMatchObject({ action: 'wait' });
    }
    expect(decide('2026-11-29T09:00:00Z', 'sending')).toMatchObject({ action: 'send' });
  });

  it('reads the week and the due time in the configured zone across DST', () => {
    const berlin = { timeZone: 'Europe/Berlin' };
    expect(decide('2026-10-26T07:59:00Z', undefined, berlin)).toMatchObject({
      action: 'wait',
      weekKey: '2026-W43',
    });
    expect(decide('2026-10-26T08:00:00Z', undefined, berlin)).toMatchObject({
      action: 'send',
      weekKey: '2026-W43',
    });
    const newYork = { timeZone: 'America/New_York' };
    expect(decide('2026-11-02T13:59:00Z', undefined, newYork)).toMatchObject({
      action: 'wait',
      weekKey: '2026-W44',
    });
    expect(decide('2026-11-02T14:00:00Z', undefined, newYork)).toMatchObject({
      action: 'send',
      weekKey: '2026-W44',
    });
  });

  describe('under DIGEST_REVIEW=required', () => {
    const unapproved = { reviewAllows: false };
    it.each([
      ['waits before the due time', '2026-11-23T08:59:00Z', undefined, 'wait', /is due at/],
      ['waits when due but not approved', '2026-11-23T09:00:00Z', undefined, 'wait', /is not approved/],
      ['still waits late in the window', '2026-11-26T08:59:00Z', undefined, 'wait', /is not approved/],
      ['records "not approved" past the window', '2026-11-26T09:01:00Z', undefined, 'miss', /^not approved$/],
      [
        'resumes a frozen week it did not approve again',
        '2026-11-29T09:00:00Z',
        'sending',
        'send',
        /resuming/,
      ],
      ['leaves a sent week alone', '2026-11-23T09:00:00Z', 'sent', 'wait', /already sent/],
    ] as const)('%s', (_name, now, status, action, why) => {
      const decision = decide(now, status, unapproved);
      expect(decision.action).toBe(action);
      expect(decision.why).toMatch(why);
    });

    it('sends once approved, as in auto mode', () => {
      expect(decide('2026-11-23T09:00:00Z', undefined, { reviewAllows: true })).toMatchObject({
        action: 'send',
      });
    });
  });
});

describe('scheduleProblem', () => {
  it.each(['0 9 * * 1', '30 8 * * mon-fri', '*/15 9-17 * jan-mar 1,3,5', '0 0 1 * *', '0 9 * * 7'])(
    'accepts %j',
    (expression) => {
      expect(scheduleProblem(expression)).toBeUndefined();
    },
  );

  it.each([
    ['0 25 * * 1', 'the hour field is "25", but it takes 0-23'],
    ['60 9 * * 1', 'the minute field is "60", but it takes 0-59'],
    ['0 9 32 * 1', 'the day-of-month field is "32", but it takes 1-31'],
    ['0 9 0 * *', 'the day-of-month field is "0", but it takes 1-31'],
    ['0 9 * 13 1', 'the month field is "13", but it takes 1-12 or jan-dec'],
    ['0 9 * * 8', 'the day-of-week field is "8", but it takes 0-7 or sun-sat'],
    ['5-70 9 * * 1', 'the minute field is "5-70"'],
    ['0 9 31 2 *', 'the day-of-month field "31" never occurs in the month field "2"'],
    ['every monday', 'must be a 5-field cron expression'],
    ['0 0 9 * * 1', 'not 6 fields'],
    ['@weekly', 'not 1 field'],
  ])('names what is wrong with %j', (expression, message) => {
    expect(scheduleProblem(expression)).toContain(message);
  });

  it('names every field at fault', () => {
    expect(scheduleProblem('99 99 * * 1')).toMatch(/minute field is "99".*; the hour field is "99"/);
  });
});
