// The delivery ledger as the freeze leaves it: writing an edition's rows (one per subscriber), counting
// them by status and reason, and reading its frozen content variants. The batches (forming one, recording
// the provider's answer) are in ./ledger-repository.ts. The statuses written here are named moves of
// ../domain/delivery-status.ts, tabled in docs/delivery.md. Each function takes the executor first: inside
// a transaction, pass the transaction (the SQLite dialect has one connection).
import { type Kysely, sql } from 'kysely';
import type { Database, SubscriberStatus } from '../../db/schema.js';
import type { DELIVERY_MOVES } from '../domain/delivery-status.js';

type Executor = Kysely<Database>;

/** What every subscriber with one status and one choice of categories gets in an edition's ledger. */
export interface LedgerEntry {
  readonly subscriberStatus: SubscriberStatus;
  /** The subscribers' categories column, exactly as stored. */
  readonly categories: string;
  readonly status: typeof DELIVERY_MOVES.freezePending.to | typeof DELIVERY_MOVES.freezeSkipped.to;
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

/** A content variant as frozen: its per-reader links are placeholders, by link name. */
export interface FrozenContent {
  readonly subject: string;
  readonly html: string;
  readonly text: string;
  readonly placeholders: Readonly<Record<string, string>>;
}

/** Every content variant of an edition, by id: an edition has a handful. */
export async function loadContents(db: Executor, editionId: number): Promise<Map<number, FrozenContent>> {
  const rows = await db
    .selectFrom('edition_contents')
    .selectAll()
    .where('edition_id', '=', editionId)
    .execute();
  return new Map(
    rows.map((row) => [
      row.id,
      { subject: row.subject, html: row.html, text: row.text, placeholders: JSON.parse(row.placeholders) },
    ]),
  );
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
