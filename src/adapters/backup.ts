// `digest backup <file>`: a consistent copy of the SQLite database, safe while a worker sends. SQLite's
// online backup API copies the pages under a read transaction; in WAL mode readers never block
// the writer, so a send goes on meanwhile. The copy is written next to the target, checked, turned into a
// single self-contained file (no -wal beside it) and only then renamed into place: a reader of the target,
// or a backup interrupted halfway, never sees half a copy.
import { realpathSync, renameSync, rmSync, type Stats, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
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

// The files SQLite keeps beside a database while it is in use, by suffix, as the refusal names them.
const LIVE_FILES: readonly [suffix: string, what: string][] = [
  ['', 'the live database (DIGEST_DB) itself'],
  ['-wal', "the live database's write-ahead log"],
  ['-shm', "the live database's shared-memory index"],
  ['-journal', "the live database's rollback journal"],
];

function statOf(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** `path` with its folder's symlinks, `.` and `..` resolved; the name itself as given. */
function realLocation(path: string): string | undefined {
  try {
    return join(realpathSync(dirname(path)), basename(path));
  } catch {
    return undefined;
  }
}

/**
 * What the live database file or one of its companions `target` is, if any. Replacing any of them under a
 * running server loses every write it makes after (its connection keeps the old, deleted file). An
 * existing target is compared by identity (device and inode), so a symlink, a hard link or any spelling of
 * the path is caught; one that does not exist yet by its folder's real path and its name.
 */
function liveFileAt(source: string, target: string): string | undefined {
  const existing = statOf(target);
  // SQLite names the companions after the path it was given, with symlinks resolved: both are checked.
  const sources = [source, realpathOr(source)];
  const targetLocation = existing ? undefined : realLocation(target);
  for (const [suffix, what] of LIVE_FILES) {
    for (const base of sources) {
      const live = `${base}${suffix}`;
      if (existing) {
        const file = statOf(live);
        if (file && file.dev === existing.dev && file.ino === existing.ino) return what;
      } else if (targetLocation !== undefined && realLocation(live) === targetLocation) {
        return what;
      }
    }
  }
  return undefined;
}

function realpathOr(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** Copies the database at `source` to `target` (replacing it) and checks the copy. */
export async function backupDatabase(source: string, target: string): Promise<BackupResult> {
  const live = liveFileAt(source, target);
  if (live) throw targetError(target, `it is ${live}; write the backup to another file`);
  if (isDirectory(target))
    throw targetError(target, 'it is a folder; name the backup file, e.g. backups/digest.sqlite');
  const db = openSource(source);
  const partial = `${target}.partial-${process.pid}`;
  // A signal ends most commands at once (src/cli.ts): the half-written copy goes with the process.
  const removePartial = () => rmSync(partial, { force: true });
  process.once('exit', removePartial);
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
    process.off('exit', removePartial);
    removePartial();
  }
}
