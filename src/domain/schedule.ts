// When a week's edition is due, and what a worker should do about it at a given moment. Due times are
// computed here on the local calendar, not left to node-cron's scheduler: node-cron 4 never fires a time
// that a spring-forward gap removes (02:30 in Europe/Berlin on the last Sunday of March matches no
// instant, so its next run is a week later), which silently dropped that week. A scheduled time inside a
// gap is due at the first instant after the gap, and a time that a fall-back repeats is due once, at its
// first occurrence. node-cron's matcher still decides which calendar days and times a schedule names
// (ranges, names, `L`, `#`), read on a wall clock where no DST applies.
import { createTask, parse, validateDetailed } from 'node-cron';
import type { EditionStatus } from '../../db/schema.js';
import {
  formatWeekKey,
  lastCompletedWeek,
  requireWeek,
  shiftWeek,
  wallClockMs,
  weekWindow,
} from './weeks.js';

/** Each field of a 5-field cron expression, by node-cron's name for it: what to call it, what it takes. */
const CRON_FIELDS: Readonly<Record<string, readonly [string, string]>> = {
  minute: ['minute', '0-59'],
  hour: ['hour', '0-23'],
  dayOfMonth: ['day-of-month', '1-31'],
  month: ['month', '1-12 or jan-dec'],
  dayOfWeek: ['day-of-week', '0-7 or sun-sat (0 and 7 are Sunday)'],
};

/**
 * Why `expression` is not a usable schedule, naming the field at fault and what it takes; undefined when it
 * is one. Five fields only: node-cron also takes a seconds field, which a weekly digest never needs and the
 * due-time computation (minute by minute) does not support.
 */
export function scheduleProblem(expression: string): string | undefined {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) {
    return `must be a 5-field cron expression (minute hour day-of-month month day-of-week) such as "0 9 * * 1", not ${fields.length} field${fields.length === 1 ? '' : 's'}`;
  }
  const { errors } = validateDetailed(expression);
  if (errors.length === 0) return undefined;
  return errors
    .map((error) => {
      const field = CRON_FIELDS[error.field];
      if (!field) return error.message;
      if (error.message.includes('impossible'))
        return `the day-of-month field "${error.value}" never occurs in the month field "${fields[3]}"`;
      return `the ${field[0]} field is "${error.value}", but it takes ${field[1]} (with ranges, lists and */steps)`;
    })
    .join('; ');
}

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
/** A weekly schedule matches within 7 days; a month bounds any sensible one. */
const SEARCH_LIMIT_DAYS = 31;

/** How far `timeZone`'s clock is ahead of UTC at `instant`, in milliseconds. */
function offsetAt(instant: number, timeZone: string): number {
  return wallClockMs(instant, timeZone) - instant;
}

/**
 * The instant at which the clock in `timeZone` reads `wall` (a wall-clock reading written as UTC
 * milliseconds): the first of two when a fall-back repeats it, and the first instant after the gap when a
 * spring-forward skips it. A day either side of it has the offsets before and after any change near it.
 */
export function instantAtWallClock(wall: number, timeZone: string): Date {
  const before = wall - offsetAt(wall - DAY, timeZone);
  const after = wall - offsetAt(wall + DAY, timeZone);
  const readings = [before, after].filter((instant) => wallClockMs(instant, timeZone) === wall);
  if (readings.length > 0) return new Date(Math.min(...readings));
  // In a gap: the clock reads earlier than `wall` at `low` and later at `high`; the change lies between.
  let low = Math.min(before, after);
  let high = Math.max(before, after);
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (wallClockMs(middle, timeZone) >= wall) high = middle;
    else low = middle;
  }
  return new Date(high);
}

/**
 * The first time at or after `from` that `expression` (5 fields) names on the calendar of `timeZone`, as
 * the worker runs it: a named time that a DST gap skips runs when the gap ends, a repeated one runs once.
 */
export function firstOccurrence(expression: string, timeZone: string, from: Date): Date | undefined {
  const fields = parse(expression);
  const hours = [...fields.hour].sort((a, b) => a - b);
  const minutes = [...fields.minute].sort((a, b) => a - b);
  const [firstHour = 0, firstMinute = 0] = [hours[0], minutes[0]];
  // Read in UTC, the matcher sees wall-clock readings exactly as written: no DST to shift them.
  const matcher = createTask(expression, () => {}, { timezone: 'UTC' });
  try {
    let day = Math.floor(wallClockMs(from.getTime(), timeZone) / DAY) * DAY;
    for (let step = 0; step <= SEARCH_LIMIT_DAYS; step++, day += DAY) {
      // Hours and minutes come from the expression itself, so one probe tells whether the day matches.
      if (!matcher.match(new Date(day + firstHour * HOUR + firstMinute * MINUTE))) continue;
      for (const hour of hours) {
        for (const minute of minutes) {
          const at = instantAtWallClock(day + hour * HOUR + minute * MINUTE, timeZone);
          if (at >= from) return at;
        }
      }
    }
    return undefined;
  } finally {
    void matcher.destroy();
  }
}

/** A week's edition is due at the first scheduled time after the week ends. */
export function dueTime(weekKey: string, expression: string, timeZone: string): Date | undefined {
  return firstOccurrence(expression, timeZone, weekWindow(requireWeek(weekKey), timeZone).end);
}

export type TickDecision =
  | { readonly action: 'send'; readonly weekKey: string; readonly why: string }
  | { readonly action: 'miss'; readonly weekKey: string; readonly why: string }
  | { readonly action: 'wait'; readonly weekKey: string; readonly why: string };

/** The week a worker considers at `now`: the most recent completed one. */
export function weekToSend(now: Date, timeZone: string): string {
  return formatWeekKey(lastCompletedWeek(now, timeZone));
}

/**
 * The weeks after `lastRecorded` (the latest week with an edition) and before `weekKey` (the week to send
 * now) that have no edition: the worker looks only at the most recent completed week, so none of these will
 * ever be sent. Each comes with the reason it is recorded as missed; their comparisons ride a later week.
 */
export function passedOver(input: {
  readonly lastRecorded: string;
  readonly weekKey: string;
  readonly schedule: string;
  readonly timeZone: string;
}): { readonly weekKey: string; readonly why: string }[] {
  const weeks: { weekKey: string; why: string }[] = [];
  for (
    let week = shiftWeek(requireWeek(input.lastRecorded), 1);
    formatWeekKey(week) < input.weekKey;
    week = shiftWeek(week, 1)
  ) {
    const key = formatWeekKey(week);
    const later = formatWeekKey(shiftWeek(week, 1));
    const laterEnd = weekWindow(shiftWeek(week, 1), input.timeZone).end;
    const due = dueTime(key, input.schedule, input.timeZone);
    const why =
      due && due < laterEnd
        ? `${key} was due ${due.toISOString()}, but ${later} ended before a worker sent it`
        : `${key} falls due ${due ? due.toISOString() : 'at no scheduled time'}, after ${later} ended, so it was never the week to send`;
    weeks.push({ weekKey: key, why });
  }
  return weeks;
}

/** The reason a week that review held back past the catch-up window is recorded as missed with. */
export const NOT_APPROVED = 'not approved';

/**
 * What the worker does at `now` about `weekKey` (see weekToSend), whose edition has `editionStatus`: send
 * it if it is due and unsent (or resume it if a send was interrupted), record it as missed if it became due
 * more than `catchUpHours` ago and never started, and otherwise nothing. `reviewAllows` is false while
 * DIGEST_REVIEW=required and the week is not approved (see domain/draft.ts reviewAllows): then a due week
 * waits, and one past the catch-up window is missed as "not approved".
 */
export function decideTick(input: {
  readonly now: Date;
  readonly timeZone: string;
  readonly schedule: string;
  readonly catchUpHours: number;
  readonly weekKey: string;
  readonly editionStatus: EditionStatus | undefined;
  readonly reviewAllows?: boolean | undefined;
}): TickDecision {
  const { weekKey, editionStatus: status } = input;
  if (status === 'sent' || status === 'skipped' || status === 'missed') {
    return { action: 'wait', weekKey, why: `${weekKey} is already ${status}` };
  }
  if (status === 'sending')
    return { action: 'send', weekKey, why: `${weekKey} was interrupted mid-send; resuming` };
  const due = dueTime(weekKey, input.schedule, input.timeZone);
  if (!due || due > input.now) {
    return {
      action: 'wait',
      weekKey,
      why: `${weekKey} is due at ${due?.toISOString() ?? 'no scheduled time'}`,
    };
  }
  const lateHours = (input.now.getTime() - due.getTime()) / HOUR;
  const approved = input.reviewAllows !== false;
  if (lateHours > input.catchUpHours && !approved) return { action: 'miss', weekKey, why: NOT_APPROVED };
  if (lateHours > input.catchUpHours) {
    return {
      action: 'miss',
      weekKey,
      why: `${weekKey} was due ${due.toISOString()}, ${lateHours.toFixed(1)} h ago, beyond DIGEST_CATCH_UP_HOURS=${input.catchUpHours}`,
    };
  }
  if (!approved) {
    return {
      action: 'wait',
      weekKey,
      why: `${weekKey} was due ${due.toISOString()} and is not approved (DIGEST_REVIEW=required)`,
    };
  }
  return { action: 'send', weekKey, why: `${weekKey} was due ${due.toISOString()} and is unsent` };
}
