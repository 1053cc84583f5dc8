// Drafts: each week's shaping (note, subject, lead order, holds), its approval, and the reviewer copies
// already sent. Plain functions taking the executor first.
import type { Kysely } from 'kysely';
import type { Database, DraftRow, ReviewCopyKind } from '../../db/schema.js';
import type { Shaping } from '../domain/draft.js';

type Executor = Kysely<Database>;

export async function findDraft(db: Executor, weekKey: string): Promise<DraftRow | undefined> {
  return db.selectFrom('drafts').selectAll().where('week_key', '=', weekKey).executeTakeFirst();
}

/** The week's lead order and holds, by slug. */
export async function loadShaping(db: Executor, weekKey: string): Promise<Shaping> {
  const rows = await db
    .selectFrom('draft_items')
    .innerJoin('comparisons', 'comparisons.id', 'draft_items.comparison_id')
    .select(['comparisons.slug as slug', 'draft_items.position as position', 'draft_items.held as held'])
    .where('draft_items.week_key', '=', weekKey)
    .orderBy('draft_items.position')
    .execute();
  return {
    order: rows.filter((row) => row.position !== null).map((row) => row.slug),
    held: rows.filter((row) => row.held === 1).map((row) => row.slug),
  };
}

/**
 * Records a change to a week's draft: creates the draft if needed, applies `changes`, and bumps its
 * revision, so an edition being frozen at the same moment notices and plans again.
 */
export async function touchDraft(
  db: Executor,
  weekKey: string,
  now: Date,
  changes: { note?: string | null; subject?: string | null } = {},
): Promise<void> {
  const at = now.toISOString();
  await db
    .insertInto('drafts')
    .values({ week_key: weekKey, note: null, subject: null, updated_at: at, ...changes })
    .onConflict((conflict) =>
      conflict
        .column('week_key')
        .doUpdateSet((eb) => ({ ...changes, updated_at: at, revision: eb('drafts.revision', '+', 1) })),
    )
    .execute();
}

/** These comparisons first, in this order; every other item of the week loses its place. */
export async function setLeadOrder(db: Executor, weekKey: string, comparisonIds: readonly number[]) {
  await db.updateTable('draft_items').set({ position: null }).where('week_key', '=', weekKey).execute();
  for (const [position, comparisonId] of comparisonIds.entries()) {
    await db
      .insertInto('draft_items')
      .values({ week_key: weekKey, comparison_id: comparisonId, position })
      .onConflict((conflict) => conflict.columns(['week_key', 'comparison_id']).doUpdateSet({ position }))
      .execute();
  }
}

export async function setHeld(db: Executor, weekKey: string, comparisonId: number, held: boolean) {
  const flag = held ? 1 : 0;
  await db
    .insertInto('draft_items')
    .values({ week_key: weekKey, comparison_id: comparisonId, position: null, held: flag })
    .onConflict((conflict) => conflict.columns(['week_key', 'comparison_id']).doUpdateSet({ held: flag }))
    .execute();
}

export async function setApproval(
  db: Executor,
  weekKey: string,
  approval: { by: string; at: string; fingerprint: string } | null,
): Promise<void> {
  await db
    .updateTable('drafts')
    .set({
      approved_by: approval?.by ?? null,
      approved_at: approval?.at ?? null,
      approved_fingerprint: approval?.fingerprint ?? null,
    })
    .where('week_key', '=', weekKey)
    .execute();
}

export interface ReviewCopyRecord {
  readonly kind: ReviewCopyKind;
  readonly idempotencyKey: string;
  readonly status: 'pending' | 'sent' | 'failed';
}

export async function listReviewCopies(db: Executor, weekKey: string): Promise<ReviewCopyRecord[]> {
  const rows = await db
    .selectFrom('review_copies')
    .select(['kind', 'idempotency_key', 'status'])
    .where('week_key', '=', weekKey)
    .execute();
  return rows.map((row) => ({ kind: row.kind, idempotencyKey: row.idempotency_key, status: row.status }));
}

/**
 * Claims a reviewer copy before it is sent; the first claim wins (two workers, or a restart), and a claim
 * left pending by an attempt that did not finish keeps its key, so the retry cannot deliver twice.
 */
export async function claimReviewCopy(
  db: Executor,
  weekKey: string,
  kind: ReviewCopyKind,
  idempotencyKey: string,
  now: Date,
): Promise<ReviewCopyRecord> {
  await db
    .insertInto('review_copies')
    .values({
      week_key: weekKey,
      kind,
      idempotency_key: idempotencyKey,
      status: 'pending',
      error: null,
      created_at: now.toISOString(),
      sent_at: null,
    })
    .onConflict((conflict) => conflict.columns(['week_key', 'kind']).doNothing())
    .execute();
  const row = await db
    .selectFrom('review_copies')
    .select(['kind', 'idempotency_key', 'status'])
    .where('week_key', '=', weekKey)
    .where('kind', '=', kind)
    .executeTakeFirstOrThrow();
  return { kind: row.kind, idempotencyKey: row.idempotency_key, status: row.status };
}

export async function finishReviewCopy(
  db: Executor,
  weekKey: string,
  kind: ReviewCopyKind,
  outcome: { status: 'sent' | 'failed'; error: string | null },
  now: Date,
): Promise<void> {
  await db
    .updateTable('review_copies')
    .set({ status: outcome.status, error: outcome.error, sent_at: now.toISOString() })
    .where('week_key', '=', weekKey)
    .where('kind', '=', kind)
    .execute();
}

/** The weeks whose drafts hold each comparison back, by comparison id. */
export async function listHeldWeeks(db: Executor): Promise<Map<number, string[]>> {
  const rows = await db
    .selectFrom('draft_items')
    .select(['comparison_id', 'week_key'])
    .where('held', '=', 1)
    .execute();
  const weeks = new Map<number, string[]>();
  for (const row of rows)
    weeks.set(row.comparison_id, [...(weeks.get(row.comparison_id) ?? []), row.week_key]);
  return weeks;
}
