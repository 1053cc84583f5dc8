// Frozen in time: never import application code here. Readers' verdicts from the digest's vote links: one
// row per reader, comparison and tool, replaced when the reader votes again. Erasing a reader erases their
// votes (the cascade), so a tally never counts someone who is gone.
import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against whatever schema exists at that point.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('votes')
    .addColumn('subscriber_id', 'integer', (col) =>
      col.notNull().references('subscribers.id').onDelete('cascade'),
    )
    // A comparison an edition carried is never deleted, and only those get votes.
    .addColumn('comparison_id', 'integer', (col) => col.notNull().references('comparisons.id'))
    // By slug: an import replaces a comparison's tool rows, and their ids with them.
    .addColumn('tool_slug', 'text', (col) => col.notNull())
    .addColumn('choice', 'text', (col) => col.notNull().check(sql`choice in ('ship', 'skip')`))
    // The edition whose link the vote came from (the latest, when the reader voted again).
    .addColumn('edition_id', 'integer', (col) => col.notNull().references('editions.id'))
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('votes_pk', ['subscriber_id', 'comparison_id', 'tool_slug'])
    .execute();
  // Tallies count by comparison and tool; `digest votes --week` by edition.
  await db.schema
    .createIndex('votes_comparison')
    .on('votes')
    .columns(['comparison_id', 'tool_slug', 'choice'])
    .execute();
  await db.schema.createIndex('votes_edition').on('votes').column('edition_id').execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('votes').execute();
}
