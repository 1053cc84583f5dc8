// Opens the one SQLite file the whole product runs on and brings its schema up to date on every start.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, type Migration, type MigrationProvider, Migrator, SqliteDialect } from 'kysely';
import * as initial from '../../db/migrations/0001_initial.js';
import * as editorial from '../../db/migrations/0003_editorial.js';
import type { Database } from '../../db/schema.js';

export type Db = Kysely<Database>;

// Listed here rather than read from the folder so the same code runs under tsx, vitest and a bundler.
const migrations: Record<string, Migration> = {
  '0001_initial': initial,
  '0003_editorial': editorial,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

export class MigrationError extends Error {
  override name = 'MigrationError';
}

/**
 * Opens (creating if needed) the database at `path` (':memory:' for tests) with WAL, foreign keys and a
 * busy timeout, then applies every pending migration.
 */
export async function openDatabase(path: string): Promise<Db> {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SQLite(path);
  // WAL lets the web server read while a send writes; the busy timeout makes a second process wait for a
  // write lock instead of failing with SQLITE_BUSY at once.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 10000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  if (error) {
    await db.destroy();
    const failed = results?.find((result) => result.status === 'Error')?.migrationName ?? 'unknown';
    throw new MigrationError(`database migration ${failed} failed: ${String(error)}`);
  }
  return db;
}
