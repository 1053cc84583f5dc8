// Provider events and what each edition's emails did, in SQL. Figures are counted by the database over the
// `delivery_events_edition` index, never by loading events into memory.
import type { Insertable, Kysely } from 'kysely';
import type {
  Database,
  DeliveryEventKind,
  DeliveryEventsTable,
  ProviderEventsTable,
} from '../../db/schema.js';
import type { EditionOutcome } from '../domain/bounce-policy.js';
import type { EventCount } from '../domain/edition-stats.js';
import { impersonalPayload } from '../domain/provider-event.js';

type Executor = Kysely<Database>;

export interface DeliveryRef {
  readonly id: number;
  readonly editionId: number;
  readonly subscriberId: number;
  readonly weekKey: string;
  readonly sentAt: string | null;
  readonly deliveredAt: string | null;
}

/** The ledger row behind a provider email id, with its edition's week. */
export async function findDeliveryByProviderId(
  db: Executor,
  emailId: string,
): Promise<DeliveryRef | undefined> {
  return db
    .selectFrom('deliveries')
    .innerJoin('editions', 'editions.id', 'deliveries.edition_id')
    .select([
      'deliveries.id as id',
      'deliveries.edition_id as editionId',
      'deliveries.subscriber_id as subscriberId',
      'editions.week_key as weekKey',
      'deliveries.sent_at as sentAt',
      'deliveries.delivered_at as deliveredAt',
    ])
    .where('deliveries.provider_message_id', '=', emailId)
    .executeTakeFirst();
}

/** A reader's row in the edition of `weekKey`, if that edition has one for them. */
export async function findDeliveryOfWeek(db: Executor, subscriberId: number, weekKey: string) {
  return db
    .selectFrom('deliveries')
    .innerJoin('editions', 'editions.id', 'deliveries.edition_id')
    .select(['deliveries.id as id', 'deliveries.edition_id as editionId', 'deliveries.status as status'])
    .where('deliveries.subscriber_id', '=', subscriberId)
    .where('editions.week_key', '=', weekKey)
    .executeTakeFirst();
}

/** Stores an event once per svix-id; false when it was already stored (a replay). */
export async function storeProviderEvent(db: Executor, row: ProviderEventsTable): Promise<boolean> {
  const inserted = await db
    .insertInto('provider_events')
    .values(row)
    .onConflict((conflict) => conflict.column('svix_id').doNothing())
    .executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function insertDeliveryEvent(db: Executor, row: Insertable<DeliveryEventsTable>): Promise<void> {
  await db.insertInto('delivery_events').values(row).execute();
}

export type FirstSeenColumn = 'delivered_at' | 'opened_at' | 'clicked_at' | 'bounced_at' | 'complained_at';

/** Keeps the earliest time of each kind on the ledger row (events may arrive out of order). */
export async function noteFirstSeen(db: Executor, deliveryId: number, column: FirstSeenColumn, at: string) {
  await db
    .updateTable('deliveries')
    .set({ [column]: at })
    .where('id', '=', deliveryId)
    .where((eb) => eb.or([eb(column, 'is', null), eb(column, '>', at)]))
    .execute();
}

export interface StoredClick {
  readonly id: number;
  readonly occurredAt: string;
  readonly link: string;
  readonly userAgent: string | null;
  readonly kind: DeliveryEventKind | null;
  readonly comparisonSlug: string | null;
  readonly machineReason: string | null;
}

export async function clicksOfDelivery(db: Executor, deliveryId: number): Promise<StoredClick[]> {
  return db
    .selectFrom('delivery_events')
    .select([
      'id',
      'occurred_at as occurredAt',
      'link',
      'user_agent as userAgent',
      'kind',
      'comparison_slug as comparisonSlug',
      'machine_reason as machineReason',
    ])
    .where('delivery_id', '=', deliveryId)
    .where('type', '=', 'clicked')
    .where('link', 'is not', null)
    .orderBy('occurred_at')
    .orderBy('id')
    .$narrowType<{ link: string }>()
    .execute();
}

export async function classifyClick(
  db: Executor,
  id: number,
  classification: { kind: DeliveryEventKind; comparisonSlug: string | null; machineReason: string | null },
): Promise<void> {
  await db
    .updateTable('delivery_events')
    .set({
      kind: classification.kind,
      comparison_slug: classification.comparisonSlug,
      machine_reason: classification.machineReason,
    })
    .where('id', '=', id)
    .execute();
}

/**
 * The reader's most recent editions that were sent to them, newest first, each with whether it bounced
 * softly (transient or undetermined) without ever being reported delivered.
 */
export async function recentEditionOutcomes(
  db: Executor,
  subscriberId: number,
  limit: number,
): Promise<EditionOutcome[]> {
  const rows = await db
    .selectFrom('deliveries')
    .innerJoin('editions', 'editions.id', 'deliveries.edition_id')
    .select((eb) => [
      'editions.week_key as weekKey',
      eb
        .and([
          eb.exists(
            eb
              .selectFrom('delivery_events')
              .select('delivery_events.id')
              .whereRef('delivery_events.delivery_id', '=', 'deliveries.id')
              .where('delivery_events.type', '=', 'bounced')
              .where('delivery_events.kind', 'in', ['transient', 'undetermined']),
          ),
          eb.not(
            eb.exists(
              eb
                .selectFrom('delivery_events')
                .select('delivery_events.id')
                .whereRef('delivery_events.delivery_id', '=', 'deliveries.id')
                .where('delivery_events.type', '=', 'delivered'),
            ),
          ),
        ])
        .as('softBounced'),
    ])
    .where('deliveries.subscriber_id', '=', subscriberId)
    .where('deliveries.status', '=', 'sent')
    .orderBy('editions.week_key', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => ({ weekKey: row.weekKey, softBounced: Boolean(row.softBounced) }));
}

/** Per event type and kind: how many events, and how many distinct readers (deliveries) had one. */
export async function countEditionEvents(db: Executor, editionId: number): Promise<EventCount[]> {
  const rows = await db
    .selectFrom('delivery_events')
    .select((eb) => [
      'type',
      'kind',
      eb.fn.countAll<number>().as('events'),
      eb.fn.count<number>('delivery_id').distinct().as('readers'),
    ])
    .where('edition_id', '=', editionId)
    .groupBy(['type', 'kind'])
    .execute();
  return rows.map((row) => ({ ...row, events: Number(row.events), readers: Number(row.readers) }));
}

/** Human clicks and distinct human clickers per comparison of the edition. */
export async function countComparisonClicks(db: Executor, editionId: number) {
  const rows = await db
    .selectFrom('delivery_events')
    .select((eb) => [
      'comparison_slug as slug',
      eb.fn.countAll<number>().as('clicks'),
      eb.fn.count<number>('delivery_id').distinct().as('clickers'),
    ])
    .where('edition_id', '=', editionId)
    .where('type', '=', 'clicked')
    .where('kind', '=', 'human')
    .where('comparison_slug', 'is not', null)
    .groupBy('comparison_slug')
    .$narrowType<{ slug: string }>()
    .execute();
  return rows.map((row) => ({ slug: row.slug, clicks: Number(row.clicks), clickers: Number(row.clickers) }));
}

/**
 * Erasure: every stored provider event of this subscriber keeps only what names nobody (see
 * impersonalPayload). Their delivery events go with their ledger rows, by cascade.
 */
export async function eraseProviderEvents(db: Executor, subscriberId: number): Promise<void> {
  const rows = await db
    .selectFrom('provider_events')
    .select(['svix_id', 'payload'])
    .where('subscriber_id', '=', subscriberId)
    .execute();
  for (const row of rows) {
    let json: unknown = {};
    try {
      json = JSON.parse(row.payload);
    } catch {
      // Not JSON: nothing of it is kept.
    }
    await db
      .updateTable('provider_events')
      .set({ payload: impersonalPayload(json), subscriber_id: null })
      .where('svix_id', '=', row.svix_id)
      .execute();
  }
}
