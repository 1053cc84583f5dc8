// Frozen in time: never import application code here. Times are ISO 8601 UTC strings, booleans integers.
// The same schema on SQLite and PostgreSQL; only the generated ids are written differently.
import { type ColumnDefinitionBuilder, type Kysely, PostgresAdapter, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against whatever schema exists at that point.
export async function up(db: Kysely<any>): Promise<void> {
  // SQLite: `integer primary key autoincrement` (never reuses an id); Postgres: an identity column.
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const id = (col: ColumnDefinitionBuilder) =>
    postgres ? col.primaryKey().generatedByDefaultAsIdentity() : col.primaryKey().autoIncrement();

  await db.schema
    .createTable('comparisons')
    .addColumn('id', 'integer', id)
    .addColumn('slug', 'text', (col) => col.notNull().unique())
    .addColumn('title', 'text', (col) => col.notNull())
    .addColumn('url', 'text') // null: DIGEST_SITE_URL + /compare/ + slug, resolved when read
    .addColumn('headline', 'text')
    .addColumn('published_at', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('comparisons_published_at').on('comparisons').column('published_at').execute();

  await db.schema
    .createTable('tools')
    .addColumn('id', 'integer', id)
    .addColumn('comparison_id', 'integer', (col) =>
      col.notNull().references('comparisons.id').onDelete('cascade'),
    )
    .addColumn('position', 'integer', (col) => col.notNull())
    .addColumn('slug', 'text', (col) => col.notNull())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('category', 'text', (col) => col.notNull())
    .addColumn('tagline', 'text')
    .addColumn('description', 'text')
    .addColumn('pricing', 'text')
    .addColumn('entry_price', 'text')
    .addColumn('best_for', 'text')
    .addColumn('url', 'text')
    .addColumn('community_ship', 'integer')
    .addColumn('community_skip', 'integer')
    .addUniqueConstraint('tools_comparison_position', ['comparison_id', 'position'])
    .addUniqueConstraint('tools_comparison_slug', ['comparison_id', 'slug'])
    .execute();

  await db.schema
    .createTable('reviews')
    .addColumn('id', 'integer', id)
    .addColumn('tool_id', 'integer', (col) => col.notNull().references('tools.id').onDelete('cascade'))
    .addColumn('position', 'integer', (col) => col.notNull())
    .addColumn('persona', 'text', (col) => col.notNull())
    .addColumn('score', 'integer', (col) => col.notNull().check(sql`score between 0 and 100`))
    .addColumn('verdict', 'text', (col) => col.notNull().check(sql`verdict in ('ship', 'skip')`))
    .addColumn('text', 'text')
    .addUniqueConstraint('reviews_tool_persona', ['tool_id', 'persona'])
    .execute();

  await db.schema
    .createTable('subscribers')
    .addColumn('id', 'integer', id)
    .addColumn('email', 'text', (col) => col.notNull())
    // Lower-cased address: uniqueness is case-insensitive (Ann@x.com and ann@x.com are one person).
    .addColumn('email_key', 'text', (col) => col.notNull().unique())
    .addColumn('status', 'text', (col) =>
      col.notNull().check(sql`status in ('pending', 'active', 'unsubscribed', 'bounced', 'complained')`),
    )
    .addColumn('categories', 'text', (col) => col.notNull().defaultTo('[]')) // JSON array; [] = all
    // Opaque 128-bit random token for unsubscribe and preference links; never derived from the address.
    .addColumn('token', 'text', (col) => col.notNull().unique())
    .addColumn('source', 'text', (col) => col.notNull()) // form, cli, csv
    .addColumn('consent_at', 'text')
    .addColumn('consent_ip', 'text')
    .addColumn('consent_user_agent', 'text')
    .addColumn('consent_form', 'text')
    .addColumn('confirmed_at', 'text')
    .addColumn('status_changed_at', 'text', (col) => col.notNull())
    .addColumn('status_reason', 'text')
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('subscribers_status').on('subscribers').columns(['status', 'id']).execute();

  await db.schema
    .createTable('confirmation_tokens')
    // SHA-256 of the emailed token: a database leak does not hand out working confirmation links.
    .addColumn('token_hash', 'text', (col) => col.primaryKey())
    .addColumn('subscriber_id', 'integer', (col) =>
      col.notNull().references('subscribers.id').onDelete('cascade'),
    )
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('expires_at', 'text', (col) => col.notNull())
    .addColumn('used_at', 'text')
    .execute();

  await db.schema
    .createTable('editions')
    .addColumn('id', 'integer', id)
    .addColumn('week_key', 'text', (col) => col.notNull().unique())
    .addColumn('status', 'text', (col) =>
      col.notNull().check(sql`status in ('sending', 'sent', 'skipped', 'missed')`),
    )
    .addColumn('reason', 'text')
    .addColumn('time_zone', 'text', (col) => col.notNull())
    .addColumn('window_start', 'text', (col) => col.notNull())
    .addColumn('window_end', 'text', (col) => col.notNull())
    .addColumn('subject', 'text')
    .addColumn('planned_at', 'text', (col) => col.notNull())
    .addColumn('started_at', 'text')
    .addColumn('finished_at', 'text')
    .execute();

  await db.schema
    .createTable('edition_items')
    .addColumn('edition_id', 'integer', (col) => col.notNull().references('editions.id').onDelete('cascade'))
    // Unique: no comparison is ever carried by two editions, so no reader gets one twice.
    .addColumn('comparison_id', 'integer', (col) => col.notNull().unique().references('comparisons.id'))
    .addColumn('position', 'integer', (col) => col.notNull())
    // The comparison as frozen when the edition was planned (JSON of the digest view).
    .addColumn('snapshot', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('edition_items_pk', ['edition_id', 'comparison_id'])
    .execute();

  await db.schema
    .createTable('edition_contents')
    .addColumn('id', 'integer', id)
    .addColumn('edition_id', 'integer', (col) => col.notNull().references('editions.id').onDelete('cascade'))
    // Which comparisons this variant carries (by followed categories): JSON array of comparison slugs.
    .addColumn('content_key', 'text', (col) => col.notNull())
    .addColumn('subject', 'text', (col) => col.notNull())
    // Rendered once, with per-recipient links as placeholders (JSON: name -> placeholder string), so every
    // recipient of this variant gets the same bytes apart from their own links, even after a restart.
    .addColumn('html', 'text', (col) => col.notNull())
    .addColumn('text', 'text', (col) => col.notNull())
    .addColumn('placeholders', 'text', (col) => col.notNull())
    .addUniqueConstraint('edition_contents_key', ['edition_id', 'content_key'])
    .execute();

  await db.schema
    .createTable('batches')
    .addColumn('id', 'integer', id)
    .addColumn('edition_id', 'integer', (col) => col.notNull().references('editions.id').onDelete('cascade'))
    .addColumn('idempotency_key', 'text', (col) => col.notNull().unique())
    // The batch's composition is its deliveries (batch_id, in id order); the messages are rebuilt from
    // frozen content, the recipients' rows and this envelope (sender and link bases as they were when the
    // batch was formed). The hash proves a retry sends the same bytes as the first attempt.
    .addColumn('envelope', 'text', (col) => col.notNull())
    .addColumn('payload_hash', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull().check(sql`status in ('pending', 'sent', 'failed')`))
    .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('finished_at', 'text')
    .execute();
  await db.schema
    .createIndex('batches_edition_status')
    .on('batches')
    .columns(['edition_id', 'status'])
    .execute();

  await db.schema
    .createTable('deliveries')
    .addColumn('id', 'integer', id)
    .addColumn('edition_id', 'integer', (col) => col.notNull().references('editions.id').onDelete('cascade'))
    .addColumn('subscriber_id', 'integer', (col) =>
      col.notNull().references('subscribers.id').onDelete('cascade'),
    )
    .addColumn('status', 'text', (col) =>
      col.notNull().check(sql`status in ('pending', 'batched', 'sent', 'failed', 'skipped')`),
    )
    .addColumn('reason', 'text') // why skipped or failed
    // Set when a batch it was in was refused as invalid: it is then sent alone, so one bad address cannot
    // fail ninety-nine good ones.
    .addColumn('solo', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('content_id', 'integer', (col) => col.references('edition_contents.id'))
    .addColumn('batch_id', 'integer', (col) => col.references('batches.id'))
    .addColumn('provider_message_id', 'text')
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('sent_at', 'text')
    .addColumn('delivered_at', 'text')
    .addColumn('opened_at', 'text')
    .addColumn('clicked_at', 'text')
    .addColumn('bounced_at', 'text')
    .addColumn('complained_at', 'text')
    .addUniqueConstraint('deliveries_edition_subscriber', ['edition_id', 'subscriber_id'])
    .execute();
  await db.schema
    .createIndex('deliveries_edition_status')
    .on('deliveries')
    .columns(['edition_id', 'status', 'id'])
    .execute();
  await db.schema
    .createIndex('deliveries_provider_message')
    .on('deliveries')
    .column('provider_message_id')
    .execute();
  await db.schema.createIndex('deliveries_batch').on('deliveries').column('batch_id').execute();

  await db.schema
    .createTable('provider_events')
    .addColumn('svix_id', 'text', (col) => col.primaryKey())
    .addColumn('type', 'text', (col) => col.notNull())
    .addColumn('email_id', 'text')
    .addColumn('payload', 'text', (col) => col.notNull())
    .addColumn('received_at', 'text', (col) => col.notNull())
    .execute();

  await db.schema
    .createTable('locks')
    .addColumn('name', 'text', (col) => col.primaryKey())
    .addColumn('holder', 'text', (col) => col.notNull())
    .addColumn('acquired_at', 'text', (col) => col.notNull())
    .addColumn('heartbeat_at', 'text', (col) => col.notNull())
    .addColumn('expires_at', 'text', (col) => col.notNull())
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'locks',
    'provider_events',
    'deliveries',
    'batches',
    'edition_contents',
    'edition_items',
    'editions',
    'confirmation_tokens',
    'subscribers',
    'reviews',
    'tools',
    'comparisons',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
