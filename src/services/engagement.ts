// What each edition did (docs/engagement.md): the one service behind `digest stats` and the editor console.
// The figures are counted in SQL (engagement repository) and assembled by src/domain/edition-stats.ts.

import type { EditionRow, SubscriberStatus } from '../../db/schema.js';
import type { Db } from '../adapters/database.js';
import {
  countDeliveries,
  findEdition,
  listEditions,
  loadEditionItems,
} from '../adapters/edition-repository.js';
import {
  countComparisonClicks,
  countEditionEvents,
  findDeliveryOfWeek,
  insertDeliveryEvents,
} from '../adapters/engagement-repository.js';
import { type EditionStats, editionStats } from '../domain/edition-stats.js';
import { countsAsUnsubscribedBy, linkEdition } from '../domain/unsubscribe-attribution.js';

export interface EngagementDeps {
  readonly db: Db;
}

export class UnknownEditionError extends Error {
  override name = 'UnknownEditionError';
}

async function statsOf(db: Db, edition: EditionRow): Promise<EditionStats> {
  const [ledger, events, items, comparisonClicks] = await Promise.all([
    countDeliveries(db, edition.id),
    countEditionEvents(db, edition.id),
    loadEditionItems(db, edition.id),
    countComparisonClicks(db, edition.id),
  ]);
  return editionStats({
    week: edition.week_key,
    status: edition.status,
    ledger: ledger.byStatus,
    events,
    comparisons: items.map((item) => ({ slug: item.slug, title: item.title })),
    comparisonClicks,
  });
}

/**
 * The figures of one edition (`week`), or of every edition, newest first. An unknown week is an
 * UnknownEditionError with a sentence saying so.
 */
export async function engagementStats(
  deps: EngagementDeps,
  options: { readonly week?: string | undefined } = {},
): Promise<EditionStats[]> {
  if (options.week !== undefined) {
    const edition = await findEdition(deps.db, options.week);
    if (!edition)
      throw new UnknownEditionError(
        `There is no edition for ${options.week}; \`digest editions\` lists them.`,
      );
    return [await statsOf(deps.db, edition)];
  }
  const stats: EditionStats[] = [];
  for (const edition of await listEditions(deps.db)) stats.push(await statsOf(deps.db, edition));
  return stats;
}

/**
 * Counts an unsubscribe against the edition whose link was used (`e` of the link), when the rule of
 * src/domain/unsubscribe-attribution.ts says it counts. Runs in the unsubscribe's transaction.
 */
export async function recordUnsubscribe(
  trx: Db,
  subscriber: { readonly id: number; readonly status: SubscriberStatus },
  linkWeek: string | undefined,
  at: Date,
): Promise<void> {
  const week = linkEdition(linkWeek);
  if (!week) return;
  const delivery = await findDeliveryOfWeek(trx, subscriber.id, week);
  if (!delivery || !countsAsUnsubscribedBy(subscriber.status, delivery)) return;
  await insertDeliveryEvents(trx, [
    {
      delivery_id: delivery.id,
      edition_id: delivery.editionId,
      type: 'unsubscribed',
      occurred_at: at.toISOString(),
    },
  ]);
}
