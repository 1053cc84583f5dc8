// Weekly growth of the list, for the console's subscribers page: per ISO week, how many
// readers confirmed, unsubscribed, and were suppressed (bounced or complained). Pure: computed from each
// subscriber's current record, so a reader who unsubscribed and later came back counts only as confirmed
// again, and an erased reader counts nowhere (the README says so).
import type { SubscriberStatus } from '../../db/schema.js';
import { formatWeekKey, shiftWeek, weekKeyOf, weekOf } from './weeks.js';

export interface GrowthRecord {
  readonly status: SubscriberStatus;
  /** When the reader last became active (confirmed, or added as active); null if never. */
  readonly confirmedAt: string | null;
  readonly statusChangedAt: string;
}

export interface GrowthWeek {
  readonly week: string;
  readonly confirmed: number;
  readonly unsubscribed: number;
  readonly suppressed: number;
}

const SUPPRESSED: readonly SubscriberStatus[] = ['bounced', 'complained'];

/** The `weeks` ISO weeks up to and including the one `now` falls in, newest first. */
export function recentWeeks(now: Date, timeZone: string, weeks: number): string[] {
  const current = weekOf(now, timeZone);
  return Array.from({ length: weeks }, (_, index) => formatWeekKey(shiftWeek(current, -index)));
}

/** Counts per week of `weeks` (newest first, as recentWeeks gives them); records outside them are ignored. */
export function weeklyGrowth(
  records: Iterable<GrowthRecord>,
  weeks: readonly string[],
  timeZone: string,
): GrowthWeek[] {
  const rows = new Map(weeks.map((week) => [week, { week, confirmed: 0, unsubscribed: 0, suppressed: 0 }]));
  for (const record of records) {
    if (record.confirmedAt !== null) {
      const row = rows.get(weekKeyOf(new Date(record.confirmedAt), timeZone));
      if (row) row.confirmed++;
    }
    const left = rows.get(weekKeyOf(new Date(record.statusChangedAt), timeZone));
    if (left && record.status === 'unsubscribed') left.unsubscribed++;
    if (left && SUPPRESSED.includes(record.status)) left.suppressed++;
  }
  return [...rows.values()];
}
