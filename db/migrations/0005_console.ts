// Frozen in time: never import application code here. The editor console: emailed
// single-use sign-in links and the sessions they open. Both tokens are 256 random bits that only the
// editor's mailbox and browser hold; the database keeps their SHA-256, so a copy of the file signs nobody in.
import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against whatever schema exists at that point.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('editor_sign_in_links')
    .addColumn('token_hash', 'text', (col) => col.primaryKey())
    .addColumn('email', 'text', (col) => col.notNull()) // as DIGEST_EDITORS spells it
    .addColumn('email_key', 'text', (col) => col.notNull()) // lower-cased: the per-address limit counts by it
    .addColumn('return_to', 'text', (col) => col.notNull()) // the console page to open once signed in
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('expires_at', 'text', (col) => col.notNull())
    .addColumn('used_at', 'text')
    .execute();
  await db.schema
    .createIndex('editor_sign_in_links_email')
    .on('editor_sign_in_links')
    .columns(['email_key', 'created_at'])
    .execute();

  await db.schema
    .createTable('editor_sessions')
    .addColumn('id_hash', 'text', (col) => col.primaryKey())
    .addColumn('email', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    // Sessions end after a stretch of idleness, measured from here.
    .addColumn('last_seen_at', 'text', (col) => col.notNull())
    // One message for the next page this session shows (what a form just did), then cleared.
    .addColumn('flash', 'text')
    .execute();
  await db.schema
    .createIndex('editor_sessions_last_seen')
    .on('editor_sessions')
    .column('last_seen_at')
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('editor_sessions').execute();
  await db.schema.dropTable('editor_sign_in_links').execute();
}
