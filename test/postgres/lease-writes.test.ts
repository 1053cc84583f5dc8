// On PostgreSQL a sender renews its lease without queueing behind other writers (postgres-driver.ts: the
// lease's statements each stand alone and no transaction reads the lease table), so renewing before every
// request costs one statement and lets the next batch be formed while this one is on the wire.
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/adapters/database.js';
import { acquireLease, releaseLease, renewLease } from '../../src/adapters/lease.js';
import { freshDatabase, holdWriteLock } from '../support/db.js';

const t0 = new Date('2026-11-23T09:00:00Z');

describe('the lease on PostgreSQL', () => {
  it('is taken, renewed and released while another connection holds the write lock', async () => {
    const location = await freshDatabase();
    const db = await openDatabase(location);
    const other = await holdWriteLock(location);
    try {
      expect(await acquireLease(db, 'send:2026-W47', 'host:1:a', t0)).toEqual({ acquired: true });
      expect(await renewLease(db, 'send:2026-W47', 'host:1:a', new Date(t0.getTime() + 10_000))).toBe(true);
      await releaseLease(db, 'send:2026-W47', 'host:1:a');
      // Any other write still waits for the holder.
      let written = false;
      const write = db
        .insertInto('drafts')
        .values({ week_key: '2026-W47', revision: 0, updated_at: t0.toISOString() })
        .execute()
        .then(() => {
          written = true;
        });
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(written).toBe(false);
      await other.release();
      await write;
      expect(written).toBe(true);
    } finally {
      await other.release();
      await db.destroy();
    }
  });
});
