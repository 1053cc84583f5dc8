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
import type { EditionVotes, EventCount } from '../domain/edition-stats.js';
import { impersonalPayload } from '../domain/provider-event.js';

type Executor = Kysely<Database>;

export type FirstSeenColumn = 'delivered_at' | 'opened_at' | 'clicked_at' | 'bounced_at' | 'complained_at';

export interface DeliveryRef {
  readonly id: number;
  readonly editionId: number;
  readonly subscriberId: number;
  readonly weekKey: string;
  readonly sentAt: string | null;
  /** The provider's id of the email this row sent. */
  readonly emailId: string;
  /** The earliest time of each kind of event recorded on the row so far. */
  readonly firstSeen: Readonly<Record<FirstSeenColumn, string | null>>;
}

/** The ledger rows behind these provider email ids, with their editions' weeks; in no particular order. */
export async function findDeliveriesByProviderIds(
  db: Executor,
  emailIds: readonly string[],
): Promise<DeliveryRef[]> {
  if (emailIds.length === 0) return [];
  const rows = await db
    .selectFrom('deliveries')
    .innerJoin('editions', 'editions.id', 'deliveries.edition_id')
    .select([
      'deliveries.id as id',
      'deliveries.edition_id as editionId',
      'deliveries.subscriber_id as subscriberId',
      'editions.week_key as weekKey',
      'deliveries.sent_at as sentAt',
      'deliveries.provider_message_id as emailId',
      'deliveries.delivered_at',
      'deliveries.opened_at',
      'deliveries.clicked_at',
      'deliveries.bounced_at',
      'deliveries.complained_at',
    ])
    .where('deliveries.provider_message_id', 'in', [...emailIds])
    .$narrowType<{ emailId: string }>()
    .execute();
  return rows.map(({ delivered_at, opened_at, clicked_at, bounced_at, complained_at, ...ref }) => ({
    ...ref,
    firstSeen: { delivered_at, opened_at, clicked_at, bounced_at, complained_at },
  }));
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

/**
 * Stores each event once per svix-id; answers the svix-ids stored now (the others were stored before:
 * replays). The rows' svix-ids must differ from one another.
 */
export async function storeProviderEvents(
  db: Executor,
  rows: readonly ProviderEventsTable[],
): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const inserted = await db
    .insertInto('provider_events')
    .values([...rows])
    .onConflict((conflict) => conflict.column('svix_id').doNothing())
    .returning('svix_id')
    .execute();
  return new Set(inserted.map((row) => row.svix_id));
}

export async function insertDeliveryEvents(
  db: Executor,
  rows: readonly Insertable<DeliveryEventsTable>[],
): Promise<void> {
  if (rows.length > 0)
    await db
      .insertInto('delivery_events')
      .values([...rows])
      .execute();
}

/** New first-seen times of some ledger rows (the caller has kept the earliest of each). */
export interface FirstSeenTimes {
  readonly deliveryId: number;
  readonly times: Partial<Record<FirstSeenColumn, string>>;
}

/** Sets every row's new times in one statement; a column a row has no new time for keeps its value. */
export async function setFirstSeen(db: Executor, rows: readonly FirstSeenTimes[]): Promise<void> {
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row.times) as FirstSeenColumn[]))];
  if (columns.length === 0) return;
  await db
    .updateTable('deliveries')
    .set((eb) =>
      Object.fromEntries(
        columns.map((column) => {
          const setting = rows.filter((row) => row.times[column] !== undefined);
          const [first, ...rest] = setting;
          if (!first) return [column, eb.ref(column)];
          let when = eb
            .case()
            .when('id', '=', first.deliveryId)
            .then(first.times[column] ?? null);
          for (const row of rest) when = when.when('id', '=', row.deliveryId).then(row.times[column] ?? null);
          return [column, when.else(eb.ref(column)).end()];
        }),
      ),
    )
    .where(
      'id',
      'in',
      rows.map((row) => row.deliveryId),
    )
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

/** The clicks with a link of each of these ledger rows, by row, each row's in the order they were made. */
export async function clicksOfDeliveries(
  db: Executor,
  deliveryIds: readonly number[],
): Promise<Map<number, StoredClick[]>> {
  const clicks = new Map<number, StoredClick[]>();
  if (deliveryIds.length === 0) return clicks;
  const rows = await db
    .selectFrom('delivery_events')
    .select([
      'id',
      'delivery_id as deliveryId',
      'occurred_at as occurredAt',
      'link',
      'user_agent as userAgent',
      'kind',
      'comparison_slug as comparisonSlug',
      'machine_reason as machineReason',
    ])
    .where('delivery_id', 'in', [...deliveryIds])
    .where('type', '=', 'clicked')
    .where('link', 'is not', null)
    .orderBy('occurred_at')
    .orderBy('id')
    .$narrowType<{ link: string }>()
    .execute();
  for (const { deliveryId, ...click } of rows)
    clicks.set(deliveryId, [...(clicks.get(deliveryId) ?? []), click]);
  return clicks;
}

export interface ClickClassification {
  readonly id: number;
  readonly kind: DeliveryEventKind;
  readonly comparisonSlug: string | null;
  readonly machineReason: string | null;
}

/** Writes how each of these clicks reads, all in one statement. */
export async function setClickClassifications(
  db: Executor,
  clicks: readonly ClickClassification[],
): Promise<void> {
  const [first, ...rest] = clicks;
  if (!first) return;
  await db
    .updateTable('delivery_events')
    .set((eb) => {
      const each = <V>(value: (click: ClickClassification) => V) => {
        let when = eb.case().when('id', '=', first.id).then(value(first));
        for (const click of rest) when = when.when('id', '=', click.id).then(value(click));
        return when.end();
      };
      return {
        kind: each((click) => click.kind),
        comparison_slug: each((click) => click.comparisonSlug),
        machine_reason: each((click) => click.machineReason),
      };
    })
    .where(
      'id',
      'in',
      clicks.map((click) => click.id),
    )
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
 * The votes cast from each of these editions' links: distinct voters per edition, and votes per comparison.
 * Two queries for the whole set, over the `votes_edition` index, however many editions and votes there are.
 */
export async function countEditionVotes(
  db: Executor,
  editionIds: readonly number[],
): Promise<Map<number, EditionVotes>> {
  const byEdition = new Map<number, { voters: number; comparisons: { slug: string; votes: number }[] }>();
  if (editionIds.length === 0) return byEdition;
  const [voters, comparisons] = await Promise.all([
    db
      .selectFrom('votes')
      .select((eb) => ['edition_id', eb.fn.count<number>('subscriber_id').distinct().as('voters')])
      .where('edition_id', 'in', [...editionIds])
      .groupBy('edition_id')
      .execute(),
    db
      .selectFrom('votes')
      .innerJoin('comparisons', 'comparisons.id', 'votes.comparison_id')
      .select((eb) => ['votes.edition_id', 'comparisons.slug', eb.fn.countAll<number>().as('votes')])
      .where('votes.edition_id', 'in', [...editionIds])
      .groupBy(['votes.edition_id', 'comparisons.slug'])
      .execute(),
  ]);
  // PostgreSQL counts in bigint, which its driver returns as a string.
  for (const row of voters) byEdition.set(row.edition_id, { voters: Number(row.voters), comparisons: [] });
  for (const row of comparisons)
    byEdition.get(row.edition_id)?.comparisons.push({ slug: row.slug, votes: Number(row.votes) });
  return byEdition;
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
