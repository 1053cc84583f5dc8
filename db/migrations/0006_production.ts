// Frozen in time: never import application code here.
import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against whatever schema exists at that point.
export async function up(db: Kysely<any>): Promise<void> {
  // Batches take pending rows in the order `solo desc, id`. Without an index in that order, every batch
  // sorted all of an edition's pending rows: quadratic in the number of readers.
  await db.schema
    .createIndex('deliveries_pending_order')
    .on('deliveries')
    .columns(['edition_id', 'status', 'solo desc', 'id'])
    .execute();

  // The web version of a sent edition, rendered once and served from here: a sent edition never changes.
  await db.schema
    .createTable('web_versions')
    .addColumn('edition_id', 'integer', (col) =>
      col.primaryKey().references('editions.id').onDelete('cascade'),
    )
    .addColumn('html', 'text', (col) => col.notNull())
    .addColumn('etag', 'text', (col) => col.notNull())
    .addColumn('rendered_at', 'text', (col) => col.notNull())
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('web_versions').execute();
  await db.schema.dropIndex('deliveries_pending_order').execute();
}
