// Provider faults: the real Resend transport against the test server injecting 500s, 429s and answers
// that arrive after the client gave up although the emails were accepted. Nobody may get the week twice.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/adapters/database.js';
import { createResendTransport } from '../../src/adapters/resend-transport.js';
import { sendEdition } from '../../src/services/send-edition.js';
import { testDatabase } from '../support/db.js';
import { type ResendServer, startResendServer } from '../support/resend-server.js';
import { addReaders, importSamples, sendDeps } from '../support/sending.js';

describe('sendEdition under provider faults', () => {
  let db: Db;
  let server: ResendServer;
  beforeEach(async () => {
    db = await testDatabase();
    server = await startResendServer({ keepBodies: false, seed: 2026 });
    await importSamples(db);
  });
  afterEach(async () => {
    await server.close();
    await db.destroy();
  });

  it('completes with zero duplicates through 20% 500s, 10% 429s and 5% slow answers after acceptance', async () => {
    const emails = await addReaders(db, 1200);
    server.configure({ failRate: 0.2, throttleRate: 0.1, slowRate: 0.05, slowMs: 300 });
    const transport = createResendTransport({
      apiKey: server.options.apiKey,
      baseUrl: server.url,
      timeoutMs: 150,
    });
    const report = await sendEdition(sendDeps(db, transport, { maxAttempts: 40 }), '2026-W47');
    expect(report).toMatchObject({ outcome: 'sent', counts: { byStatus: { sent: 1200 } } });
    const stats = server.stats();
    // The faults really happened.
    expect(stats.byStatus['500']).toBeGreaterThan(0);
    expect(stats.rateLimited).toBeGreaterThan(0);
    expect(server.duplicates()).toEqual([]);
    const counts = server.countsByRecipient('2026-W47');
    expect(counts.size).toBe(emails.length);
    // Every delivery row carries the id Resend gave it.
    const ids = await db.selectFrom('deliveries').select('provider_message_id').execute();
    expect(new Set(ids.map((row) => row.provider_message_id)).size).toBe(1200);
    expect(new Set(server.accepted().map((email) => email.id))).toEqual(
      new Set(ids.map((row) => row.provider_message_id)),
    );
  });

  it('marks only the refused recipient failed, with the provider message, and sends the rest', async () => {
    await addReaders(db, 150);
    server.configure({ rejectRecipients: new Set(['reader-0042@example.com']) });
    const transport = createResendTransport({ apiKey: server.options.apiKey, baseUrl: server.url });
    const report = await sendEdition(sendDeps(db, transport), '2026-W47');
    expect(report.counts?.byStatus).toEqual({ sent: 149, failed: 1 });
    expect(Object.keys(report.counts?.byReason ?? {})).toEqual([
      expect.stringMatching(
        /^failed: validation_error \(422\): Invalid `to` field.*reader-0042@example.com$/,
      ),
    ]);
    expect(server.countsByRecipient('2026-W47').size).toBe(149);
  });
});
