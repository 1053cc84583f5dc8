// Readers' votes in the database: what a vote link points at, each reader's vote, and the tallies.
import type { Kysely } from 'kysely';
import type { Database, VoteChoice } from '../../db/schema.js';
import type { DigestComparison } from '../domain/digest.js';
import type { VoteCountRow } from '../domain/vote-tally.js';

type Executor = Kysely<Database>;

/** What a vote link on comparison `slug` points at: the edition that carried it, and the comparison. */
export interface VoteTarget {
  readonly editionId: number;
  readonly week: string;
  readonly comparisonId: number;
  /** The comparison as the edition froze it: its title and tools as the reader saw them. */
  readonly comparison: DigestComparison;
}

/** The edition that carried the comparison (at most one does), or undefined when none has. */
export async function findVoteTarget(db: Executor, slug: string): Promise<VoteTarget | undefined> {
  const row = await db
    .selectFrom('edition_items')
    .innerJoin('editions', 'editions.id', 'edition_items.edition_id')
    .innerJoin('comparisons', 'comparisons.id', 'edition_items.comparison_id')
    .select([
      'edition_items.edition_id',
      'editions.week_key',
      'edition_items.comparison_id',
      'edition_items.snapshot',
    ])
    .where('comparisons.slug', '=', slug)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    editionId: row.edition_id,
    week: row.week_key,
    comparisonId: row.comparison_id,
    comparison: JSON.parse(row.snapshot) as DigestComparison,
  };
}

/**
 * True when the edition went to the reader: sent, or handed to the provider by a run that stopped before
 * it recorded the answer (the mail may well have arrived).
 */
export async function editionReachedReader(
  db: Executor,
  editionId: number,
  subscriberId: number,
): Promise<boolean> {
  const row = await db
    .selectFrom('deliveries')
    .select('id')
    .where('edition_id', '=', editionId)
    .where('subscriber_id', '=', subscriberId)
    .where('status', 'in', ['sent', 'batched'])
    .executeTakeFirst();
  return row !== undefined;
}

export interface StoredVote {
  readonly choice: VoteChoice;
  readonly updatedAt: string;
}

export async function findVote(
  db: Executor,
  subscriberId: number,
  comparisonId: number,
  toolSlug: string,
): Promise<StoredVote | undefined> {
  const row = await db
    .selectFrom('votes')
    .select(['choice', 'updated_at'])
    .where('subscriber_id', '=', subscriberId)
    .where('comparison_id', '=', comparisonId)
    .where('tool_slug', '=', toolSlug)
    .executeTakeFirst();
  return row && { choice: row.choice, updatedAt: row.updated_at };
}

export interface NewVote {
  readonly subscriberId: number;
  readonly comparisonId: number;
  readonly toolSlug: string;
  readonly editionId: number;
  readonly choice: VoteChoice;
  readonly at: Date;
}

/** Records the reader's vote, replacing the one they cast before on the same tool of the same comparison. */
export async function recordVote(db: Executor, vote: NewVote): Promise<void> {
  const at = vote.at.toISOString();
  await db
    .insertInto('votes')
    .values({
      subscriber_id: vote.subscriberId,
      comparison_id: vote.comparisonId,
      tool_slug: vote.toolSlug,
      choice: vote.choice,
      edition_id: vote.editionId,
      created_at: at,
      updated_at: at,
    })
    .onConflict((oc) =>
      oc
        .columns(['subscriber_id', 'comparison_id', 'tool_slug'])
        .doUpdateSet({ choice: vote.choice, edition_id: vote.editionId, updated_at: at }),
    )
    .execute();
}

/**
 * The votes counted by comparison, tool and choice, newest comparison first; with `editionId`, only those
 * on the comparisons that edition carried; with `until`, only votes as last cast or changed by then.
 */
export async function countVotes(db: Executor, editionId?: number, until?: Date): Promise<VoteCountRow[]> {
  let query = db
    .selectFrom('votes')
    .innerJoin('comparisons', 'comparisons.id', 'votes.comparison_id')
    .select((eb) => [
      'comparisons.slug as comparison',
      'comparisons.title as title',
      'votes.tool_slug as tool',
      'votes.choice as choice',
      eb.fn.countAll<number | string>().as('votes'),
      eb.fn.max('votes.updated_at').as('updatedAt'),
    ])
    .groupBy(['comparisons.id', 'comparisons.slug', 'comparisons.title', 'votes.tool_slug', 'votes.choice'])
    .orderBy('comparisons.published_at', 'desc')
    .orderBy('comparisons.slug');
  if (editionId !== undefined) {
    query = query.where((eb) =>
      eb(
        'votes.comparison_id',
        'in',
        eb.selectFrom('edition_items').select('comparison_id').where('edition_id', '=', editionId),
      ),
    );
  }
  // ISO 8601 instants in UTC, all of one length: they compare as text.
  if (until !== undefined) query = query.where('votes.updated_at', '<=', until.toISOString());
  const rows = await query.execute();
  // PostgreSQL counts in bigint, which its driver returns as a string.
  return rows.map((row) => ({ ...row, votes: Number(row.votes), updatedAt: String(row.updatedAt) }));
}

/** How many readers chose `choice` for one tool of one comparison. */
export type ToolVoteCount = Pick<VoteCountRow, 'comparison' | 'tool' | 'choice' | 'votes'>;

/**
 * The votes on comparisons `slugs`, counted by tool and choice, for the tallies a web version shows. It
 * reads the votes_comparison index alone (no titles, no times), since a popular page asks every second.
 */
export async function countToolVotes(db: Executor, slugs: readonly string[]): Promise<ToolVoteCount[]> {
  if (slugs.length === 0) return [];
  const rows = await db
    .selectFrom('votes')
    .innerJoin('comparisons', 'comparisons.id', 'votes.comparison_id')
    .select((eb) => [
      'comparisons.slug as comparison',
      'votes.tool_slug as tool',
      'votes.choice as choice',
      eb.fn.countAll<number | string>().as('votes'),
    ])
    .where('comparisons.slug', 'in', slugs)
    .groupBy(['comparisons.slug', 'votes.tool_slug', 'votes.choice'])
    .execute();
  return rows.map((row) => ({ ...row, votes: Number(row.votes) }));
}

/**
 * The edition "Readers vs panel" looks back on from week `weekKey`'s edition planned at `asOf`: the latest
 * week before it whose edition was sent, and finished sending, by then. The same answer whenever it is
 * asked for that edition, so its web version shows what its email showed.
 */
export async function previousSentEdition(
  db: Executor,
  weekKey: string,
  asOf: Date,
): Promise<{ readonly id: number; readonly week: string } | undefined> {
  const row = await db
    .selectFrom('editions')
    .select(['id', 'week_key'])
    .where('status', '=', 'sent')
    .where('week_key', '<', weekKey)
    .where('finished_at', '<=', asOf.toISOString())
    .orderBy('week_key', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row && { id: row.id, week: row.week_key };
}

/**
 * The comparisons of `slugs` as edition `editionId` froze them, in its order: only those, since a week may
 * carry thousands and few of them have votes enough to be shown.
 */
export async function loadCarriedComparisons(
  db: Executor,
  editionId: number,
  slugs: readonly string[],
): Promise<DigestComparison[]> {
  if (slugs.length === 0) return [];
  const rows = await db
    .selectFrom('edition_items')
    .innerJoin('comparisons', 'comparisons.id', 'edition_items.comparison_id')
    .select('edition_items.snapshot')
    .where('edition_items.edition_id', '=', editionId)
    .where('comparisons.slug', 'in', [...slugs])
    .orderBy('edition_items.position')
    .execute();
  return rows.map((row) => JSON.parse(row.snapshot) as DigestComparison);
}
