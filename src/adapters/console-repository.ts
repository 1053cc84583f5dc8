// The editor console's sign-in links and sessions in the database, keyed by the SHA-256 of their tokens (the
// tokens themselves are never stored). Plain functions taking the executor first.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';

type Executor = Kysely<Database>;

export interface SignInLinkRow {
  readonly email: string;
  readonly returnTo: string;
  readonly expiresAt: string;
  readonly usedAt: string | null;
}

export interface SessionRow {
  readonly email: string;
  readonly lastSeenAt: string;
  readonly flash: string | null;
}

/** Sign-in links asked for `emailKey` since `since`, used or not. */
export async function countSignInLinksSince(db: Executor, emailKey: string, since: Date): Promise<number> {
  const row = await db
    .selectFrom('editor_sign_in_links')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('email_key', '=', emailKey)
    .where('created_at', '>', since.toISOString())
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function insertSignInLink(
  db: Executor,
  link: { tokenHash: string; email: string; returnTo: string; createdAt: Date; expiresAt: Date },
): Promise<void> {
  await db
    .insertInto('editor_sign_in_links')
    .values({
      token_hash: link.tokenHash,
      email: link.email,
      email_key: link.email.toLowerCase(),
      return_to: link.returnTo,
      created_at: link.createdAt.toISOString(),
      expires_at: link.expiresAt.toISOString(),
      used_at: null,
    })
    .execute();
}

export async function findSignInLink(db: Executor, tokenHash: string): Promise<SignInLinkRow | undefined> {
  const row = await db
    .selectFrom('editor_sign_in_links')
    .select(['email', 'return_to', 'expires_at', 'used_at'])
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
  return row && { email: row.email, returnTo: row.return_to, expiresAt: row.expires_at, usedAt: row.used_at };
}

export async function markSignInLinkUsed(db: Executor, tokenHash: string, now: Date): Promise<void> {
  await db
    .updateTable('editor_sign_in_links')
    .set({ used_at: now.toISOString() })
    .where('token_hash', '=', tokenHash)
    .execute();
}

/** Forgets links that expired before `before` (they no longer count towards any limit either). */
export async function deleteSignInLinksExpiredBefore(db: Executor, before: Date): Promise<void> {
  await db.deleteFrom('editor_sign_in_links').where('expires_at', '<', before.toISOString()).execute();
}

export async function insertSession(db: Executor, idHash: string, email: string, now: Date): Promise<void> {
  const at = now.toISOString();
  await db
    .insertInto('editor_sessions')
    .values({ id_hash: idHash, email, created_at: at, last_seen_at: at, flash: null })
    .execute();
}

export async function findSession(db: Executor, idHash: string): Promise<SessionRow | undefined> {
  const row = await db
    .selectFrom('editor_sessions')
    .select(['email', 'last_seen_at', 'flash'])
    .where('id_hash', '=', idHash)
    .executeTakeFirst();
  return row && { email: row.email, lastSeenAt: row.last_seen_at, flash: row.flash };
}

/** Marks the session seen at `now` and, when given, replaces its one-time message. */
export async function touchSession(
  db: Executor,
  idHash: string,
  now: Date,
  flash?: string | null,
): Promise<void> {
  await db
    .updateTable('editor_sessions')
    .set({ last_seen_at: now.toISOString(), ...(flash === undefined ? {} : { flash }) })
    .where('id_hash', '=', idHash)
    .execute();
}

export async function deleteSession(db: Executor, idHash: string): Promise<void> {
  await db.deleteFrom('editor_sessions').where('id_hash', '=', idHash).execute();
}

/** Ends every session last seen before `cutoff` (idle too long). */
export async function deleteSessionsIdleSince(db: Executor, cutoff: Date): Promise<void> {
  await db.deleteFrom('editor_sessions').where('last_seen_at', '<', cutoff.toISOString()).execute();
}
