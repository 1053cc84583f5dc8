// Frozen in time: never import application code here.
import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against whatever schema exists at that point.
export async function up(db: Kysely<any>): Promise<void> {
  // The per-address limit on confirmation emails (3 a day) counts an address's recent tokens.
  await db.schema
    .createIndex('confirmation_tokens_subscriber_created')
    .on('confirmation_tokens')
    .columns(['subscriber_id', 'created_at'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('confirmation_tokens_subscriber_created').execute();
}
