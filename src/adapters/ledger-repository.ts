// The delivery ledger: an edition's rows (one per subscriber), its frozen content variants and its batches.
// Every status a function here writes is a named move of ../domain/delivery-status.ts, and docs/delivery.md
// tables them. Each function takes the executor first: inside a transaction, pass the transaction, since
// the SQLite dialect has one connection and a query on the outer handle would wait for it forever.
import { type Kysely, sql } from 'kysely';
import type { BatchRow, Database, SubscriberStatus } from '../../db/schema.js';
import { BATCH_MOVES, DELIVERY_MOVES } from '../domain/delivery-status.js';

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

/** Batches formed but not settled (an interrupted run left them): they go first, under their own key. */
export async function pendingBatches(db: Executor, editionId: number): Promise<BatchRow[]> {
  return db
    .selectFrom('batches')
    .selectAll()
    .where('edition_id', '=', editionId)
    .where('status', '=', BATCH_MOVES.formBatch.to)
    .orderBy('id')
    .execute();
}

/** A ledger row with what its copy is built from. */
export interface LedgerRecipient {
  readonly deliveryId: number;
  readonly contentId: number;
  readonly email: string;
  readonly token: string;
  readonly subscriberStatus: SubscriberStatus;
  /** How they came to be on the list, for the footer's "why you get this": see consentReason. */
  readonly source: string;
  /** Whether they ever confirmed by link (SQLite answers 0 or 1, PostgreSQL a boolean). */
  readonly confirmedByLink: unknown;
}

function recipientsQuery(db: Executor, editionId: number) {
  return db
    .selectFrom('deliveries')
    .innerJoin('subscribers', 'subscribers.id', 'deliveries.subscriber_id')
    .select([
      'deliveries.id as deliveryId',
      'deliveries.content_id as contentId',
      'subscribers.email as email',
      'subscribers.token as token',
      'subscribers.status as subscriberStatus',
      'subscribers.source as source',
    ])
    .select((eb) =>
      eb
        .exists(
          eb
            .selectFrom('confirmation_tokens')
            .select('confirmation_tokens.token_hash')
            .whereRef('confirmation_tokens.subscriber_id', '=', 'subscribers.id')
            .where('confirmation_tokens.used_at', 'is not', null),
        )
        .as('confirmedByLink'),
    )
    .where('deliveries.edition_id', '=', editionId);
}

// Only a pending row has no variant (a skipped one), and no such row is ever sent.
const withContent = (rows: readonly (Omit<LedgerRecipient, 'contentId'> & { contentId: number | null })[]) =>
  rows.map((row): LedgerRecipient => ({ ...row, contentId: row.contentId ?? 0 }));

/** The rows of batch `batchId`, in id order (the order they were formed in). */
export async function batchRecipients(
  db: Executor,
  editionId: number,
  batchId: number,
): Promise<LedgerRecipient[]> {
  const rows = await recipientsQuery(db, editionId)
    .where('deliveries.batch_id', '=', batchId)
    .orderBy('deliveries.id')
    .execute();
  return withContent(rows);
}

/**
 * The next pending rows to batch: the first row a refused batch sent back to go alone (`solo`), or else the
 * first `limit` in id order. Solo rows are looked up by index deliveries_pending_order, and only when
 * `soloFirst` says some may exist; the others come in id order from deliveries_edition_status. No batch
 * reads or sorts every pending row, on either engine.
 */
export async function nextPendingRecipients(
  db: Executor,
  editionId: number,
  limit: number,
  soloFirst: boolean,
): Promise<{ readonly recipients: LedgerRecipient[]; readonly solo: boolean }> {
  const pending = recipientsQuery(db, editionId).where(
    'deliveries.status',
    '=',
    DELIVERY_MOVES.formBatch.from,
  );
  const solo = soloFirst
    ? await pending.where('deliveries.solo', '=', 1).orderBy('deliveries.id').limit(1).execute()
    : [];
  if (solo.length > 0) return { recipients: withContent(solo), solo: true };
  const rows = await pending.orderBy('deliveries.id').limit(limit).execute();
  return { recipients: withContent(rows), solo: false };
}

/** A pending row whose reader is no longer active: skipped, with why, instead of sent. */
export async function skipWithdrawn(db: Executor, deliveryId: number, reason: string): Promise<void> {
  await db
    .updateTable('deliveries')
    .set({ status: DELIVERY_MOVES.skipWithdrawn.to, reason })
    .where('id', '=', deliveryId)
    .execute();
}

export interface NewBatch {
  readonly editionId: number;
  readonly idempotencyKey: string;
  /** The envelope as JSON, as it stands when the batch is formed: a retry after a restart uses it. */
  readonly envelope: string;
  readonly payloadHash: string;
  readonly createdAt: string;
}

/** Stores a batch with its key and hash, and takes the rows `deliveryIds` into it; before any request. */
export async function formBatch(
  db: Executor,
  batch: NewBatch,
  deliveryIds: readonly number[],
): Promise<BatchRow> {
  const row = await db
    .insertInto('batches')
    .values({
      edition_id: batch.editionId,
      idempotency_key: batch.idempotencyKey,
      envelope: batch.envelope,
      payload_hash: batch.payloadHash,
      status: BATCH_MOVES.formBatch.to,
      created_at: batch.createdAt,
      finished_at: null,
      last_error: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await db
    .updateTable('deliveries')
    .set({ status: DELIVERY_MOVES.formBatch.to, batch_id: row.id })
    .where('id', 'in', deliveryIds)
    .execute();
  return row;
}

/** An answer that settles nothing (retryable, halt): the batch stays pending, with its count of attempts. */
export async function noteBatchAttempt(
  db: Executor,
  batchId: number,
  reason: string,
  attempts: number,
): Promise<void> {
  await db.updateTable('batches').set({ last_error: reason, attempts }).where('id', '=', batchId).execute();
}

/**
 * The provider accepted batch `batchId`: its rows are sent, each with the provider's id of its own email
 * (`emailIds[i]` for `deliveryIds[i]`).
 */
export async function markBatchSent(
  db: Executor,
  sent: {
    readonly batchId: number;
    readonly deliveryIds: readonly number[];
    readonly emailIds: readonly string[];
    readonly attempts: number;
    readonly at: string;
  },
): Promise<void> {
  const { batchId, deliveryIds, emailIds, attempts, at } = sent;
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('batches')
      .set({ status: BATCH_MOVES.markBatchSent.to, finished_at: at, last_error: null, attempts })
      .where('id', '=', batchId)
      .execute();
    // One statement for the whole batch: each recipient's own provider id, by delivery id.
    const idsByDelivery = sql.join(
      deliveryIds.map((deliveryId, index) => sql`when ${deliveryId} then ${emailIds[index] ?? null}`),
      sql` `,
    );
    await trx
      .updateTable('deliveries')
      .set({
        status: DELIVERY_MOVES.markBatchSent.to,
        sent_at: at,
        provider_message_id: sql<string>`case id ${idsByDelivery} end`,
      })
      .where('batch_id', '=', batchId)
      .execute();
  });
}

/**
 * The provider refused batch `batchId` of several, so nothing of it went out: the batch fails and each of
 * its rows goes again alone (`solo`), so one bad address fails only itself.
 */
export async function requeueAlone(
  db: Executor,
  batchId: number,
  reason: string,
  attempts: number,
  at: string,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('batches')
      .set({ status: BATCH_MOVES.requeueAlone.to, finished_at: at, last_error: reason, attempts })
      .where('id', '=', batchId)
      .execute();
    await trx
      .updateTable('deliveries')
      .set({ status: DELIVERY_MOVES.requeueAlone.to, batch_id: null, solo: 1 })
      .where('batch_id', '=', batchId)
      .execute();
  });
}

/**
 * Batch `batchId` and its rows fail with `reason`: the provider refused a batch of one, or (no `attempts`:
 * no request was made) the batch changed since it was formed.
 */
export async function failBatch(
  db: Executor,
  batchId: number,
  reason: string,
  at: string,
  attempts?: number,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('batches')
      .set({
        status: BATCH_MOVES.failBatch.to,
        finished_at: at,
        last_error: reason,
        ...(attempts === undefined ? {} : { attempts }),
      })
      .where('id', '=', batchId)
      .execute();
    await trx
      .updateTable('deliveries')
      .set({ status: DELIVERY_MOVES.failBatch.to, reason })
      .where('batch_id', '=', batchId)
      .execute();
  });
}
