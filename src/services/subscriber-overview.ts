// The console's view of the list: how many readers there are by status, how the list
// grew week by week, and subscribers found by part of their address with their consent record.
import type { SubscriberRow, SubscriberStatus } from '../../db/schema.js';
import type { Db } from '../adapters/database.js';
import {
  countSubscribersByStatus,
  listStatusChangesSince,
  searchSubscribers,
} from '../adapters/subscriber-repository.js';
import type { Config } from '../config.js';
import type { Clock } from '../domain/clock.js';
import { SUBSCRIBER_STATUSES } from '../domain/subscriber.js';
import { type GrowthWeek, recentWeeks, weeklyGrowth } from '../domain/subscriber-growth.js';
import { requireWeek, weekWindow } from '../domain/weeks.js';

export interface OverviewDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly config: Pick<Config, 'timeZone'>;
}

export interface SubscriberOverview {
  readonly total: number;
  /** Every status, in the order SUBSCRIBER_STATUSES gives, with its count (0 included). */
  readonly byStatus: readonly { readonly status: SubscriberStatus; readonly count: number }[];
  /** Newest week first, the current (unfinished) week included. */
  readonly growth: readonly GrowthWeek[];
}

export async function subscriberOverview(deps: OverviewDeps, weeks = 8): Promise<SubscriberOverview> {
  const counts = await countSubscribersByStatus(deps.db);
  const byStatus = SUBSCRIBER_STATUSES.map((status) => ({ status, count: counts.get(status) ?? 0 }));
  const keys = recentWeeks(deps.clock.now(), deps.config.timeZone, weeks);
  const since = weekWindow(requireWeek(keys.at(-1) ?? ''), deps.config.timeZone).start;
  return {
    total: byStatus.reduce((sum, entry) => sum + entry.count, 0),
    byStatus,
    growth: weeklyGrowth(await listStatusChangesSince(deps.db, since), keys, deps.config.timeZone),
  };
}

/** At most this many subscribers are listed for one search. */
export const SEARCH_LIMIT = 50;

/** Subscribers whose address contains `part` (ignoring case), most recently changed first. */
export function findSubscribers(
  deps: Pick<OverviewDeps, 'db'>,
  part: string,
): Promise<{ rows: SubscriberRow[]; total: number }> {
  return searchSubscribers(deps.db, part.trim(), SEARCH_LIMIT);
}
