// Frozen in time: never import application code here. The editorial workflow: a draft per
// week that editors shape before it is frozen (note, subject, order, holds), its approval, the reviewer
// copies already sent, and on each edition who approved it and the note it went out with.
import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against whatever schema exists at that point.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('drafts')
    .addColumn('week_key', 'text', (col) => col.primaryKey())
    .addColumn('note', 'text') // Markdown source of the editor's note
    .addColumn('subject', 'text') // overrides the default subject when set
    // Bumped by every shaping change: freezing an edition checks it did not move under its feet.
    .addColumn('revision', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('approved_by', 'text')
    .addColumn('approved_at', 'text')
    // SHA-256 of what was approved (items with their content, order, holds, note, subject): the approval
    // holds only while the draft still hashes to it.
    .addColumn('approved_fingerprint', 'text')
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .execute();

  await db.schema
    .createTable('draft_items')
    .addColumn('week_key', 'text', (col) => col.notNull().references('drafts.week_key').onDelete('cascade'))
    .addColumn('comparison_id', 'integer', (col) =>
      col.notNull().references('comparisons.id').onDelete('cascade'),
    )
    // Place in the editor's lead order (0 first); null: follows the ordered ones, newest first.
    .addColumn('position', 'integer')
    // 1: left out of this week's edition and offered again by the next week's draft.
    .addColumn('held', 'integer', (col) => col.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('draft_items_pk', ['week_key', 'comparison_id'])
    .execute();
  await db.schema
    .createIndex('draft_items_held')
    .on('draft_items')
    .columns(['held', 'week_key', 'comparison_id'])
    .execute();

  await db.schema
    .createTable('review_copies')
    .addColumn('week_key', 'text', (col) => col.notNull())
    .addColumn('kind', 'text', (col) => col.notNull()) // 'lead' (before the due time) or 'due'
    // Stable across retries, so a copy retried after a lost answer is not delivered twice.
    .addColumn('idempotency_key', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull()) // pending, sent, failed
    .addColumn('error', 'text')
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('sent_at', 'text')
    .addPrimaryKeyConstraint('review_copies_pk', ['week_key', 'kind'])
    .execute();

  await db.schema.alterTable('editions').addColumn('note', 'text').execute();
  await db.schema.alterTable('editions').addColumn('approved_by', 'text').execute();
  await db.schema.alterTable('editions').addColumn('approved_at', 'text').execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  for (const column of ['approved_at', 'approved_by', 'note']) {
    await db.schema.alterTable('editions').dropColumn(column).execute();
  }
  await db.schema.dropTable('review_copies').execute();
  await db.schema.dropTable('draft_items').execute();
  await db.schema.dropTable('drafts').execute();
}
