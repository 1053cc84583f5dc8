// Subscribers in SQLite. Plain functions that take the database first.
import { randomBytes } from 'node:crypto';
import { CompiledQuery, type Kysely, SqliteAdapter, sql } from 'kysely';
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

export interface ImportedSubscriber {
  readonly email: string;
  readonly key: string;
  readonly status: SubscriberStatus;
  readonly categories: readonly string[];
}

/** SQLite's page cache while a large import writes, in KiB (the connection's usual one is a few MB). */
const IMPORT_PAGE_CACHE_KIB = 48_000;

/**
 * A large import inserts into two indexes of random keys (the address and the token), so nearly every row
 * lands on an index page the connection's small cache has dropped, read back and written out again: at a
 * million rows that was a third of the import's time, in system calls. SQLite's cache grows only as pages
 * are read, so a small import costs nothing more, and the usual size comes back when the import is done.
 * PostgreSQL keeps its own shared buffers: nothing to do there. Returns what puts the cache back.
 */
async function widenPageCache(db: Executor): Promise<() => Promise<void>> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return async () => undefined;
  const { rows } = await sql<{ cache_size: number }>`pragma cache_size`.execute(db);
  const usual = Number(rows[0]?.cache_size ?? -2000);
  const set = (size: number) => sql`pragma cache_size = ${sql.raw(String(Math.trunc(size)))}`.execute(db);
  await set(-IMPORT_PAGE_CACHE_KIB);
  return async () => {
    await set(usual);
  };
}

/** The columns an imported row fills, in the order of each row's parameters. */
const IMPORT_COLUMNS = [
  'email',
  'email_key',
  'status',
  'categories',
  'token',
  'source',
  'consent_at',
  'consent_ip',
  'consent_user_agent',
  'consent_form',
  'confirmed_at',
  'status_changed_at',
  'status_reason',
  'created_at',
  'updated_at',
] as const;

/** What one chunk's insert did: how many rows were new, and the ids of the new ones awaiting confirmation. */
export interface WrittenChunk {
  readonly added: number;
  readonly pendingIds: readonly number[];
}

export interface ImportedRowsWriter {
  /** Inserts one chunk; an address already present is not counted as added. */
  write(rows: readonly ImportedSubscriber[], now: Date): Promise<WrittenChunk>;
  /** Call when the import's writes are done (or failed). */
  close(): Promise<void>;
}

/**
 * Writes the rows of a CSV import, a chunk per statement; an address already present is left as it is.
 * Only a chunk holding rows that await confirmation asks for the new rows back (their ids get a
 * confirmation email): at a million rows, building a million returned rows cost a fifth of the insert,
 * while a count of the rows changed is free. A chunk of 500 rows built through the query
 * builder makes thousands of nodes that are compiled to the same SQL each time, which cost more than the
 * insert itself at a million rows: the SQL is compiled once per chunk length, for this database's dialect,
 * and reused with each chunk's parameters.
 */
export async function importedRowsWriter(db: Executor): Promise<ImportedRowsWriter> {
  const restorePageCache = await widenPageCache(db);
  const statements = new Map<string, string>();
  const statementFor = (rows: number, returning: boolean) => {
    const shape = `${rows}/${returning}`;
    let text = statements.get(shape);
    if (text === undefined) {
      const placeholder = Object.fromEntries(IMPORT_COLUMNS.map((column) => [column, null]));
      const insert = db
        .insertInto('subscribers')
        .values(Array.from({ length: rows }, () => placeholder) as never)
        .onConflict((conflict) => conflict.column('email_key').doNothing());
      text = (returning ? insert.returning(['id', 'status']) : insert).compile().sql;
      statements.set(shape, text);
    }
    return text;
  };
  const write: ImportedRowsWriter['write'] = async (rows, now) => {
    if (rows.length === 0) return { added: 0, pendingIds: [] };
    const at = now.toISOString();
    // One call for the chunk's random tokens: asking for 16 bytes at a time cost more than the insert.
    const random = randomBytes(16 * rows.length);
    const parameters: unknown[] = [];
    rows.forEach((row, index) => {
      const token = random.toString('base64url', index * 16, index * 16 + 16);
      const confirmedAt = row.status === 'active' ? at : null;
      const categories = row.categories.length ? JSON.stringify(row.categories) : '[]';
      parameters.push(row.email, row.key, row.status, categories, token, 'csv', at, null, null, null);
      parameters.push(confirmedAt, at, null, at, at);
    });
    const returning = rows.some((row) => row.status === 'pending');
    const result = await db.executeQuery<{ id: number; status: SubscriberStatus }>(
      CompiledQuery.raw(statementFor(rows.length, returning), parameters),
    );
    if (!returning) return { added: Number(result.numAffectedRows ?? 0n), pendingIds: [] };
    return {
      added: result.rows.length,
      pendingIds: result.rows.filter((row) => row.status === 'pending').map((row) => row.id),
    };
  };
  return { write, close: restorePageCache };
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

export type ListedSubscriber = Pick<SubscriberRow, 'email' | 'email_key' | 'status' | 'categories'>;

/**
 * Every subscriber (or those with `status`) in address order, read `pageSize` at a time by the address
 * after the last one read: memory stays flat however many there are, and it works alike on SQLite and
 * PostgreSQL, holding no transaction or cursor open while the caller writes the rows out.
 */
export async function* subscribersInOrder(
  db: Executor,
  status?: SubscriberStatus,
  pageSize = 1000,
): AsyncGenerator<ListedSubscriber> {
  let after: string | undefined;
  for (;;) {
    let query = db.selectFrom('subscribers').select(['email', 'email_key', 'status', 'categories']);
    if (status) query = query.where('status', '=', status);
    if (after !== undefined) query = query.where('email_key', '>', after);
    const page = await query.orderBy('email_key').limit(pageSize).execute();
    yield* page;
    if (page.length < pageSize) return;
    after = page[page.length - 1]?.email_key;
  }
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

/** What planning needs of a subscriber: who, and what their status and categories give them. */
export type SubscriberSlice = Pick<SubscriberRow, 'id' | 'email' | 'status' | 'categories'>;

/** Walks every subscriber in id order, a page at a time, so memory stays flat however many there are. */
export async function* subscriberPages(db: Executor, pageSize = 1000): AsyncGenerator<SubscriberSlice[]> {
  let after = 0;
  for (;;) {
    const page = await db
      .selectFrom('subscribers')
      .select(['id', 'email', 'status', 'categories'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(pageSize)
      .execute();
    if (page.length === 0) return;
    yield page;
    after = page.at(-1)?.id ?? after;
  }
}

/** Subscribers who share a status and a choice of categories: what an edition gives one, it gives all. */
export interface SubscriberGroup {
  readonly status: SubscriberStatus;
  readonly categories: string;
  readonly count: number;
}

/**
 * Every distinct (status, categories) pair with how many subscribers have it, in the order of each pair's
 * first subscriber by id (so whatever is listed by group comes in the order a walk through the subscribers
 * would meet it). A million subscribers share a handful of pairs: one scan in the database, a few rows here.
 */
export async function subscriberGroups(db: Executor): Promise<SubscriberGroup[]> {
  const rows = await db
    .selectFrom('subscribers')
    .select(['status', 'categories', (eb) => eb.fn.countAll<number>().as('count')])
    .groupBy(['status', 'categories'])
    .orderBy((eb) => eb.fn.min('id'))
    .execute();
  return rows.map((row) => ({ ...row, count: Number(row.count) }));
}
