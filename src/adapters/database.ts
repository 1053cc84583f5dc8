// Opens the one SQLite file the whole product runs on and brings its schema up to date on every start.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';
import * as initial from '../../db/migrations/0001_initial.js';
import * as hardening from '../../db/migrations/0002_hardening.js';
import * as editorial from '../../db/migrations/0003_editorial.js';
import * as engagement from '../../db/migrations/0004_engagement.js';
import * as editorConsole from '../../db/migrations/0005_console.js';
import * as production from '../../db/migrations/0006_production.js';
import type { Database } from '../../db/schema.js';
import { type BusyPolicy, DEFAULT_BUSY_POLICY, ResilientSqliteDialect } from './sqlite-driver.js';
import { describeStorageFault } from './storage-fault.js';

export type Db = Kysely<Database>;

// Listed here rather than read from the folder so the same code runs under tsx, vitest and a bundler.
const migrations: Record<string, Migration> = {
  '0001_initial': initial,
  '0002_hardening': hardening,
  '0003_editorial': editorial,
  '0004_engagement': engagement,
  '0005_console': editorConsole,
  '0006_production': production,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** DIGEST_DB cannot be opened, created or upgraded: a sentence naming the path and what to do. */
export class DatabaseOpenError extends Error {
  override name = 'DatabaseOpenError';
}

function openError(path: string, error: unknown): DatabaseOpenError {
  const reason = describeStorageFault(error) ?? String((error as Error).message ?? error);
  return new DatabaseOpenError(`DIGEST_DB (${path}) cannot be used: ${reason}.`);
}

export interface OpenOptions {
  readonly busy?: BusyPolicy;
}

/**
 * Opens (creating if needed) the database at `path` (':memory:' for tests) with WAL and foreign keys, then
 * applies every pending migration. Throws DatabaseOpenError when the file cannot be used.
 */
export async function openDatabase(path: string, options: OpenOptions = {}): Promise<Db> {
  let sqlite: SQLite.Database;
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
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
  } catch (error) {
    sqlite.close();
    throw openError(path, error);
  }
  const db = new Kysely<Database>({
    dialect: new ResilientSqliteDialect(sqlite, options.busy ?? DEFAULT_BUSY_POLICY),
  });
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  if (error) {
    await db.destroy();
    const failed = results?.find((result) => result.status === 'Error')?.migrationName;
    const fault = describeStorageFault(error);
    throw new DatabaseOpenError(
      `DIGEST_DB (${path}) cannot be used: ${fault ?? `migration ${failed ?? '(listing)'} failed: ${String(error)}`}.`,
    );
  }
  return db;
}
