// `digest backup <file>`: a consistent copy of the SQLite database, safe while a worker sends (SPEC section
// 16). SQLite's online backup API copies the pages under a read transaction; in WAL mode readers never block
// the writer, so a send goes on meanwhile. The copy is written next to the target, checked, turned into a
// single self-contained file (no -wal beside it) and only then renamed into place: a reader of the target,
// or a backup interrupted halfway, never sees half a copy.
import { renameSync, rmSync, statSync } from 'node:fs';
import SQLite from 'better-sqlite3';
import { DatabaseOpenError } from './database.js';
import { describeStorageFault } from './storage-fault.js';

export interface BackupResult {
  readonly pages: number;
  readonly bytes: number;
}

/** The target cannot be written: one sentence for the operator. */
export class BackupTargetError extends Error {
  override name = 'BackupTargetError';
}

// One step for all pages: copied in one read transaction, the copy is a snapshot of one moment, and a
// write by another process between steps cannot make SQLite start over (which, under a busy sender,
// could repeat forever).
const ALL_PAGES = 0x7fffffff;

function openSource(path: string): SQLite.Database {
  try {
    const source = new SQLite(path, { fileMustExist: true });
    source.pragma('busy_timeout = 5000');
    return source;
  } catch (error) {
    const reason =
      (error as { code?: string }).code === 'SQLITE_CANTOPEN'
        ? 'there is no database there; point DIGEST_DB at the database to back up'
        : (describeStorageFault(error) ?? (error as Error).message);
    throw new DatabaseOpenError(`DIGEST_DB (${path}) cannot be backed up: ${reason}.`);
  }
}

function targetError(target: string, reason: string): BackupTargetError {
  return new BackupTargetError(`Cannot write the backup ${target}: ${reason}.`);
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Copies the database at `source` to `target` (replacing it) and checks the copy. */
export async function backupDatabase(source: string, target: string): Promise<BackupResult> {
  if (isDirectory(target))
    throw targetError(target, 'it is a folder; name the backup file, e.g. backups/digest.sqlite');
  const db = openSource(source);
  const partial = `${target}.partial-${process.pid}`;
  try {
    let progress: SQLite.BackupMetadata;
    try {
      progress = await db.backup(partial, { progress: () => ALL_PAGES });
    } catch (error) {
      throw targetError(
        target,
        /directory does not exist/.test(String(error))
          ? 'its folder does not exist'
          : (describeStorageFault(error) ?? (error as Error).message),
      );
    }
    const copy = new SQLite(partial);
    try {
      // The source is in WAL mode and the copy inherits it; a backup should be one file that can be moved.
      copy.pragma('journal_mode = DELETE');
      const check = copy.pragma('quick_check', { simple: true });
      if (check !== 'ok') throw targetError(target, `the copy failed its integrity check (${String(check)})`);
    } finally {
      copy.close();
    }
    renameSync(partial, target);
    return { pages: progress.totalPages, bytes: statSync(target).size };
  } finally {
    db.close();
    rmSync(partial, { force: true });
  }
}
