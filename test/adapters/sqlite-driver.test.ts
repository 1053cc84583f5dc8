import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Db, openDatabase } from '../../src/adapters/database.js';
import { DatabaseBusyError } from '../../src/adapters/storage-fault.js';
import { fixedClock } from '../../src/domain/clock.js';
import { importComparisons } from '../../src/services/import-comparisons.js';
import { scratchDir } from '../support/cli.js';
import { comparisonsDir } from '../support/sending.js';

/** A second process's view of the file: a separate connection that can hold the write lock. */
function otherWriter(path: string) {
  const other = new SQLite(path);
  other.pragma('busy_timeout = 0');
  return {
    hold: () => other.exec("begin immediate; insert into locks values ('other', 'x', '', '', '')"),
    commit: () => other.exec('commit'),
    rollback: () => other.exec('rollback'),
    close: () => other.close(),
  };
}

describe('the SQLite driver with other processes writing', () => {
  let path: string;
  let db: Db;

  beforeEach(async () => {
    path = join(scratchDir(), 'digest.sqlite');
    db = await openDatabase(path);
  });
  afterEach(async () => {
    await db.destroy();
  });

  it('begins every transaction IMMEDIATE, so a read-then-write transaction never meets BUSY_SNAPSHOT', async () => {
    const other = new SQLite(path);
    // Deferred, this transaction would read, let the other connection commit, then fail to write.
    await db.transaction().execute(async (trx) => {
      await trx.selectFrom('subscribers').selectAll().execute();
      // The other writer cannot get in while this transaction holds the write lock.
      other.pragma('busy_timeout = 0');
      expect(() => other.exec("insert into locks values ('x', 'y', '', '', '')")).toThrow(/locked|busy/i);
      await sql`insert into locks values ('mine', 'me', '', '', '')`.execute(trx);
    });
    other.close();
    expect(await db.selectFrom('locks').select('name').execute()).toEqual([{ name: 'mine' }]);
  });

  it('waits for a lock held by another process without blocking the event loop, and keeps reading meanwhile', async () => {
    const other = otherWriter(path);
    other.hold();
    const order: string[] = [];
    const write = db
      .insertInto('locks')
      .values({ name: 'waiting', holder: 'me', acquired_at: '', heartbeat_at: '', expires_at: '' })
      .execute()
      .then(() => order.push('write'));
    // Timers fire and reads are answered while the write waits for the other process.
    await new Promise((resolve) => setTimeout(resolve, 300));
    order.push('timer');
    await db.selectFrom('editions').selectAll().execute();
    order.push('read');
    other.commit();
    await write;
    other.close();
    expect(order).toEqual(['timer', 'read', 'write']);
  });

  it('gives up with a clear error once the other process holds the lock past the deadline', async () => {
    const impatient = await openDatabase(path, { busy: { attemptMs: 5, deadlineMs: 200 } });
    const other = otherWriter(path);
    other.hold();
    try {
      await expect(
        impatient.transaction().execute((trx) => trx.deleteFrom('locks').execute()),
      ).rejects.toThrow(DatabaseBusyError);
      await expect(
        impatient.transaction().execute((trx) => trx.deleteFrom('locks').execute()),
      ).rejects.toThrow(/locked by another process for over 0.2 s/);
    } finally {
      other.rollback();
      other.close();
      await impatient.destroy();
    }
  });

  it('reports a full disk as SQLITE_FULL, not as a failed rollback, and writes nothing', async () => {
    const pages = Number(
      ((await sql<{ page_count: number }>`pragma page_count`.execute(db)).rows[0] as { page_count: number })
        .page_count,
    );
    // SQLite's own limit on the file's size: the next page it needs is refused with SQLITE_FULL.
    await sql.raw(`pragma max_page_count = ${pages + 2}`).execute(db);
    const failure = await importComparisons({ db, clock: fixedClock(new Date('2026-11-20T00:00:00Z')) }, [
      comparisonsDir,
    ]).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'SQLITE_FULL' });
    expect(String(failure)).not.toMatch(/no transaction is active/);
    expect(await db.selectFrom('comparisons').selectAll().execute()).toEqual([]);
  });
});
