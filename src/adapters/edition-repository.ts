// Editions, their frozen items and content variants, the delivery ledger and batches, in SQLite.
import { type Kysely, sql } from 'kysely';
import type { Database, EditionRow, EditionStatus, SubscriberStatus } from '../../db/schema.js';
import type { DigestComparison } from '../domain/digest.js';
import type { WeekWindow } from '../domain/weeks.js';

type Executor = Kysely<Database>;

export async function findEdition(db: Executor, weekKey: string): Promise<EditionRow | undefined> {
  return db.selectFrom('editions').selectAll().where('week_key', '=', weekKey).executeTakeFirst();
}

/** The latest edition of a week before `weekKey` (week keys sort as text in calendar order). */
export async function latestEditionBefore(db: Executor, weekKey: string): Promise<EditionRow | undefined> {
  return db
    .selectFrom('editions')
    .selectAll()
    .where('week_key', '<', weekKey)
    .orderBy('week_key', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function listEditions(db: Executor, statuses?: readonly EditionStatus[]): Promise<EditionRow[]> {
  let query = db.selectFrom('editions').selectAll();
  if (statuses) query = query.where('status', 'in', statuses);
  return query.orderBy('week_key', 'desc').execute();
}

export async function insertEdition(
  db: Executor,
  edition: {
    weekKey: string;
    status: EditionStatus;
    reason: string | null;
    timeZone: string;
    window: WeekWindow;
    subject: string | null;
    now: Date;
    note?: string | null;
    approval?: { by: string; at: string } | null;
  },
): Promise<EditionRow> {
  const at = edition.now.toISOString();
  return db
    .insertInto('editions')
    .values({
      week_key: edition.weekKey,
      status: edition.status,
      reason: edition.reason,
      time_zone: edition.timeZone,
      window_start: edition.window.start.toISOString(),
      window_end: edition.window.end.toISOString(),
      subject: edition.subject,
      planned_at: at,
      started_at: edition.status === 'sending' ? at : null,
      finished_at: edition.status === 'sending' ? null : at,
      note: edition.note ?? null,
      approved_by: edition.approval?.by ?? null,
      approved_at: edition.approval?.at ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function finishEdition(db: Executor, editionId: number, now: Date): Promise<void> {
  await db
    .updateTable('editions')
    .set({ status: 'sent', finished_at: now.toISOString() })
    .where('id', '=', editionId)
    .where('status', '=', 'sending')
    .execute();
}

/**
 * Comparisons the edition of week `weekKey` should carry: published inside `window` (the week's own, reaching
 * back over earlier weeks that handed theirs on), plus those published in `previous.window` but imported
 * after that week's edition was planned (so it missed them), plus those an editor held back from an earlier
 * week's draft; never one an edition already carried. Newest first.
 */
export async function selectNewComparisonIds(
  db: Executor,
  weekKey: string,
  window: WeekWindow,
  previous: { window: WeekWindow; plannedAt: string | null },
): Promise<number[]> {
  const rows = await db
    .selectFrom('comparisons')
    .select(['id', 'published_at', 'slug'])
    .where((eb) => {
      const inWindow = eb.and([
        eb('published_at', '>=', window.start.toISOString()),
        eb('published_at', '<', window.end.toISOString()),
      ]);
      // ISO week keys sort as text in calendar order ("2026-W09" < "2026-W10" < "2027-W01").
      const heldEarlier = eb(
        'id',
        'in',
        eb
          .selectFrom('draft_items')
          .select('comparison_id')
          .where('held', '=', 1)
          .where('week_key', '<', weekKey),
      );
      if (previous.plannedAt === null) return eb.or([inWindow, heldEarlier]);
      return eb.or([
        inWindow,
        heldEarlier,
        eb.and([
          eb('published_at', '>=', previous.window.start.toISOString()),
          eb('published_at', '<', previous.window.end.toISOString()),
          eb('created_at', '>', previous.plannedAt),
        ]),
      ]);
    })
    .where('id', 'not in', (eb) => eb.selectFrom('edition_items').select('comparison_id'))
    .orderBy('published_at', 'desc')
    .orderBy('slug')
    .execute();
  return rows.map((row) => row.id);
}

export async function insertEditionItems(
  db: Executor,
  editionId: number,
  items: readonly { comparisonId: number; view: DigestComparison }[],
): Promise<void> {
  if (items.length === 0) return;
  await db
    .insertInto('edition_items')
    .values(
      items.map((item, position) => ({
        edition_id: editionId,
        comparison_id: item.comparisonId,
        position,
        snapshot: JSON.stringify(item.view),
      })),
    )
    .execute();
}

/** What every subscriber with one status and one choice of categories gets in an edition's ledger. */
export interface LedgerEntry {
  readonly subscriberStatus: SubscriberStatus;
  /** The subscribers' categories column, exactly as stored. */
  readonly categories: string;
  readonly status: 'pending' | 'skipped';
  readonly reason: string | null;
  readonly contentId: number | null;
}

const LEDGER_ENTRY_CHUNK = 500;

/**
 * Writes edition `editionId`'s ledger: one delivery per subscriber, in subscriber id order, as the entry
 * for the subscriber's (status, categories) says. The entries go into a temporary table and the database
 * writes every row in one INSERT ... SELECT, joining each subscriber to their entry by its primary key:
 * reading a million subscribers into this process and inserting them back in chunks took several times as
 * long. A subscriber whose pair has no entry gets no row. Call it in the freezing transaction, which the
 * temporary table lives and dies in. Returns how many rows were written.
 */
export async function insertLedger(
  db: Executor,
  editionId: number,
  entries: readonly LedgerEntry[],
  now: Date,
): Promise<number> {
  await sql`create temporary table ledger_entries (
    subscriber_status text not null,
    categories text not null,
    status text not null,
    reason text,
    content_id integer,
    primary key (subscriber_status, categories)
  )`.execute(db);
  for (let start = 0; start < entries.length; start += LEDGER_ENTRY_CHUNK) {
    const values = entries
      .slice(start, start + LEDGER_ENTRY_CHUNK)
      .map(
        (entry) =>
          sql`(${entry.subscriberStatus}, ${entry.categories}, ${entry.status}, ${entry.reason}, ${entry.contentId})`,
      );
    await sql`insert into ledger_entries (subscriber_status, categories, status, reason, content_id)
      values ${sql.join(values)}`.execute(db);
  }
  // CROSS JOIN makes SQLite walk the subscribers in id order (the order the rows get their ids, and so
  // the order they are sent in) and look each one's entry up, instead of sorting a million rows.
  const written =
    await sql`insert into deliveries (edition_id, subscriber_id, status, reason, content_id, created_at)
    select cast(${editionId} as integer), s.id, e.status, e.reason, e.content_id, cast(${now.toISOString()} as text)
    from subscribers s cross join ledger_entries e
    where e.subscriber_status = s.status and e.categories = s.categories
    order by s.id`.execute(db);
  await sql`drop table ledger_entries`.execute(db);
  return Number(written.numAffectedRows ?? 0n);
}

/** The comparisons an edition carries, as frozen when it was planned, in edition order. */
export async function loadEditionItems(db: Executor, editionId: number): Promise<DigestComparison[]> {
  const rows = await db
    .selectFrom('edition_items')
    .select('snapshot')
    .where('edition_id', '=', editionId)
    .orderBy('position')
    .execute();
  return rows.map((row) => JSON.parse(row.snapshot) as DigestComparison);
}

export interface DeliveryCounts {
  readonly total: number;
  readonly byStatus: Readonly<Record<string, number>>;
  /** `${status}: ${reason}` -> count, for skipped and failed rows. */
  readonly byReason: Readonly<Record<string, number>>;
}

export async function countDeliveries(db: Executor, editionId: number): Promise<DeliveryCounts> {
  const rows = await db
    .selectFrom('deliveries')
    .select(['status', 'reason', (eb) => eb.fn.countAll<number>().as('count')])
    .where('edition_id', '=', editionId)
    .groupBy(['status', 'reason'])
    .execute();
  const byStatus: Record<string, number> = {};
  const byReason: Record<string, number> = {};
  let total = 0;
  for (const row of rows) {
    const count = Number(row.count);
    total += count;
    byStatus[row.status] = (byStatus[row.status] ?? 0) + count;
    if (row.reason !== null) byReason[`${row.status}: ${row.reason}`] = count;
  }
  return { total, byStatus, byReason };
}

/** The subject a frozen content variant (by its content key) went out with. */
export async function findContentSubject(
  db: Executor,
  editionId: number,
  contentKey: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('edition_contents')
    .select('subject')
    .where('edition_id', '=', editionId)
    .where('content_key', '=', contentKey)
    .executeTakeFirst();
  return row?.subject;
}
