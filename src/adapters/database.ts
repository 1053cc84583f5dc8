// Opens the database the whole product runs on (a SQLite file by default, or PostgreSQL when DIGEST_DB is a
// postgres:// URL, for several machines) and brings its schema up to date on every start. What differs
// between the two engines stays in the drivers (sqlite-driver.ts, postgres-driver.ts) and the migrations.
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import * as initial from '../../db/migrations/0001_initial.js';
import * as hardening from '../../db/migrations/0002_hardening.js';
import * as editorial from '../../db/migrations/0003_editorial.js';
import * as engagement from '../../db/migrations/0004_engagement.js';
import * as editorConsole from '../../db/migrations/0005_console.js';
import * as production from '../../db/migrations/0006_production.js';
import * as pendingConsent from '../../db/migrations/0007_pending_consent.js';
import * as votes from '../../db/migrations/0008_votes.js';
import type { Database } from '../../db/schema.js';
import { databaseLabel, isPostgresUrl } from '../domain/database-location.js';
import { withoutDatabasePassword } from '../domain/redacted-url.js';
import { makeDirectory } from './make-directory.js';
import { type BusyPolicy, DEFAULT_BUSY_POLICY, ResilientSqliteDialect } from './sqlite-driver.js';
import { DatabaseBusyError, describeStorageFault } from './storage-fault.js';

export type Db = Kysely<Database>;

// Listed here rather than read from the folder so the same code runs under tsx, vitest and a bundler.
const migrations: Record<string, Migration> = {
  '0001_initial': initial,
  '0002_hardening': hardening,
  '0003_editorial': editorial,
  '0004_engagement': engagement,
  '0005_console': editorConsole,
  '0006_production': production,
  '0007_pending_consent': pendingConsent,
  '0008_votes': votes,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** SQLite's page cache per connection, in KiB (see openSqlite). */
const PAGE_CACHE_KIB = 4000;

/** DIGEST_DB cannot be opened, created or upgraded: a sentence naming the location and what to do. */
export class DatabaseOpenError extends Error {
  override name = 'DatabaseOpenError';
}

function openError(location: string, error: unknown): DatabaseOpenError {
  // A driver's own message may quote the URL (pg's parser does, in the error's input): only its words are
  // used, with any password in them masked.
  const reason =
    describeStorageFault(error) ??
    withoutDatabasePassword(String((error as Error).message ?? error), location);
  return new DatabaseOpenError(`DIGEST_DB (${databaseLabel(location)}) cannot be used: ${reason}.`);
}

export interface OpenOptions {
  readonly busy?: BusyPolicy;
  /** Aborted when the process is asked to stop: a wait for another process's lock ends then. */
  readonly signal?: AbortSignal;
}

/**
 * Opens the database at `location` (a file path, ':memory:' for tests, or a postgres:// URL), then applies
 * every pending migration. Throws DatabaseOpenError when it cannot be used.
 */
export async function openDatabase(location: string, options: OpenOptions = {}): Promise<Db> {
  const busy = { ...(options.busy ?? DEFAULT_BUSY_POLICY), signal: options.signal ?? options.busy?.signal };
  const db = isPostgresUrl(location) ? await openPostgres(location, busy) : openSqlite(location, busy);
  // On Postgres the Migrator runs every pending migration in one transaction under an advisory lock, so of
  // several processes starting together one migrates and the others find the work done.
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  if (error) {
    await db.destroy();
    // Another process held the lock throughout, or a signal stopped the wait: not a database that cannot be
    // used, but one to try again (exit 75, not 78).
    if (error instanceof DatabaseBusyError) throw error;
    const failed = results?.find((result) => result.status === 'Error')?.migrationName;
    const fault = describeStorageFault(error);
    const reason = fault ?? `migration ${failed ?? '(listing)'} failed: ${String(error)}`;
    throw new DatabaseOpenError(
      `DIGEST_DB (${databaseLabel(location)}) cannot be used: ${withoutDatabasePassword(reason, location)}.`,
    );
  }
  return db;
}

/** The SQLite file (created if needed) with WAL and foreign keys. */
function openSqlite(path: string, busy: BusyPolicy): Db {
  let sqlite: SQLite.Database;
  try {
    if (path !== ':memory:') makeDirectory(dirname(path));
  } catch (error) {
    if (describeStorageFault(error)) throw openError(path, error);
    // ENOENT although the parent exists: a place such as /proc or /sys, which holds no files of ours.
    const folder = (error as { path?: string }).path ?? dirname(path);
    throw new DatabaseOpenError(
      `DIGEST_DB (${path}) cannot be used: its folder ${folder} cannot be created there; point DIGEST_DB at a file on a disk that can hold a database.`,
    );
  }
  try {
    sqlite = new SQLite(path);
  } catch (error) {
    throw openError(path, error);
  }
  try {
    // Opening may meet another process creating the same file: wait for it here, at start-up, where
    // blocking is harmless. The driver then shortens the timeout for the life of the connection.
    sqlite.pragma('busy_timeout = 5000');
    // WAL lets the web server read while a send writes.
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    // Erasure means erased: deleted rows are overwritten, not left readable in free pages of the file.
    sqlite.pragma('secure_delete = ON');
    // better-sqlite3 builds SQLite with a 16 MB page cache. A send reads each page of the ledger about once,
    // so past the indexes' upper levels a larger cache keeps pages it will not read again: at 100,000
    // readers it held 13 MB more than at 10,000, and memory should stay flat as the audience grows. A miss costs a read
    // from the operating system's cache.
    sqlite.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
  } catch (error) {
    sqlite.close();
    throw openError(path, error);
  }
  return new Kysely<Database>({ dialect: new ResilientSqliteDialect(sqlite, busy) });
}

/**
 * A pool of connections to the database at `url`, checked by one query so a bad URL fails here. `pg` and the
 * Postgres driver are loaded only here, so a command on SQLite never loads them and starts faster.
 */
async function openPostgres(url: string, busy: BusyPolicy): Promise<Db> {
  const [{ default: pg }, { SerialisedPostgresDialect }] = await Promise.all([
    import('pg'),
    import('./postgres-driver.js'),
  ]);
  // Postgres returns bigint (count(*), sum) as a string, since it may exceed 2^53; every count here is far
  // smaller, so it is read as a number, as SQLite returns it.
  const INT8 = 20;
  const types = {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
      oid === INT8 ? Number : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
  };
  const pool = new pg.Pool({
    connectionString: url,
    types,
    // A host that drops packets would otherwise hold a command for the operating system's TCP timeout.
    connectionTimeoutMillis: 10_000,
    application_name: 'verdict-digest',
  });
  // An idle pooled connection that the server closes emits 'error' on the pool; unhandled, it would end the
  // process. The next query simply gets a new connection.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({
    dialect: new SerialisedPostgresDialect(
      { pool },
      // The lease (lease.ts): each statement takes, renews or frees one lease row by itself, and no
      // transaction reads that table, so a sender renewing its lease need not wait for other writers.
      { deadlineMs: busy.deadlineMs, unqueuedTables: ['locks'] },
    ),
  });
  try {
    await sql`select 1`.execute(db);
  } catch (error) {
    await db.destroy();
    throw openError(url, error);
  }
  return db;
}
