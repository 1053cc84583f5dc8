// Frozen in time: never import application code here.
import type { Kysely } from 'kysely';

// A sign-up for an address already on the list must not change that subscriber until the person confirms:
// the categories and consent evidence of the sign-up wait on its confirmation token, and are applied to the
// subscriber only when the link is confirmed.
const COLUMNS = ['categories', 'consent_at', 'consent_ip', 'consent_user_agent', 'consent_form'] as const;

// biome-ignore lint/suspicious/noExplicitAny: migrations run against whatever schema exists at that point.
export async function up(db: Kysely<any>): Promise<void> {
  for (const column of COLUMNS)
    await db.schema.alterTable('confirmation_tokens').addColumn(column, 'text').execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  for (const column of [...COLUMNS].reverse())
    await db.schema.alterTable('confirmation_tokens').dropColumn(column).execute();
}
