// What the services rely on, on both engines: writers queue. A transaction that reads and then writes is
// never overtaken by another connection's write (SQLite: BEGIN IMMEDIATE; Postgres: the write lock of
// postgres-driver.ts), a lone write statement waits for a transaction in progress, and a writer that waits
// past the deadline gets DatabaseBusyError, after which its connection works normally.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Db, openDatabase } from '../../src/adapters/database.js';
import { DatabaseBusyError } from '../../src/adapters/storage-fault.js';
import { engine, freshDatabase, holdWriteLock } from '../support/db.js';

const WEEK = '2026-W47';

async function revision(db: Db): Promise<number> {
  const row = await db
    .selectFrom('drafts')
    .select('revision')
    .where('week_key', '=', WEEK)
    .executeTakeFirst();
  return row?.revision ?? -1;
}

describe(`writers on ${engine}`, () => {
  let location: string;
  let handles: Db[];
  beforeEach(async () => {
    location = await freshDatabase();
    // Two handles on one database: two processes, or two machines.
    handles = [await openDatabase(location), await openDatabase(location)];
    await handles[0]
      ?.insertInto('drafts')
      .values({ week_key: WEEK, revision: 0, updated_at: '2026-11-20T00:00:00.000Z' })
      .execute();
  });
  afterEach(async () => {
    for (const db of handles) await db.destroy();
  });

  it('never lose an update made by reading and then writing in a transaction', async () => {
    const bump = (db: Db) =>
      db.transaction().execute(async (trx) => {
        const current = await revision(trx);
        // Give the other handle every chance to write in between.
        await new Promise((resolve) => setTimeout(resolve, 2));
        await trx
          .updateTable('drafts')
          .set({ revision: current + 1 })
          .where('week_key', '=', WEEK)
          .execute();
      });
    await Promise.all(
      handles.map(async (db) => {
        for (let round = 0; round < 15; round++) await bump(db);
      }),
    );
    expect(await revision(handles[0] as Db)).toBe(30);
  });

  it('make a lone write wait for a transaction in progress, while reads go on', async () => {
    const [db] = handles as [Db];
    const other = await holdWriteLock(location);
    const order: string[] = [];
    const write = db
      .updateTable('drafts')
      .set({ revision: 7 })
      .where('week_key', '=', WEEK)
      .execute()
      .then(() => order.push('write'));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await revision(db)).toBe(0);
    order.push('read');
    await other.release();
    await write;
    expect(order).toEqual(['read', 'write']);
    expect(await revision(db)).toBe(7);
  });

  it('give up after the deadline with DatabaseBusyError, and work again once the lock is free', async () => {
    const impatient = await openDatabase(location, { busy: { attemptMs: 5, deadlineMs: 300 } });
    handles.push(impatient);
    const other = await holdWriteLock(location);
    try {
      await expect(
        impatient.transaction().execute((trx) => trx.deleteFrom('drafts').execute()),
      ).rejects.toThrow(DatabaseBusyError);
      await expect(impatient.deleteFrom('drafts').execute()).rejects.toThrow(DatabaseBusyError);
    } finally {
      await other.release();
    }
    await impatient.transaction().execute((trx) => trx.deleteFrom('drafts').execute());
    expect(await revision(impatient)).toBe(-1);
  });
});
