// Subscribers in SQLite. Plain functions that take the database first.
import { randomBytes } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { Database, SubscriberRow, SubscriberStatus } from '../../db/schema.js';

type Executor = Kysely<Database>;

export interface NewSubscriberInput {
  readonly email: string;
  readonly key: string;
  readonly status: SubscriberStatus;
  readonly categories: readonly string[];
  readonly source: 'cli' | 'csv' | 'form';
  readonly consent?: {
    readonly ip?: string | undefined;
    readonly userAgent?: string | undefined;
    readonly form?: string;
  };
}

/** 128 random bits, URL-safe: the opaque token in unsubscribe and preference links. */
function newToken(): string {
  return randomBytes(16).toString('base64url');
}

export function subscriberCategories(row: Pick<SubscriberRow, 'categories'>): string[] {
  return JSON.parse(row.categories) as string[];
}

export async function findSubscriberByKey(db: Executor, key: string): Promise<SubscriberRow | undefined> {
  return db.selectFrom('subscribers').selectAll().where('email_key', '=', key).executeTakeFirst();
}

export async function findSubscriberByToken(db: Executor, token: string): Promise<SubscriberRow | undefined> {
  return db.selectFrom('subscribers').selectAll().where('token', '=', token).executeTakeFirst();
}

export async function insertSubscriber(
  db: Executor,
  input: NewSubscriberInput,
  now: Date,
): Promise<SubscriberRow> {
  const at = now.toISOString();
  return db
    .insertInto('subscribers')
    .values({
      email: input.email,
      email_key: input.key,
      status: input.status,
      categories: JSON.stringify(input.categories),
      token: newToken(),
      source: input.source,
      consent_at: at,
      consent_ip: input.consent?.ip ?? null,
      consent_user_agent: input.consent?.userAgent ?? null,
      consent_form: input.consent?.form ?? null,
      confirmed_at: input.status === 'active' ? at : null,
      status_changed_at: at,
      status_reason: null,
      created_at: at,
      updated_at: at,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function setSubscriberStatus(
  db: Executor,
  id: number,
  status: SubscriberStatus,
  now: Date,
  reason: string | null = null,
): Promise<void> {
  const at = now.toISOString();
  await db
    .updateTable('subscribers')
    .set({
      status,
      status_reason: reason,
      status_changed_at: at,
      updated_at: at,
      ...(status === 'active' ? { confirmed_at: at } : {}),
    })
    .where('id', '=', id)
    .execute();
}

export async function setSubscriberCategories(
  db: Executor,
  id: number,
  categories: readonly string[],
  now: Date,
): Promise<void> {
  await db
    .updateTable('subscribers')
    .set({ categories: JSON.stringify(categories), updated_at: now.toISOString() })
    .where('id', '=', id)
    .execute();
}

export async function listSubscribers(db: Executor, status?: SubscriberStatus): Promise<SubscriberRow[]> {
  let query = db.selectFrom('subscribers').selectAll();
  if (status) query = query.where('status', '=', status);
  return query.orderBy('email_key').execute();
}

/** Erases the person: the row and, by cascade, their tokens and delivery records. */
export async function deleteSubscriber(db: Executor, id: number): Promise<void> {
  await db.deleteFrom('subscribers').where('id', '=', id).execute();
}

export async function countSubscribersByStatus(db: Executor): Promise<Map<SubscriberStatus, number>> {
  const rows = await db
    .selectFrom('subscribers')
    .select(['status', (eb) => eb.fn.countAll<number>().as('count')])
    .groupBy('status')
    .execute();
  return new Map(rows.map((row) => [row.status, Number(row.count)]));
}

/**
 * Subscribers whose address contains `part` (ignoring case; `%` and `_` match themselves), most recently
 * changed first, at most `limit`; with how many match in all.
 */
export async function searchSubscribers(
  db: Executor,
  part: string,
  limit: number,
): Promise<{ rows: SubscriberRow[]; total: number }> {
  const pattern = `%${part.toLowerCase().replace(/[\\%_]/g, '\\$&')}%`;
  const matching = sql<boolean>`email_key like ${pattern} escape '\\'`;
  const rows = await db
    .selectFrom('subscribers')
    .selectAll()
    .where(matching)
    .orderBy('status_changed_at', 'desc')
    .orderBy('email_key')
    .limit(limit)
    .execute();
  const total = await db
    .selectFrom('subscribers')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where(matching)
    .executeTakeFirstOrThrow();
  return { rows, total: Number(total.count) };
}

/** Each subscriber who became active or changed status since `since`: the inputs of the weekly growth. */
export async function listStatusChangesSince(db: Executor, since: Date) {
  const at = since.toISOString();
  return db
    .selectFrom('subscribers')
    .select(['status', 'confirmed_at as confirmedAt', 'status_changed_at as statusChangedAt'])
    .where((eb) => eb.or([eb('confirmed_at', '>=', at), eb('status_changed_at', '>=', at)]))
    .execute();
}
