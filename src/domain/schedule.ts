// When a week's edition is due, and what a worker should do about it at a given moment (SPEC section 9).
// node-cron's own matcher decides whether a minute matches the schedule in the time zone, so DST follows
// the same rules as the live scheduler.
import { createTask, validateDetailed } from 'node-cron';
import type { EditionStatus } from '../../db/schema.js';
import { formatWeekKey, lastCompletedWeek, requireWeek, weekWindow } from './weeks.js';

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
/** A weekly schedule matches within 7 days; a month bounds any sensible one. */
const SEARCH_LIMIT_MINUTES = 31 * 24 * 60;

/** The first minute at or after `from` that `expression` (5 fields) matches in `timeZone`. */
export function firstOccurrence(expression: string, timeZone: string, from: Date): Date | undefined {
  const task = createTask(expression, () => {}, { timezone: timeZone });
  try {
    let minute = Math.ceil(from.getTime() / MINUTE) * MINUTE;
    for (let step = 0; step < SEARCH_LIMIT_MINUTES; step++, minute += MINUTE) {
      if (task.match(new Date(minute))) return new Date(minute);
    }
    return undefined;
  } finally {
    void task.destroy();
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
