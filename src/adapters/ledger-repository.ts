// The delivery ledger's batches: reading the rows still to send, forming a batch of them and recording the
// provider's answer. Writing the ledger at the freeze, counting it and reading the frozen content variants
// are in ./frozen-ledger-repository.ts. Every status a function here writes is a named move of
// ../domain/delivery-status.ts, and docs/delivery.md tables them. Each function takes the executor first:
// inside a transaction, pass the transaction, since the SQLite dialect has one connection and a query on
// the outer handle would wait for it forever.
import { type Kysely, sql } from 'kysely';
import type { BatchRow, Database, SubscriberStatus } from '../../db/schema.js';
import { BATCH_MOVES, DELIVERY_MOVES } from '../domain/delivery-status.js';

type Executor = Kysely<Database>;

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
