import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BatchRow } from '../../db/schema.js';
import type { Db } from '../../src/adapters/database.js';
import { findEdition, loadEditionItems } from '../../src/adapters/edition-repository.js';
import { countDeliveries } from '../../src/adapters/frozen-ledger-repository.js';
import { createOutboxTransport, listOutbox } from '../../src/adapters/outbox-transport.js';
import { findSubscriberByKey, setSubscriberStatus } from '../../src/adapters/subscriber-repository.js';
import type { Transport } from '../../src/adapters/transport.js';
import { fixedClock } from '../../src/domain/clock.js';
import { importComparisons } from '../../src/services/import-comparisons.js';
import { sendEdition } from '../../src/services/send-edition.js';
import { addSubscribers, importSubscriberCsv } from '../../src/services/subscribers.js';
import { scratchDir } from '../support/cli.js';
import { testDatabase } from '../support/db.js';
import { AFTER_W47, addReaders, comparisonsDir, importSamples, sendDeps } from '../support/sending.js';

/** Recipient address -> number of .eml files addressed to it. */
async function outboxCounts(dir: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const name of await listOutbox(dir)) {
    const parsed = await simpleParser(readFileSync(join(dir, name)));
    const to = parsed.to && !Array.isArray(parsed.to) ? parsed.to.value[0]?.address : undefined;
    if (to) counts.set(to, (counts.get(to) ?? 0) + 1);
  }
  return counts;
}

describe('sendEdition', () => {
  let db: Db;
  let outbox: string;
  beforeEach(async () => {
    db = await testDatabase();
    outbox = join(scratchDir(), 'outbox');
    await importSamples(db);
  });
  afterEach(async () => {
    await db.destroy();
  });

  it('sends every active subscriber exactly one email, none to the others, and the report adds up', async () => {
    const csv = [
      'email,status,categories',
      'ada@example.com,active,',
      'grace@example.com,active,Developer Tools',
      'linus@example.org,active,Image Generation',
      'margaret@example.net,pending,',
      'katherine@example.net,unsubscribed,',
      'barbara@example.net,bounced,',
      'frances@example.net,complained,',
    ].join('\n');
    await importSubscriberCsv({ db, clock: fixedClock(AFTER_W47) }, csv, { skipInvalid: false });
    const report = await sendEdition(sendDeps(db, createOutboxTransport(outbox)), '2026-W47');
    expect(report.outcome).toBe('sent');
    expect(Object.fromEntries(await outboxCounts(outbox))).toEqual({
      'ada@example.com': 1,
      'grace@example.com': 1,
    });
    expect(report.counts).toEqual({
      total: 7,
      byStatus: { sent: 2, skipped: 5 },
      byReason: {
        'skipped: pending confirmation': 1,
        'skipped: unsubscribed': 1,
        'skipped: bounced': 1,
        'skipped: complained': 1,
        'skipped: no matching categories': 1,
      },
    });
  });

  it('carries exactly the three W47 comparisons, newest first, and freezes them', async () => {
    await addReaders(db, 1);
    await sendEdition(sendDeps(db, createOutboxTransport(outbox)), '2026-W47');
    const edition = await findEdition(db, '2026-W47');
    expect(edition).toMatchObject({
      status: 'sent',
      subject: 'Claude Code vs Aider, and 2 more verdicts',
    });
    const items = await loadEditionItems(db, edition?.id ?? 0);
    expect(items.map((item) => item.slug)).toEqual([
      'claude-code-vs-aider',
      'cursor-3-vs-windsurf-wave-14',
      'hugging-face-inference-providers-hub-vs-mistral-3-small-22b',
    ]);
  });

  it('sends nothing the second time, and skips a week with nothing new', async () => {
    await addReaders(db, 3);
    const deps = sendDeps(db, createOutboxTransport(outbox));
    expect((await sendEdition(deps, '2026-W47')).outcome).toBe('sent');
    const again = await sendEdition(deps, '2026-W47');
    expect(again.outcome).toBe('already sent');
    expect((await listOutbox(outbox)).length).toBe(3);
    const empty = await sendEdition(deps, '2026-W45');
    expect(empty).toMatchObject({
      outcome: 'skipped',
      message: expect.stringContaining('no new comparisons'),
    });
    expect(await findEdition(db, '2026-W45')).toMatchObject({
      status: 'skipped',
      reason: 'no new comparisons',
    });
    expect((await sendEdition(deps, '2026-W45')).outcome).toBe('skipped');
    expect((await listOutbox(outbox)).length).toBe(3);
  });

  it('carries a late import from the week before, and never an item an earlier edition carried', async () => {
    await addReaders(db, 1);
    const deps = sendDeps(db, createOutboxTransport(outbox));
    await sendEdition(deps, '2026-W46');
    // Published in W46 but imported after the W46 edition was planned: it missed W46, so W47 carries it.
    const late = JSON.parse(readFileSync(join(comparisonsDir, '2026-w46-ollama-vs-lm-studio.json'), 'utf8'));
    late.slug = 'late-w46-comparison';
    const file = join(scratchDir(), 'late.json');
    writeFileSync(file, JSON.stringify(late));
    await importComparisons({ db, clock: fixedClock(new Date('2026-11-26T00:00:00Z')) }, [file]);
    await sendEdition(deps, '2026-W47');
    const w46 = await loadEditionItems(db, (await findEdition(db, '2026-W46'))?.id ?? 0);
    const w47 = await loadEditionItems(db, (await findEdition(db, '2026-W47'))?.id ?? 0);
    expect(w46.map((item) => item.slug)).toEqual(['ollama-vs-lm-studio']);
    expect(w47.map((item) => item.slug)).toContain('late-w46-comparison');
    expect(w47.map((item) => item.slug)).not.toContain('ollama-vs-lm-studio');
  });

  it('stops the email of someone who unsubscribes mid-send before their batch is formed', async () => {
    const emails = await addReaders(db, 250);
    const last = emails.at(-1) ?? '';
    const real = createOutboxTransport(outbox);
    let calls = 0;
    const transport: Transport = {
      kind: 'outbox',
      async sendBatch(messages, key) {
        calls++;
        if (calls === 1) {
          const subscriber = await findSubscriberByKey(db, last);
          await setSubscriberStatus(db, subscriber?.id ?? 0, 'unsubscribed', AFTER_W47);
        }
        return real.sendBatch(messages, key);
      },
    };
    const report = await sendEdition(sendDeps(db, transport), '2026-W47');
    const counts = await outboxCounts(outbox);
    expect(counts.get(last)).toBeUndefined();
    expect(counts.size).toBe(249);
    expect(report.counts?.byReason).toEqual({ 'skipped: unsubscribed during send': 1 });
    expect(calls).toBe(4);
  });

  /** How many batches the ledger holds, or how many of one status. */
  const batchCount = async (status?: BatchRow['status']) => {
    const query = db.selectFrom('batches').select((eb) => eb.fn.countAll<number>().as('n'));
    const { n } = await (status ? query.where('status', '=', status) : query).executeTakeFirstOrThrow();
    return Number(n);
  };

  it('forms the next batch only once the current request has left, so no formation holds the database on its way out', async () => {
    await addReaders(db, 250);
    const real = createOutboxTransport(outbox);
    const formedBeforeLeaving: number[] = [];
    const transport: Transport = {
      kind: 'outbox',
      async sendBatch(messages, key, onSent) {
        formedBeforeLeaving.push(await batchCount());
        onSent?.();
        return real.sendBatch(messages, key);
      },
    };
    const report = await sendEdition(sendDeps(db, transport), '2026-W47');
    expect(report.outcome).toBe('sent');
    expect(formedBeforeLeaving).toEqual([1, 2, 3, 4]);
  });

  it('records each accepted batch while the next request is on the wire, and none is left unrecorded when the run stops', async () => {
    await addReaders(db, 250);
    const real = createOutboxTransport(outbox);
    const recordedBeforeLeaving: number[] = [];
    let calls = 0;
    const transport: Transport = {
      kind: 'outbox',
      async sendBatch(messages, key, onSent) {
        recordedBeforeLeaving.push(await batchCount('sent'));
        onSent?.();
        calls += 1;
        if (calls === 3) return { status: 'halt', reason: 'daily_quota_exceeded (429): quota' };
        return real.sendBatch(messages, key);
      },
    };
    const report = await sendEdition(sendDeps(db, transport), '2026-W47');
    expect(report.outcome).toBe('halted');
    // The first batch is written while the second is out, the second while the third is; the run stops on
    // the third's answer with both written.
    expect(recordedBeforeLeaving).toEqual([0, 0, 1]);
    // Copies of the sample week, with their vote links, go 78 to a request (MAX_BATCH_CHARACTERS): 78 + 78
    // sent, 94 left batched.
    expect(report.counts?.byStatus).toEqual({ sent: 156, batched: 94 });
  });

  it('sends each subscriber the comparisons of the categories they follow', async () => {
    await addSubscribers({ db, clock: fixedClock(AFTER_W47) }, ['coder@example.com'], {
      status: 'active',
      categories: ['Coding Agents'],
    });
    await addReaders(db, 1);
    await sendEdition(sendDeps(db, createOutboxTransport(outbox)), '2026-W47');
    const subjects = new Map<string, string>();
    for (const name of await listOutbox(outbox)) {
      const parsed = await simpleParser(readFileSync(join(outbox, name)));
      subjects.set(name.split('--')[0] ?? '', `${parsed.subject} | ${parsed.text}`);
    }
    const coder = [...subjects.entries()].find(([name]) => name.startsWith('coder'))?.[1] ?? '';
    const reader = [...subjects.entries()].find(([name]) => name.startsWith('reader'))?.[1] ?? '';
    // Each variant's subject and masthead count its own comparisons.
    expect(coder).toContain('Claude Code vs Aider, and 1 more verdict |');
    expect(coder).toContain('2 new comparisons');
    expect(coder).not.toContain('Hugging Face Inference Providers Hub');
    expect(reader).toContain('Claude Code vs Aider, and 2 more verdicts |');
    expect(reader).toContain('3 new comparisons');
    expect(reader).toContain('Hugging Face Inference Providers Hub');
  });

  it('lets only one of two concurrent sends of a week deliver', async () => {
    await addReaders(db, 120);
    const deps = sendDeps(db, createOutboxTransport(outbox));
    const [first, second] = await Promise.all([
      sendEdition({ ...deps, holder: 'one' }, '2026-W47'),
      sendEdition({ ...deps, holder: 'two' }, '2026-W47'),
    ]);
    expect([first.outcome, second.outcome].sort()).toEqual(['locked', 'sent']);
    expect([first, second].find((report) => report.outcome === 'locked')?.message).toMatch(
      /being sent by another process/,
    );
    expect([...(await outboxCounts(outbox)).values()].every((count) => count === 1)).toBe(true);
    expect((await outboxCounts(outbox)).size).toBe(120);
  });

  it('sends a recipient alone after a refused batch, failing only the bad address with the provider message', async () => {
    await addReaders(db, 5);
    const real = createOutboxTransport(outbox);
    const transport: Transport = {
      kind: 'outbox',
      async sendBatch(messages, key) {
        if (messages.some((message) => message.to === 'reader-0003@example.com')) {
          return { status: 'rejected', reason: 'validation_error (422): Invalid `to` field.' };
        }
        return real.sendBatch(messages, key);
      },
    };
    const report = await sendEdition(sendDeps(db, transport), '2026-W47');
    expect(report.counts?.byStatus).toEqual({ sent: 4, failed: 1 });
    expect(report.counts?.byReason).toEqual({ 'failed: validation_error (422): Invalid `to` field.': 1 });
    expect((await outboxCounts(outbox)).size).toBe(4);
  });

  it('stops without failing anyone when the provider refuses all sending, and resumes later', async () => {
    await addReaders(db, 3);
    let refuse = true;
    const real = createOutboxTransport(outbox);
    const transport: Transport = {
      kind: 'resend',
      sendBatch: async (messages, key) =>
        refuse
          ? { status: 'halt', reason: 'invalid_api_key (403): API key is invalid' }
          : real.sendBatch(messages, key),
    };
    const halted = await sendEdition(sendDeps(db, transport), '2026-W47');
    expect(halted).toMatchObject({ outcome: 'halted', counts: { byStatus: { batched: 3 } } });
    refuse = false;
    const resumed = await sendEdition(sendDeps(db, transport), '2026-W47');
    expect(resumed).toMatchObject({ outcome: 'sent', counts: { byStatus: { sent: 3 } } });
  });

  it('retries an unconfirmed batch with the same key and bytes', async () => {
    await addReaders(db, 2);
    const seen: { key: string; body: string }[] = [];
    const real = createOutboxTransport(outbox);
    const transport: Transport = {
      kind: 'resend',
      async sendBatch(messages, key) {
        seen.push({ key, body: JSON.stringify(messages) });
        return seen.length < 3 ? { status: 'retryable', reason: 'network' } : real.sendBatch(messages, key);
      },
    };
    const report = await sendEdition(sendDeps(db, transport), '2026-W47');
    expect(report.outcome).toBe('sent');
    expect(seen).toHaveLength(3);
    expect(new Set(seen.map((attempt) => attempt.key)).size).toBe(1);
    expect(new Set(seen.map((attempt) => attempt.body)).size).toBe(1);
    const edition = await findEdition(db, '2026-W47');
    expect(await countDeliveries(db, edition?.id ?? 0)).toMatchObject({ byStatus: { sent: 2 } });
  });
});
