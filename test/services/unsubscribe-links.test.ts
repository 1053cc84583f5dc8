// Unsubscribe attribution must not break exactly-once: a batch formed by the first release (its stored
// envelope has no `editionInLinks`) is rebuilt with the links it had, byte for byte, on resume.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/adapters/database.js';
import type { EmailMessage, Transport } from '../../src/adapters/transport.js';
import { digestMessage, type Envelope, recipientLinks } from '../../src/domain/digest-message.js';
import { jsonStringBytes } from '../../src/domain/email-message.js';
import { personalise } from '../../src/services/personalise.js';
import { payloadHash, sendEdition } from '../../src/services/send-edition.js';
import { testDatabase } from '../support/db.js';
import { addReaders, importSamples, sendDeps, testConfig } from '../support/sending.js';

const WEEK = '2026-W47';

/** Halts on its first call (nothing sent), then accepts and records every message. */
function haltOnce(): Transport & { sent: EmailMessage[][] } {
  let calls = 0;
  const sent: EmailMessage[][] = [];
  return {
    kind: 'outbox',
    sent,
    sendBatch: async (messages) => {
      calls++;
      if (calls === 1) return { status: 'halt', reason: 'daily_quota_exceeded (429): quota' };
      sent.push([...messages]);
      return { status: 'accepted', ids: messages.map((_, index) => `em-${calls}-${index}`) };
    },
  };
}

describe('unsubscribe links that name the edition', () => {
  let db: Db;
  beforeEach(async () => {
    db = await testDatabase();
    await importSamples(db);
    await addReaders(db, 250);
  });
  afterEach(async () => {
    await db.destroy();
  });

  it('rebuilds a batch formed by the first release with its old links, and gives new batches the edition', async () => {
    const transport = haltOnce();
    expect((await sendEdition(sendDeps(db, transport), WEEK)).outcome).toBe('halted');
    const first = await db.selectFrom('batches').selectAll().orderBy('id').executeTakeFirstOrThrow();
    // Make the first batch what the first release stored: its envelope, and the hash of its links.
    const config = testConfig();
    const envelope: Envelope = { from: config.from, publicUrl: config.publicUrl, unsubscribeMailto: null };
    const recipients = await db
      .selectFrom('deliveries')
      .innerJoin('subscribers', 'subscribers.id', 'deliveries.subscriber_id')
      .innerJoin('edition_contents', 'edition_contents.id', 'deliveries.content_id')
      .select(['email', 'token', 'edition_contents.subject', 'html', 'text', 'placeholders'])
      .where('batch_id', '=', first.id)
      .orderBy('deliveries.id')
      .execute();
    const contents = new Map<string, Parameters<typeof personalise>[0]>();
    const oldMessages = recipients.map((recipient) => {
      // addReaders adds them as the team would, and the footer says so.
      const links = recipientLinks(envelope.publicUrl, recipient.token, undefined, 'added');
      let content = contents.get(recipient.html);
      if (!content) {
        content = { ...recipient, placeholders: JSON.parse(recipient.placeholders) };
        contents.set(recipient.html, content);
      }
      return digestMessage(
        envelope,
        recipient.email,
        links,
        { subject: recipient.subject, ...personalise(content, links) },
        WEEK,
      );
    });
    await db
      .updateTable('batches')
      .set({ envelope: JSON.stringify(envelope), payload_hash: payloadHash(oldMessages) })
      .where('id', '=', first.id)
      .execute();

    const report = await sendEdition(sendDeps(db, transport), WEEK);
    expect(report.outcome).toBe('sent');
    expect(report.counts?.byStatus).toEqual({ sent: 250 });
    const [resumed, ...later] = transport.sent;
    // The same messages as the first release's; the escaped pieces the wire is written from say the same.
    expect(resumed?.map(({ json: _, ...message }) => message)).toEqual(oldMessages);
    for (const message of resumed ?? []) {
      expect(Buffer.concat(message.json?.html ?? [])).toEqual(jsonStringBytes(message.html));
      expect(Buffer.concat(message.json?.text ?? [])).toEqual(jsonStringBytes(message.text));
      expect(message.headers['List-Unsubscribe']).toMatch(/\/unsubscribe\/[\w-]+>$/);
      expect(message.html).not.toContain('?e=');
    }
    expect(resumed?.length).toBeGreaterThan(0);
    expect(later.flat()).toHaveLength(250 - (resumed?.length ?? 0));
    for (const message of later.flat()) {
      expect(message.headers['List-Unsubscribe']).toMatch(/\/unsubscribe\/[\w-]+\?e=2026-W47>$/);
      expect(message.html).toMatch(/\/unsubscribe\/[\w-]+\?e=2026-W47"/);
      expect(message.html).toMatch(/\/preferences\/[\w-]+\?e=2026-W47"/);
    }
  });
});
