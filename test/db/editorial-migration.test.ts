import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import * as editorial from '../../db/migrations/0003_editorial.js';
import { findEdition, loadEditionItems } from '../../src/adapters/edition-repository.js';
import { createOutboxTransport, listOutbox } from '../../src/adapters/outbox-transport.js';
import { fixedClock } from '../../src/domain/clock.js';
import { approve, setNote } from '../../src/services/draft.js';
import { sendEdition } from '../../src/services/send-edition.js';
import { upgradedFirstRelease } from '../support/first-release.js';
import { sendDeps, testConfig } from '../support/sending.js';

describe('migration 0003_editorial', () => {
  it('upgrades a first-release database in place, keeping every row', async () => {
    const { db } = await upgradedFirstRelease();
    try {
      expect(await findEdition(db, '2026-W47')).toMatchObject({
        status: 'sent',
        subject: 'Weekly AI Tool Verdicts, 2026-W47: 3 new comparisons',
        note: null,
        approved_by: null,
        approved_at: null,
      });
      const count = async (table: 'subscribers' | 'deliveries' | 'provider_events' | 'drafts') =>
        Number(
          (
            await db
              .selectFrom(table)
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      expect(await count('subscribers')).toBe(7);
      expect(await count('deliveries')).toBe(7);
      expect(await count('provider_events')).toBe(5);
      expect(await count('drafts')).toBe(0);
    } finally {
      await db.destroy();
    }
  });

  it('shapes, approves and sends the next week from the upgraded database', async () => {
    const { db, dir } = await upgradedFirstRelease();
    const clock = fixedClock(new Date('2026-12-02T10:00:00Z'));
    const config = testConfig({ DIGEST_REVIEW: 'required' });
    try {
      await setNote({ db, clock, config }, '2026-W48', 'First edition with a note.');
      await approve({ db, clock, config }, '2026-W48', 'ada');
      const outbox = join(dir, 'outbox');
      const report = await sendEdition(
        sendDeps(db, createOutboxTransport(outbox), { clock, config }),
        '2026-W48',
      );
      expect(report.outcome).toBe('sent');
      const edition = await findEdition(db, '2026-W48');
      expect(edition).toMatchObject({ note: 'First edition with a note.', approved_by: 'ada' });
      expect((await loadEditionItems(db, edition?.id ?? 0)).map((item) => item.slug)).toEqual([
        'flux-2-pro-vs-midjourney-v8',
      ]);
      expect((await listOutbox(outbox)).length).toBe(report.counts?.byStatus.sent);
    } finally {
      await db.destroy();
    }
  });

  it('rolls back and forward again', async () => {
    const { db } = await upgradedFirstRelease();
    try {
      await editorial.down(db);
      const columns = await sql<{ name: string }>`select name from pragma_table_info('editions')`.execute(db);
      expect(columns.rows.map((row) => row.name)).not.toContain('approved_by');
      await editorial.up(db);
      expect(await findEdition(db, '2026-W47')).toMatchObject({ status: 'sent', approved_by: null });
    } finally {
      await db.destroy();
    }
  });
});
