// What each edition did (docs/engagement.md): the one service behind `digest stats` and the editor console.
// The figures are counted in SQL (engagement repository) and assembled by src/domain/edition-stats.ts.

import type { EditionRow, SubscriberStatus } from '../../db/schema.js';
import type { Db } from '../adapters/database.js';
import { findEdition, listEditions, loadEditionItems } from '../adapters/edition-repository.js';
import {
  countComparisonClicks,
  countEditionEvents,
  countEditionVotes,
  findDeliveryOfWeek,
  insertDeliveryEvents,
} from '../adapters/engagement-repository.js';
import { countDeliveries } from '../adapters/frozen-ledger-repository.js';
import { type EditionStats, type EditionVotes, editionStats } from '../domain/edition-stats.js';
import { countsAsUnsubscribedBy, linkEdition } from '../domain/unsubscribe-attribution.js';

export interface EngagementDeps {
  readonly db: Db;
}

export class UnknownEditionError extends Error {
  override name = 'UnknownEditionError';
}

async function statsOf(db: Db, edition: EditionRow, votes: EditionVotes | undefined): Promise<EditionStats> {
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
    votes,
  });
}

/** Each edition's figures, its votes counted for all of them at once. */
async function statsOfEach(db: Db, editions: readonly EditionRow[]): Promise<EditionStats[]> {
  const votes = await countEditionVotes(
    db,
    editions.map((edition) => edition.id),
  );
  const stats: EditionStats[] = [];
  for (const edition of editions) stats.push(await statsOf(db, edition, votes.get(edition.id)));
  return stats;
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
    return statsOfEach(deps.db, [edition]);
  }
  return statsOfEach(deps.db, await listEditions(deps.db));
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
