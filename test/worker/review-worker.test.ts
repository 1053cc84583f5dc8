// The worker under review (docs/editorial.md, Review mode), driven tick by tick with an injected clock: nothing here
// waits for real time to pass.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ParsedMail, simpleParser } from 'mailparser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/adapters/database.js';
import { findEdition } from '../../src/adapters/edition-repository.js';
import { createOutboxTransport, listOutbox } from '../../src/adapters/outbox-transport.js';
import type { Transport } from '../../src/adapters/transport.js';
import type { Config } from '../../src/config.js';
import { fixedClock } from '../../src/domain/clock.js';
import { approve, setNote } from '../../src/services/draft.js';
import { startEdition } from '../../src/services/freeze-edition.js';
import { createWorker } from '../../src/services/worker.js';
import { scratchDir } from '../support/cli.js';
import { testDatabase } from '../support/db.js';
import { addReaders, importSamples, sendDeps, testConfig } from '../support/sending.js';

const HOUR = 3_600_000;
/** 2026-W47 is due Monday 23 November 09:00 UTC under the default schedule. */
const DUE = new Date('2026-11-23T09:00:00Z');
const at = (hoursFromDue: number) => new Date(DUE.getTime() + hoursFromDue * HOUR);
const REVIEWERS = 'rev@example.com,chief@example.org';
const quiet = { info() {}, warn() {}, error() {} };

describe('the worker under review', () => {
  let db: Db;
  let outbox: string;
  const clock = fixedClock(at(-24));
  beforeEach(async () => {
    db = await testDatabase();
    await importSamples(db);
    await addReaders(db, 3);
    outbox = join(scratchDir(), 'outbox');
    clock.set(at(-24));
  });
  afterEach(async () => {
    await db.destroy();
  });

  function workerWith(config: Config, transport: Transport = createOutboxTransport(outbox)) {
    return createWorker({ ...sendDeps(db, transport), clock, config, log: quiet });
  }

  async function mails(): Promise<ParsedMail[]> {
    return Promise.all(
      (await listOutbox(outbox)).map((file) => simpleParser(readFileSync(join(outbox, file)))),
    );
  }
  const reviewCopies = async () => (await mails()).filter((mail) => mail.subject?.startsWith('[REVIEW] '));
  const readerCopies = async () => (await mails()).filter((mail) => !mail.subject?.startsWith('[REVIEW] '));

  describe('with DIGEST_REVIEW=required', () => {
    const config = testConfig({ DIGEST_REVIEW: 'required', DIGEST_REVIEWERS: REVIEWERS });
    const editor = () => ({ db, clock, config });

    it('mails reviewers at the lead time and at the due time, sends only once approved, within a minute', async () => {
      const worker = workerWith(config);
      clock.set(at(-12.01));
      await worker.tick('minute');
      expect(await reviewCopies()).toEqual([]);

      clock.set(at(-12));
      await worker.tick('minute');
      const lead = await reviewCopies();
      expect(lead.map((mail) => (mail.to && !Array.isArray(mail.to) ? mail.to.text : '')).sort()).toEqual([
        'chief@example.org',
        'rev@example.com',
      ]);
      for (const mail of lead) {
        // 2026-W46 went unsent (the worker recorded it as missed at its first tick): its comparison rides 2026-W47.
        expect(mail.subject).toBe('[REVIEW] Claude Code vs Aider, and 3 more verdicts');
        expect(mail.text).toContain(
          '*Review copy.* The 16-22 November 2026 edition is due Monday, 23 November 2026 at 09:00 UTC. It goes out only once an editor approves it. Review it in the editor console (https://news.verdicts.test/admin).',
        );
        expect(mail.headers.has('list-unsubscribe')).toBe(false);
        expect(String(mail.html)).not.toMatch(/\/unsubscribe\/|\/preferences\/|\/editions\//);
      }

      // Neither another tick nor a restarted worker sends the lead copy again.
      clock.set(at(-6));
      await worker.tick('minute');
      await workerWith(config).tick('start');
      expect(await reviewCopies()).toHaveLength(2);

      // Due and unapproved: nothing goes out, and reviewers hear about it once.
      clock.set(at(0));
      expect(await worker.tick('schedule')).toMatchObject({
        decision: { action: 'wait', why: expect.stringContaining('is not approved') },
      });
      await worker.tick('minute');
      const copies = await reviewCopies();
      expect(copies).toHaveLength(4);
      expect(
        copies.filter((mail) =>
          mail.text?.includes('was due Monday, 23 November 2026 at 09:00 UTC and has not gone out'),
        ),
      ).toHaveLength(2);
      expect(await findEdition(db, '2026-W47')).toBeUndefined();
      expect(await readerCopies()).toEqual([]);

      // Approved: the next minute's check sends it.
      clock.set(at(2));
      await approve(editor(), '2026-W47', 'ada');
      clock.set(at(2 + 1 / 60));
      expect(await worker.tick('minute')).toMatchObject({
        decision: { action: 'send', weekKey: '2026-W47' },
        report: { outcome: 'sent' },
      });
      expect(await readerCopies()).toHaveLength(3);
      expect(await findEdition(db, '2026-W47')).toMatchObject({ status: 'sent', approved_by: 'ada' });
      expect(await reviewCopies()).toHaveLength(4);
    });

    it('never sends an approval the draft has outgrown', async () => {
      const worker = workerWith(config);
      clock.set(at(-1));
      await approve(editor(), '2026-W47', 'ada');
      await setNote(editor(), '2026-W47', 'Added after approval.');
      clock.set(at(0));
      expect(await worker.tick('schedule')).toMatchObject({ decision: { action: 'wait' } });
      expect(await readerCopies()).toEqual([]);
    });

    it('records a week left unapproved past the catch-up window as missed, "not approved"', async () => {
      const worker = workerWith(config);
      clock.set(at(72 + 1 / 60));
      expect(await worker.tick('minute')).toMatchObject({
        decision: { action: 'miss', why: 'not approved' },
      });
      expect(await findEdition(db, '2026-W47')).toMatchObject({ status: 'missed', reason: 'not approved' });
      expect(await readerCopies()).toEqual([]);
      // Too late to review: no copy goes out for a week that can no longer be sent.
      expect(await reviewCopies()).toEqual([]);
    });

    it('retries a reviewer copy the provider could not take, with the same idempotency key', async () => {
      const real = createOutboxTransport(outbox);
      const keys: string[] = [];
      let down = true;
      const flaky: Transport = {
        kind: 'outbox',
        async sendBatch(messages, key) {
          keys.push(key);
          return down ? { status: 'retryable', reason: 'network down' } : real.sendBatch(messages, key);
        },
      };
      clock.set(at(-12));
      await workerWith(config, flaky).tick('minute');
      expect(await reviewCopies()).toEqual([]);
      down = false;
      clock.set(at(-11.98));
      await workerWith(config, flaky).tick('minute');
      expect(await reviewCopies()).toHaveLength(2);
      expect(keys).toHaveLength(2);
      expect(keys[1]).toBe(keys[0]);
    });
  });

  describe('with DIGEST_REVIEW=auto', () => {
    const config = testConfig({ DIGEST_REVIEWERS: REVIEWERS, DIGEST_REVIEW_LEAD_HOURS: '2' });

    it('mails reviewers at the lead time and sends at the due time without approval', async () => {
      const worker = workerWith(config);
      clock.set(at(-3));
      await worker.tick('minute');
      expect(await reviewCopies()).toEqual([]);
      clock.set(at(-2));
      await worker.tick('minute');
      const lead = await reviewCopies();
      expect(lead).toHaveLength(2);
      expect(lead[0]?.text).toContain('It goes out then as it stands.');
      clock.set(at(0));
      expect(await worker.tick('schedule')).toMatchObject({ report: { outcome: 'sent' } });
      expect(await readerCopies()).toHaveLength(3);
      await worker.tick('minute');
      expect(await reviewCopies()).toHaveLength(2);
    });

    it('leaves an interrupted send to the retry timer and the schedule, not the minute check', async () => {
      const worker = workerWith(testConfig());
      clock.set(at(1));
      await startEdition(sendDeps(db, createOutboxTransport(outbox), { clock }), '2026-W47');
      expect(await worker.tick('minute')).toMatchObject({ decision: { action: 'wait' } });
      expect(await readerCopies()).toEqual([]);
      expect(await worker.tick('retry')).toMatchObject({ report: { outcome: 'sent' } });
    });
  });

  it('mails nobody when no reviewers are configured', async () => {
    const worker = workerWith(testConfig({ DIGEST_REVIEW: 'required' }));
    for (const hours of [-12, 0, 1]) {
      clock.set(at(hours));
      await worker.tick('minute');
    }
    expect(await mails()).toEqual([]);
  });
});
