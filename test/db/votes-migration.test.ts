import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import * as votes from '../../db/migrations/0008_votes.js';
import { fixedClock } from '../../src/domain/clock.js';
import { signedVotePath } from '../../src/domain/vote-link.js';
import { removeSubscriber } from '../../src/services/subscribers.js';
import { castVote, voteTallies } from '../../src/services/votes.js';
import { upgradedFirstRelease } from '../support/first-release.js';
import { testConfig } from '../support/sending.js';

describe('migration 0008_votes', () => {
  it('upgrades a first-release database in place: its readers vote on its edition, and erasure takes the votes', async () => {
    const { db } = await upgradedFirstRelease();
    const config = testConfig();
    const deps = { db, clock: fixedClock(new Date('2026-12-02T10:00:00Z')), config };
    try {
      const reader = await db
        .selectFrom('deliveries')
        .innerJoin('subscribers', 'subscribers.id', 'deliveries.subscriber_id')
        .innerJoin('editions', 'editions.id', 'deliveries.edition_id')
        .select(['subscribers.email', 'subscribers.token', 'editions.id as edition'])
        .where('deliveries.status', '=', 'sent')
        .where('editions.week_key', '=', '2026-W47')
        .orderBy('subscribers.email')
        .executeTakeFirstOrThrow();
      const item = await db
        .selectFrom('edition_items')
        .innerJoin('comparisons', 'comparisons.id', 'edition_items.comparison_id')
        .select('comparisons.slug')
        .where('edition_id', '=', reader.edition)
        .orderBy('position')
        .executeTakeFirstOrThrow();
      const subject = { week: '2026-W47', comparison: item.slug, tool: 0, choice: 'ship' } as const;
      const [comparison, tool, choice, signature] = signedVotePath(config.secret, subject).split('/');
      const presented = {
        token: reader.token,
        comparison: comparison ?? '',
        tool: tool ?? '',
        choice: choice ?? '',
        signature: signature ?? '',
      };
      expect(await castVote(deps, presented)).toMatchObject({ status: 'ok', recorded: 'ship' });
      expect(await voteTallies(deps, { week: '2026-W47' })).toEqual([
        expect.objectContaining({ slug: item.slug, tools: [expect.objectContaining({ ship: 1, skip: 0 })] }),
      ]);

      await removeSubscriber(deps, reader.email);
      expect(await db.selectFrom('votes').selectAll().execute()).toEqual([]);
      expect(await voteTallies(deps)).toEqual([]);
    } finally {
      await db.destroy();
    }
  });

  it('goes down and up again', async () => {
    const { db } = await upgradedFirstRelease();
    try {
      const tables = async () =>
        (
          await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(db)
        ).rows.map((row) => row.name);
      await votes.down(db);
      expect(await tables()).not.toContain('votes');
      await votes.up(db);
      expect(await tables()).toContain('votes');
    } finally {
      await db.destroy();
    }
  });
});
