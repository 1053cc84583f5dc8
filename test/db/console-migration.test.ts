import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import * as editorConsole from '../../db/migrations/0005_console.js';
import type { openDatabase } from '../../src/adapters/database.js';
import { silentLogger } from '../../src/adapters/logger.js';
import { createOutboxTransport, listOutbox } from '../../src/adapters/outbox-transport.js';
import { fixedClock } from '../../src/domain/clock.js';
import { openSession, requestSignIn, signIn } from '../../src/services/editor-sign-in.js';
import { upgradedFirstRelease } from '../support/first-release.js';
import { testConfig } from '../support/sending.js';

const tables = async (db: Awaited<ReturnType<typeof openDatabase>>) =>
  (await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(db)).rows.map(
    (row) => row.name,
  );

describe('migration 0005_console', () => {
  it('upgrades a first-release database in place; an editor signs in on it', async () => {
    const { db, dir } = await upgradedFirstRelease();
    const clock = fixedClock(new Date('2026-12-02T10:00:00Z'));
    const outbox = join(dir, 'outbox');
    const deps = {
      db,
      clock,
      config: testConfig({ DIGEST_EDITORS: 'ed@example.com' }),
      transport: createOutboxTransport(outbox, clock),
      log: silentLogger,
    };
    try {
      const subscribers = await db
        .selectFrom('subscribers')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(subscribers.n)).toBe(7);
      expect(await tables(db)).toEqual(expect.arrayContaining(['editor_sign_in_links', 'editor_sessions']));

      expect(await requestSignIn(deps, 'ed@example.com', '/admin')).toBe('sent');
      expect(await listOutbox(outbox)).toHaveLength(1);
      const stored = await db.selectFrom('editor_sign_in_links').selectAll().executeTakeFirstOrThrow();
      expect(stored).toMatchObject({ email: 'ed@example.com', email_key: 'ed@example.com', used_at: null });
      expect(await signIn(deps, 'not-the-token')).toEqual({ ok: false, state: 'unknown' });
    } finally {
      await db.destroy();
    }
  });

  it('rolls back and forward again', async () => {
    const { db } = await upgradedFirstRelease();
    const clock = fixedClock(new Date('2026-12-02T10:00:00Z'));
    try {
      await editorConsole.down(db);
      expect(await tables(db)).not.toContain('editor_sessions');
      await editorConsole.up(db);
      expect(await tables(db)).toContain('editor_sessions');
      const config = testConfig({ DIGEST_EDITORS: 'ed@example.com' });
      expect(await openSession({ db, clock, config }, 'no-such-session')).toBeUndefined();
    } finally {
      await db.destroy();
    }
  });
});
