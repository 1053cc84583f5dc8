// Stored web versions of sent editions: rendered once, served from here (docs/operations.md).
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { DigestComparison } from '../domain/digest.js';

export interface StoredWebVersion {
  readonly html: string;
  readonly etag: string;
}

export async function findWebVersion(
  db: Kysely<Database>,
  editionId: number,
): Promise<StoredWebVersion | undefined> {
  return db
    .selectFrom('web_versions')
    .select(['html', 'etag'])
    .where('edition_id', '=', editionId)
    .executeTakeFirst();
}

/**
 * Stores an edition's web version unless one is stored already, and returns the stored one: when two
 * requests render the same edition at once, both serve the first one written.
 */
export async function storeWebVersion(
  db: Kysely<Database>,
  version: { editionId: number; html: string; etag: string; at: Date },
): Promise<StoredWebVersion> {
  await db
    .insertInto('web_versions')
    .values({
      edition_id: version.editionId,
      html: version.html,
      etag: version.etag,
      rendered_at: version.at.toISOString(),
    })
    .onConflict((conflict) => conflict.column('edition_id').doNothing())
    .execute();
  const stored = await findWebVersion(db, version.editionId);
  if (!stored) throw new Error(`web version of edition ${version.editionId} was not stored`);
  return stored;
}

/** The sent editions on either side of a week, by week key; undefined at either end of the archive. */
export interface EditionNeighbours {
  readonly previous?: string | undefined;
  readonly next?: string | undefined;
}

/**
 * The sent editions just before and just after `weekKey`, in one query. Week keys sort as their weeks do
 * (`2026-W09` before `2026-W10`), and a week sent late still falls in its place.
 */
export async function sentNeighbours(db: Kysely<Database>, weekKey: string): Promise<EditionNeighbours> {
  const row = await db
    .selectNoFrom((eb) => [
      eb
        .selectFrom('editions')
        .select((inner) => inner.fn.max('week_key').as('week_key'))
        .where('status', '=', 'sent')
        .where('week_key', '<', weekKey)
        .as('previous'),
      eb
        .selectFrom('editions')
        .select((inner) => inner.fn.min('week_key').as('week_key'))
        .where('status', '=', 'sent')
        .where('week_key', '>', weekKey)
        .as('next'),
    ])
    .executeTakeFirstOrThrow();
  return { previous: row.previous ?? undefined, next: row.next ?? undefined };
}

/** The first comparisons of an edition, in its order, and how many it carries in all. */
export interface EditionExcerpt {
  readonly items: readonly DigestComparison[];
  readonly total: number;
}

/**
 * The first `limit` comparisons of edition `editionId` (their snapshots, in edition order) and its count:
 * a page shows a bounded number of them, and a week of thousands is never parsed whole.
 */
export async function loadEditionExcerpt(
  db: Kysely<Database>,
  editionId: number,
  limit: number,
): Promise<EditionExcerpt> {
  const rows = await db
    .selectFrom('edition_items')
    .select('snapshot')
    .where('edition_id', '=', editionId)
    .orderBy('position')
    .limit(limit)
    .execute();
  const counted = await db
    .selectFrom('edition_items')
    .select((eb) => eb.fn.countAll<number | string>().as('count'))
    .where('edition_id', '=', editionId)
    .executeTakeFirstOrThrow();
  return {
    items: rows.map((row) => JSON.parse(row.snapshot) as DigestComparison),
    total: Number(counted.count),
  };
}
