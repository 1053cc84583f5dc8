// Editions (their rows and statuses) and the comparisons each carries, as frozen snapshots in edition_items;
// which comparisons a week may carry; the content variants the freeze writes beside them. The ledger's
// batches are in ledger-repository.ts; its rows as frozen, their counts and the reading of content
// variants in frozen-ledger-repository.ts.
import type { Kysely } from 'kysely';
import type { Database, EditionRow, EditionStatus } from '../../db/schema.js';
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

/** One rendered content variant of an edition, stored at the freeze; returns its id. */
export async function insertContentVariant(
  db: Executor,
  editionId: number,
  variant: {
    readonly contentKey: string;
    readonly subject: string;
    readonly html: string;
    readonly text: string;
    readonly placeholders: Readonly<Record<string, string>>;
  },
): Promise<number> {
  const inserted = await db
    .insertInto('edition_contents')
    .values({
      edition_id: editionId,
      content_key: variant.contentKey,
      subject: variant.subject,
      html: variant.html,
      text: variant.text,
      placeholders: JSON.stringify(variant.placeholders),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
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
