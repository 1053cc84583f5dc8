// Comparisons, their tools and reviews in SQLite. Plain functions that take the database first.
import type { Kysely } from 'kysely';
import type { Database, EditionStatus } from '../../db/schema.js';
import { type Comparison, defaultComparisonUrl, type Review, type Tool } from '../domain/comparison.js';
import type { ComparisonDocument } from '../domain/comparison-document.js';
import { groupBy } from '../domain/group-by.js';

type Executor = Kysely<Database>;

export interface ComparisonListing {
  readonly id: number;
  readonly slug: string;
  readonly title: string;
  readonly publishedAt: Date;
  /** ISO instant of its first import (the selection rule compares it with an edition's planning time). */
  readonly importedAt: string;
  /** The edition that carried it, if any. */
  readonly carriedBy: { readonly week: string; readonly status: EditionStatus } | undefined;
}

/** Inserts or replaces the comparison with this slug; says which it did. Run inside a transaction. */
export async function upsertComparison(
  db: Executor,
  document: ComparisonDocument,
  now: Date,
): Promise<'added' | 'updated'> {
  const fields = {
    title: document.title ?? document.tools.map((tool) => tool.name).join(' vs '),
    url: document.url ?? null,
    headline: document.headline ?? null,
    published_at: new Date(document.publishedAt).toISOString(),
    updated_at: now.toISOString(),
  };
  const existing = await db
    .selectFrom('comparisons')
    .select('id')
    .where('slug', '=', document.slug)
    .executeTakeFirst();
  let comparisonId: number;
  if (existing) {
    comparisonId = existing.id;
    await db.updateTable('comparisons').set(fields).where('id', '=', comparisonId).execute();
    await db.deleteFrom('tools').where('comparison_id', '=', comparisonId).execute();
  } else {
    const inserted = await db
      .insertInto('comparisons')
      .values({ ...fields, slug: document.slug, created_at: now.toISOString() })
      .returning('id')
      .executeTakeFirstOrThrow();
    comparisonId = inserted.id;
  }
  for (const [position, tool] of document.tools.entries()) {
    const { id: toolId } = await db
      .insertInto('tools')
      .values({
        comparison_id: comparisonId,
        position,
        slug: tool.slug,
        name: tool.name,
        category: tool.category,
        tagline: tool.tagline ?? null,
        description: tool.description ?? null,
        pricing: tool.pricing ?? null,
        entry_price: tool.entryPrice ?? null,
        best_for: tool.bestFor ?? null,
        url: tool.url ?? null,
        community_ship: tool.communityVotes?.ship ?? null,
        community_skip: tool.communityVotes?.skip ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('reviews')
      .values(
        tool.reviews.map((review, reviewPosition) => ({
          tool_id: toolId,
          position: reviewPosition,
          persona: review.persona,
          score: review.score,
          verdict: review.verdict,
          text: review.text ?? null,
        })),
      )
      .execute();
  }
  return existing ? 'updated' : 'added';
}

/** Comparisons published in [from, to), newest first; all of them without bounds. */
export async function listComparisons(
  db: Executor,
  window: { from?: Date; to?: Date } = {},
): Promise<ComparisonListing[]> {
  let query = db
    .selectFrom('comparisons')
    .leftJoin('edition_items', 'edition_items.comparison_id', 'comparisons.id')
    .leftJoin('editions', 'editions.id', 'edition_items.edition_id')
    .select([
      'comparisons.id',
      'slug',
      'title',
      'published_at',
      'created_at',
      'editions.week_key as carriedWeek',
      'editions.status as carriedStatus',
    ]);
  if (window.from) query = query.where('published_at', '>=', window.from.toISOString());
  if (window.to) query = query.where('published_at', '<', window.to.toISOString());
  const rows = await query.orderBy('published_at', 'desc').orderBy('slug').execute();
  return rows.map((row) => ({
    id: row.id,
    slug: row.slug,
    title: row.title,
    publishedAt: new Date(row.published_at),
    importedAt: row.created_at,
    carriedBy:
      row.carriedWeek && row.carriedStatus ? { week: row.carriedWeek, status: row.carriedStatus } : undefined,
  }));
}

/** Loads whole comparisons (tools and reviews) by id, in the order of `ids`. */
export async function loadComparisons(
  db: Executor,
  ids: readonly number[],
  siteUrl: string,
): Promise<Comparison[]> {
  if (ids.length === 0) return [];
  const comparisons = await db.selectFrom('comparisons').selectAll().where('id', 'in', ids).execute();
  const tools = await db
    .selectFrom('tools')
    .selectAll()
    .where('comparison_id', 'in', ids)
    .orderBy('comparison_id')
    .orderBy('position')
    .execute();
  const reviews = tools.length
    ? await db
        .selectFrom('reviews')
        .selectAll()
        .where(
          'tool_id',
          'in',
          tools.map((tool) => tool.id),
        )
        .orderBy('position')
        .execute()
    : [];
  const reviewsByTool = groupBy(reviews, (review) => review.tool_id);
  const toolsByComparison = groupBy(tools, (tool) => tool.comparison_id);
  const byId = new Map(
    comparisons.map((row) => {
      const [left, right] = (toolsByComparison.get(row.id) ?? []).map(
        (toolRow): Tool => ({
          slug: toolRow.slug,
          name: toolRow.name,
          category: toolRow.category,
          tagline: toolRow.tagline ?? undefined,
          description: toolRow.description ?? undefined,
          pricing: toolRow.pricing ?? undefined,
          entryPrice: toolRow.entry_price ?? undefined,
          bestFor: toolRow.best_for ?? undefined,
          url: toolRow.url ?? undefined,
          communityVotes:
            toolRow.community_ship === null || toolRow.community_skip === null
              ? undefined
              : { ship: toolRow.community_ship, skip: toolRow.community_skip },
          reviews: (reviewsByTool.get(toolRow.id) ?? []).map(
            (reviewRow): Review => ({
              persona: reviewRow.persona,
              score: reviewRow.score,
              verdict: reviewRow.verdict,
              text: reviewRow.text ?? undefined,
            }),
          ),
        }),
      );
      if (!left || !right) throw new Error(`comparison ${row.slug} does not have two tools`);
      const comparison: Comparison = {
        slug: row.slug,
        title: row.title,
        url: row.url ?? defaultComparisonUrl(siteUrl, row.slug),
        publishedAt: new Date(row.published_at),
        headline: row.headline ?? undefined,
        tools: [left, right],
      };
      return [row.id, comparison] as const;
    }),
  );
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** Deletes a comparison no edition has carried; an edition's record of what it sent stays intact. */
export async function removeComparison(
  db: Executor,
  slug: string,
): Promise<'removed' | 'not-found' | 'carried'> {
  return db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('comparisons').select('id').where('slug', '=', slug).executeTakeFirst();
    if (!row) return 'not-found';
    const carried = await trx
      .selectFrom('edition_items')
      .select('edition_id')
      .where('comparison_id', '=', row.id)
      .executeTakeFirst();
    if (carried) return 'carried';
    await trx.deleteFrom('comparisons').where('id', '=', row.id).execute();
    return 'removed';
  });
}

/** Every category a tool of any comparison belongs to, alphabetically: what subscribers can follow. */
export async function knownCategories(db: Executor): Promise<string[]> {
  const rows = await db.selectFrom('tools').select('category').distinct().orderBy('category').execute();
  return rows.map((row) => row.category);
}
