// The ledger a freeze writes: one row per subscriber, in subscriber order, each saying what that reader's
// status and categories give them, written by the database from one entry per (status, categories) pair.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/adapters/database.js';
import { createOutboxTransport } from '../../src/adapters/outbox-transport.js';
import { fixedClock } from '../../src/domain/clock.js';
import { assignContent } from '../../src/domain/edition-plan.js';
import { startEdition } from '../../src/services/freeze-edition.js';
import { sendEdition } from '../../src/services/send-edition.js';
import { addSubscribers } from '../../src/services/subscribers.js';
import { scratchDir } from '../support/cli.js';
import { testDatabase } from '../support/db.js';
import { AFTER_W47, importSamples, sendDeps } from '../support/sending.js';

let db: Db | undefined;
afterEach(async () => {
  await db?.destroy();
  db = undefined;
});

function deps(target: Db) {
  return sendDeps(target, createOutboxTransport(join(scratchDir(), 'outbox')));
}

/** Adds one subscriber per row, in this order (so their ids follow it), with the status given. */
async function addInOrder(target: Db, rows: readonly [string, string, string[]][]): Promise<void> {
  const clock = fixedClock(AFTER_W47);
  for (const [email, status, categories] of rows) {
    await addSubscribers({ db: target, clock }, [email], { status: 'active', categories });
    if (status !== 'active') {
      await target
        .updateTable('subscribers')
        .set({ status: status as 'pending' | 'unsubscribed' | 'bounced' | 'complained' })
        .where('email', '=', email)
        .execute();
    }
  }
}

describe('the ledger of a frozen edition', () => {
  it('has one row per subscriber, in subscriber order, with what their status and categories give them', async () => {
    db = await testDatabase();
    await importSamples(db);
    // Pairs repeat and interleave, so rows of one pair are not next to each other.
    await addInOrder(db, [
      ['a@example.com', 'active', []],
      ['b@example.com', 'active', ['Coding Agents']],
      ['c@example.com', 'unsubscribed', []],
      ['d@example.com', 'active', ['Image Generation']],
      ['e@example.com', 'active', []],
      ['f@example.com', 'pending', ['Coding Agents']],
      ['g@example.com', 'active', ['Coding Agents']],
      ['h@example.com', 'bounced', ['Coding Agents']],
      ['i@example.com', 'complained', []],
      ['j@example.com', 'active', ['Image Generation']],
      ['k@example.com', 'active', []],
    ]);
    const edition = await startEdition(deps(db), '2026-W47');
    if (edition.status !== 'sending') throw new Error(`expected a frozen edition, got ${edition.status}`);

    const items = await db
      .selectFrom('edition_items')
      .select('snapshot')
      .where('edition_id', '=', edition.id)
      .orderBy('position')
      .execute();
    const views = items.map((item) => JSON.parse(item.snapshot));
    const contents = new Map(
      (
        await db
          .selectFrom('edition_contents')
          .select(['id', 'content_key'])
          .where('edition_id', '=', edition.id)
          .execute()
      ).map((content) => [content.id, content.content_key]),
    );
    const ledger = await db
      .selectFrom('deliveries')
      .innerJoin('subscribers', 'subscribers.id', 'deliveries.subscriber_id')
      .select([
        'deliveries.id',
        'deliveries.subscriber_id',
        'deliveries.status',
        'deliveries.reason',
        'deliveries.content_id',
        'deliveries.created_at',
        'subscribers.status as subscriberStatus',
        'subscribers.categories',
      ])
      .where('deliveries.edition_id', '=', edition.id)
      .orderBy('deliveries.id')
      .execute();
    const subscribers = await db.selectFrom('subscribers').select('id').orderBy('id').execute();
    expect(ledger.map((row) => row.subscriber_id)).toEqual(subscribers.map((row) => row.id));

    for (const row of ledger) {
      const assignment = assignContent(
        { status: row.subscriberStatus, categories: JSON.parse(row.categories) },
        views,
      );
      expect(row.created_at).toBe(AFTER_W47.toISOString());
      if (assignment.status === 'skipped') {
        expect(row).toMatchObject({ status: 'skipped', reason: assignment.reason, content_id: null });
      } else {
        expect(row).toMatchObject({ status: 'pending', reason: null });
        expect(contents.get(row.content_id ?? -1)).toBe(assignment.contentKey);
      }
    }
    expect(ledger.map((row) => row.reason ?? row.status)).toEqual([
      'pending',
      'pending',
      'unsubscribed',
      'no matching categories',
      'pending',
      'pending confirmation',
      'pending',
      'bounced',
      'complained',
      'no matching categories',
      'pending',
    ]);
  });

  it('skips a reader confirmed while the variants were rendered, whose variant was never rendered', async () => {
    db = await testDatabase();
    await importSamples(db);
    await addInOrder(db, [
      ['all@example.com', 'active', []],
      ['coder@example.com', 'pending', ['Coding Agents']],
    ]);
    const base = deps(db);
    const target = db;
    // Only the variant of everything is rendered; the coder confirms before the ledger is written.
    const renderer = {
      async render(input: Parameters<typeof base.renderer.render>[0]) {
        const content = await base.renderer.render(input);
        await target
          .updateTable('subscribers')
          .set({ status: 'active' })
          .where('email', '=', 'coder@example.com')
          .execute();
        return content;
      },
    };
    const report = await sendEdition({ ...base, renderer }, '2026-W47');
    expect(report.outcome).toBe('sent');
    expect(report.counts).toEqual({
      total: 2,
      byStatus: { sent: 1, skipped: 1 },
      byReason: { 'skipped: confirmed during planning': 1 },
    });
  });

  it('is written for each edition frozen on the same connection, one after the other', async () => {
    db = await testDatabase();
    await importSamples(db);
    await addInOrder(db, [
      ['a@example.com', 'active', []],
      ['b@example.com', 'unsubscribed', []],
    ]);
    const first = await sendEdition(deps(db), '2026-W47');
    const second = await sendEdition(deps(db), '2026-W48');
    for (const report of [first, second]) {
      expect(report.outcome).toBe('sent');
      expect(report.counts).toEqual({
        total: 2,
        byStatus: { sent: 1, skipped: 1 },
        byReason: { 'skipped: unsubscribed': 1 },
      });
    }
  });
});
