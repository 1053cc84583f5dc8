import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { describeStorageFault } from '../../src/adapters/storage-fault.js';
import { fixedClock } from '../../src/domain/clock.js';
import { importComparisons } from '../../src/services/import-comparisons.js';
import { testDatabase } from '../support/db.js';
import { comparisonsDir } from '../support/sending.js';

describe('describeStorageFault', () => {
  it.each([
    ['SQLITE_FULL', 'the disk is full'],
    ['ENOSPC', 'the disk is full'],
    ['EFBIG', 'size limit'],
    ['SQLITE_READONLY', 'read-only'],
    ['SQLITE_READONLY_DBMOVED', 'read-only'],
    ['EROFS', 'read-only'],
    ['SQLITE_NOTADB', 'not a SQLite database'],
    ['SQLITE_CORRUPT', 'damaged'],
    ['SQLITE_CANTOPEN', 'cannot be opened or created'],
    ['SQLITE_IOERR_WRITE', 'refused a write'],
    ['ENOTDIR', 'a file is in the way'],
  ])('%s: %s', (code, words) => {
    expect(describeStorageFault(Object.assign(new Error('x'), { code }))).toContain(words);
  });

  it('leaves every other error to the caller', () => {
    expect(describeStorageFault(new Error('a bug'))).toBeUndefined();
    expect(
      describeStorageFault(Object.assign(new Error('x'), { code: 'SQLITE_CONSTRAINT' })),
    ).toBeUndefined();
    expect(describeStorageFault(null)).toBeUndefined();
  });

  it('describes a database that refuses writes as read-only, and nothing is written', async () => {
    const db = await testDatabase();
    try {
      // SQLite itself refuses every write with SQLITE_READONLY, as on a read-only file system.
      await sql`pragma query_only = 1`.execute(db);
      const failure = await importComparisons({ db, clock: fixedClock(new Date('2026-11-20T00:00:00Z')) }, [
        comparisonsDir,
      ]).catch((error: unknown) => error);
      expect(describeStorageFault(failure)).toBe('it is read-only; make the file and its folder writable');
      await sql`pragma query_only = 0`.execute(db);
      expect(await db.selectFrom('comparisons').selectAll().execute()).toEqual([]);
    } finally {
      await db.destroy();
    }
  });
});
