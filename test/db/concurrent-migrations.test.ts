// Several processes starting together on a new database (a deploy that starts the worker and two web
// instances at once) migrate it once: every one starts, and the schema is applied exactly once.
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/adapters/database.js';
import { runDigestProcess } from '../support/child.js';
import { engine, freshDatabase } from '../support/db.js';

const PROCESSES = 4;

describe(`migrations on a new ${engine} database`, () => {
  it(`run once when ${PROCESSES} processes start together, and every process starts`, async () => {
    const location = await freshDatabase(undefined, { empty: true });
    const runs = await Promise.all(
      Array.from({ length: PROCESSES }, () => runDigestProcess(['editions'], { DIGEST_DB: location })),
    );
    expect(runs.map((run) => `${run.code} ${run.stderr.trim()}|${run.stdout.trim()}`)).toEqual(
      Array(PROCESSES).fill('0 |No editions yet.'),
    );
    const db = await openDatabase(location);
    try {
      const applied = await db
        .selectFrom('kysely_migration' as never)
        .select('name' as never)
        .execute();
      const names = applied.map((row) => (row as { name: string }).name);
      expect(names).toEqual([...new Set(names)]);
      expect(names).toContain('0001_initial');
      expect(names).toContain('0004_engagement');
      const tables = (await db.introspection.getTables()).map((table) => table.name);
      expect(tables).toEqual(
        expect.arrayContaining(['subscribers', 'deliveries', 'delivery_events', 'locks']),
      );
    } finally {
      await db.destroy();
    }
  });
});
