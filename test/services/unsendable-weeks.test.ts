// Weeks that cannot go out (missed, passed over, or with nobody to receive them) are recorded with their
// reason, and their comparisons ride the next week that goes out, once.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/adapters/database.js';
import { findEdition } from '../../src/adapters/edition-repository.js';
import { createOutboxTransport } from '../../src/adapters/outbox-transport.js';
import { fixedClock } from '../../src/domain/clock.js';
import { describeEditionOf } from '../../src/domain/edition-of.js';
import { requireWeek, sameMomentInWeek } from '../../src/domain/weeks.js';
import { comparisonListing } from '../../src/services/comparison-listing.js';
import { importComparisons } from '../../src/services/import-comparisons.js';
import { sendEdition } from '../../src/services/send-edition.js';
import { addSubscribers } from '../../src/services/subscribers.js';
import { createWorker } from '../../src/services/worker.js';
import { scratchDir } from '../support/cli.js';
import { testDatabase } from '../support/db.js';
import { addReaders, comparisonsDir, importSamples, sendDeps, testConfig } from '../support/sending.js';

const W47_SLUGS = [
  'claude-code-vs-aider',
  'cursor-3-vs-windsurf-wave-14',
  'hugging-face-inference-providers-hub-vs-mistral-3-small-22b',
];
const W48_SLUG = 'flux-2-pro-vs-midjourney-v8';
const silent = { info() {}, warn() {}, error() {} };

let db: Db | undefined;
afterEach(async () => {
  await db?.destroy();
  db = undefined;
});

function outbox() {
  return createOutboxTransport(join(scratchDir(), 'outbox'));
}

/** The slugs an edition carries, in edition order. */
async function carried(weekKey: string): Promise<string[]> {
  const edition = await findEdition(db as Db, weekKey);
  if (!edition) return [];
  const rows = await (db as Db)
    .selectFrom('edition_items')
    .innerJoin('comparisons', 'comparisons.id', 'edition_items.comparison_id')
    .select('comparisons.slug')
    .where('edition_items.edition_id', '=', edition.id)
    .orderBy('position')
    .execute();
  return rows.map((row) => row.slug);
}

async function sentCount(): Promise<number> {
  const rows = await (db as Db).selectFrom('deliveries').select('id').where('status', '=', 'sent').execute();
  return rows.length;
}

describe('a week with comparisons but no eligible reader', () => {
  it.each([
    ['no subscribers at all', async (_db: Db) => {}],
    [
      'only readers awaiting confirmation',
      async (target: Db) => {
        await addSubscribers(
          { db: target, clock: fixedClock(new Date('2026-11-01T00:00:00Z')) },
          ['p@example.com'],
          {
            status: 'pending',
            categories: [],
          },
        );
      },
    ],
    [
      'only readers who unsubscribed',
      async (target: Db) => {
        await addReaders(target, 2);
        await target.updateTable('subscribers').set({ status: 'unsubscribed' }).execute();
      },
    ],
    ['only readers whose categories match nothing', (target: Db) => addReaders(target, 2, ['Spreadsheets'])],
  ])(
    'with %s is skipped ("no eligible readers"), and its comparisons ride the next week',
    async (_name, audience) => {
      db = await testDatabase();
      await importSamples(db);
      await audience(db);
      const transport = outbox();

      const skipped = await sendEdition(sendDeps(db, transport), '2026-W47');
      expect(skipped.outcome).toBe('skipped');
      expect(skipped.message).toBe(
        '2026-W47 skipped: no eligible readers (no active subscriber follows its categories); nothing sent, and its comparisons ride 2026-W48.',
      );
      expect(await findEdition(db, '2026-W47')).toMatchObject({
        status: 'skipped',
        reason: 'no eligible readers',
      });
      expect(await carried('2026-W47')).toEqual([]);
      const listing = await comparisonListing({ db, config: testConfig() }, { week: '2026-W47' });
      expect(listing.map((row) => describeEditionOf(row.edition))).toEqual(
        W47_SLUGS.map(() => '2026-W48 (upcoming)'),
      );

      // Readers arrive: the next week carries its own comparison and the skipped week's, once each.
      await addSubscribers(
        { db, clock: fixedClock(new Date('2026-11-26T00:00:00Z')) },
        ['ada@example.com', 'grace@example.com', 'linus@example.com'],
        { status: 'active', categories: [] },
      );
      const next = await sendEdition(
        sendDeps(db, transport, { clock: fixedClock(new Date('2026-12-02T10:00:00Z')) }),
        '2026-W48',
      );
      expect(next.outcome).toBe('sent');
      expect((await carried('2026-W48')).sort()).toEqual([...W47_SLUGS, W48_SLUG].sort());
      expect(await sentCount()).toBe(3);

      // Nothing rides twice: the week after has nothing new, and nothing more is sent.
      const after = await sendEdition(
        sendDeps(db, transport, { clock: fixedClock(new Date('2026-12-09T10:00:00Z')) }),
        '2026-W49',
      );
      expect(after).toMatchObject({
        outcome: 'skipped',
        message: '2026-W49 skipped: no new comparisons; nothing sent.',
      });
      expect(await sentCount()).toBe(3);
    },
  );
});

describe('a week whose last reader leaves while it is being frozen', () => {
  it('is skipped ("no eligible readers") rather than sent to nobody, and its comparisons ride the next week', async () => {
    db = await testDatabase();
    await importSamples(db);
    await addReaders(db, 1);
    const deps = sendDeps(db, outbox());
    const target = db;
    // The reader unsubscribes between rendering (before the freezing transaction) and the ledger being written.
    const renderer = {
      async render(input: Parameters<typeof deps.renderer.render>[0]) {
        const content = await deps.renderer.render(input);
        await target.updateTable('subscribers').set({ status: 'unsubscribed' }).execute();
        return content;
      },
    };
    const report = await sendEdition({ ...deps, renderer }, '2026-W47');
    expect(report.outcome).toBe('skipped');
    expect(await findEdition(db, '2026-W47')).toMatchObject({
      status: 'skipped',
      reason: 'no eligible readers',
    });
    expect(await carried('2026-W47')).toEqual([]);
    expect(await db.selectFrom('deliveries').select('id').execute()).toEqual([]);
  });
});

describe('a missed week', () => {
  const w47Due = new Date('2026-11-23T09:00:00Z');

  async function workerAt(now: Date) {
    return createWorker({
      ...sendDeps(db as Db, outbox()),
      clock: fixedClock(now),
      config: testConfig(),
      log: silent,
    });
  }

  it('missed beyond the catch-up window hands its comparisons to the next week, which sends them once', async () => {
    db = await testDatabase();
    await importSamples(db);
    await addReaders(db, 3);

    const late = await (await workerAt(new Date(w47Due.getTime() + 73 * 3_600_000))).tick('start');
    expect(late).toMatchObject({ decision: { action: 'miss', weekKey: '2026-W47' } });
    const listing = await comparisonListing({ db, config: testConfig() }, { week: '2026-W47' });
    expect(listing.map((row) => describeEditionOf(row.edition))).toEqual(
      W47_SLUGS.map(() => '2026-W48 (upcoming)'),
    );

    const next = await (await workerAt(new Date('2026-11-30T09:00:00Z'))).tick('schedule');
    expect(next).toMatchObject({
      decision: { action: 'send', weekKey: '2026-W48' },
      report: { outcome: 'sent' },
    });
    expect((await carried('2026-W48')).sort()).toEqual([...W47_SLUGS, W48_SLUG].sort());
    expect(await sentCount()).toBe(3);
  });

  it('is recorded when no worker ran while it was the week to send, and rides the next week', async () => {
    db = await testDatabase();
    await importSamples(db, new Date('2026-11-10T00:00:00Z'));
    await addReaders(db, 2);
    const first = await (await workerAt(new Date('2026-11-16T10:00:00Z'))).tick('start');
    expect(first).toMatchObject({ decision: { weekKey: '2026-W46' }, report: { outcome: 'sent' } });

    // The worker was down from then until after 2026-W48 was due: 2026-W47 was never the week it looked at.
    const back = await (await workerAt(new Date('2026-11-30T10:00:00Z'))).tick('start');
    expect(back).toMatchObject({
      decision: { action: 'send', weekKey: '2026-W48' },
      report: { outcome: 'sent' },
    });
    expect(await findEdition(db, '2026-W47')).toMatchObject({
      status: 'missed',
      reason: '2026-W47 was due 2026-11-23T09:00:00.000Z, but 2026-W48 ended before a worker sent it',
    });
    expect((await carried('2026-W48')).sort()).toEqual([...W47_SLUGS, W48_SLUG].sort());
    expect(await sentCount()).toBe(2 + 2);
  });
});

describe('a week due inside a DST gap', () => {
  it('goes out from the minute check when the gap ends (Europe/Berlin, Sunday 28 March 2027, 02:30)', async () => {
    db = await testDatabase();
    const dir = scratchDir('digest-gap-');
    for (const name of readdirSync(comparisonsDir)) {
      const document = JSON.parse(readFileSync(join(comparisonsDir, name), 'utf8'));
      const moved = sameMomentInWeek(
        new Date(document.publishedAt),
        requireWeek('2027-W11'),
        'Europe/Berlin',
      );
      document.publishedAt = moved.toISOString();
      writeFileSync(join(dir, name), JSON.stringify(document));
    }
    const imported = await importComparisons({ db, clock: fixedClock(new Date('2027-03-01T00:00:00Z')) }, [
      dir,
    ]);
    expect(imported.ok).toBe(true);
    await addReaders(db, 2);
    const config = testConfig({ DIGEST_TIMEZONE: 'Europe/Berlin', DIGEST_SCHEDULE: '30 2 * * 0' });
    const workerAt = (now: string) =>
      createWorker({
        ...sendDeps(db as Db, outbox()),
        clock: fixedClock(new Date(now)),
        config,
        log: silent,
      });

    expect(await (await workerAt('2027-03-28T00:59:00Z')).tick('minute')).toMatchObject({
      decision: { action: 'wait', weekKey: '2027-W11' },
    });
    expect(await (await workerAt('2027-03-28T01:00:00Z')).tick('minute')).toMatchObject({
      decision: { action: 'send', weekKey: '2027-W11' },
      report: { outcome: 'sent' },
    });
    expect(await sentCount()).toBe(2);
  });
});
