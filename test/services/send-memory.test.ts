// What bounds a send's memory (docs/delivery.md, Batches): bodies kept in pieces until they go on the wire, and
// requests bounded in size whatever the size of the digest; neither changes what is sent.
import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/adapters/database.js';
import type { EmailMessage, Transport } from '../../src/adapters/transport.js';
import { fixedClock } from '../../src/domain/clock.js';
import { recipientLinks } from '../../src/domain/digest-message.js';
import { joinPieces, jsonStringBytes } from '../../src/domain/email-message.js';
import { createDigestRenderer, renderDigestContent } from '../../src/services/digest-renderer.js';
import type { ContentRenderer } from '../../src/services/freeze-edition.js';
import { importComparisons } from '../../src/services/import-comparisons.js';
import { personalisedPieces } from '../../src/services/personalise.js';
import { MAX_BATCH_CHARACTERS, payloadHash, sendEdition } from '../../src/services/send-edition.js';
import { addSubscribers } from '../../src/services/subscribers.js';
import { scratchDir } from '../support/cli.js';
import { testDatabase } from '../support/db.js';
import {
  AFTER_W47,
  addReaders,
  comparisonsDir,
  importSamples,
  sendDeps,
  testConfig,
} from '../support/sending.js';

/** A provider that accepts everything and keeps what each request carried. */
function recordingTransport(): Transport & { requests: EmailMessage[][] } {
  const requests: EmailMessage[][] = [];
  return {
    kind: 'resend',
    requests,
    async sendBatch(messages) {
      requests.push([...messages]);
      return { status: 'accepted', ids: messages.map((_, index) => `id-${requests.length}-${index}`) };
    },
  };
}

const characters = (messages: readonly EmailMessage[]) =>
  messages.reduce((sum, message) => sum + message.html.length + message.text.length, 0);

describe('request size', () => {
  let db: Db;
  beforeEach(async () => {
    db = await testDatabase();
  });
  afterEach(async () => {
    await db.destroy();
  });

  it('sends a large digest in requests under MAX_BATCH_CHARACTERS, to every reader once', async () => {
    // Twelve long comparisons in 2026-W47: each copy far over the 30,000 characters that fit 100 to a request.
    const seed = JSON.parse(
      readFileSync(join(comparisonsDir, '2026-w47-claude-code-vs-aider.json'), 'utf8'),
    ) as Record<string, unknown>;
    const dir = scratchDir();
    const documents = Array.from({ length: 12 }, (_, index) => ({
      ...seed,
      slug: `long-${index}`,
      title: `Long comparison ${index}`,
      publishedAt: '2026-11-18T12:00:00Z',
    }));
    writeFileSync(join(dir, 'long.json'), JSON.stringify(documents));
    const imported = await importComparisons({ db, clock: fixedClock(new Date('2026-11-20T00:00:00Z')) }, [
      dir,
    ]);
    expect(imported.ok).toBe(true);
    const readers = await addReaders(db, 150);
    const transport = recordingTransport();

    const report = await sendEdition(sendDeps(db, transport), '2026-W47');

    expect(report.outcome).toBe('sent');
    const sizes = transport.requests.map((request) => request.length);
    expect(Math.max(...sizes)).toBeLessThan(100);
    for (const request of transport.requests)
      expect(characters(request)).toBeLessThanOrEqual(MAX_BATCH_CHARACTERS);
    const recipients = transport.requests.flat().map((message) => message.to);
    expect(recipients.sort()).toEqual([...readers].sort());
  });

  it('still sends copies of up to 30,000 characters 100 to a request', async () => {
    // Two comparisons make copies of under 30,000 characters; the three of 2026-W47 about 35,000.
    const two = scratchDir();
    for (const file of ['2026-w47-claude-code-vs-aider.json', '2026-w47-cursor-vs-windsurf.json'])
      copyFileSync(join(comparisonsDir, file), join(two, file));
    await importComparisons({ db, clock: fixedClock(new Date('2026-11-20T00:00:00Z')) }, [two]);
    await addReaders(db, 250);
    const transport = recordingTransport();
    await sendEdition(sendDeps(db, transport), '2026-W47');
    const copy = transport.requests[0]?.[0];
    expect(copy && copy.html.length + copy.text.length).toBeLessThan(30_000);
    expect(transport.requests.map((request) => request.length)).toEqual([100, 100, 50]);
  });
});

describe('rendering and sending', () => {
  it('releases the renderer (the render thread) once every variant is rendered, before the first request', async () => {
    const db = await testDatabase();
    try {
      await importSamples(db);
      await addReaders(db, 150);
      await addSubscribers({ db, clock: fixedClock(AFTER_W47) }, ['coder@example.com'], {
        status: 'active',
        categories: ['Coding Agents'],
      });
      const events: string[] = [];
      const rendering = createDigestRenderer(testConfig());
      const renderer: ContentRenderer = {
        render: (input) => {
          events.push('render');
          return rendering.render(input);
        },
        release: async () => {
          events.push('release');
        },
      };
      const transport: Transport = {
        kind: 'resend',
        async sendBatch(messages) {
          events.push('send');
          return { status: 'accepted', ids: messages.map((_, index) => `id-${events.length}-${index}`) };
        },
      };
      expect((await sendEdition(sendDeps(db, transport, { renderer }), '2026-W47')).outcome).toBe('sent');
      // Two variants (everything, and the Coding reader's), then the release, then every request.
      expect(events).toEqual(['render', 'render', 'release', 'send', 'send']);
    } finally {
      await db.destroy();
    }
  });
});

describe('a copy in pieces', () => {
  const config = testConfig();
  const variant = () =>
    renderDigestContent(config, {
      weekKey: '2026-W47',
      weekLabel: '16–22 November 2026',
      subject: 'S',
      comparisons: [],
      followedCategories: [],
    });

  it('has escaped pieces that join to the JSON of the whole copy, with placeholders or without', async () => {
    const content = await variant();
    for (const each of [content, { ...content, placeholders: {} }]) {
      const pieces = personalisedPieces(each, recipientLinks(config.publicUrl, 'token-1', '2026-W47'));
      expect(Buffer.concat(pieces.json.html)).toEqual(jsonStringBytes(joinPieces(pieces.html)));
      expect(Buffer.concat(pieces.json.text)).toEqual(jsonStringBytes(joinPieces(pieces.text)));
    }
  });

  /** The payload hash as the first release computed it (commit 21a01c8): its batches must still match. */
  const firstReleaseHash = (messages: readonly Omit<EmailMessage, 'json'>[]) => {
    const hash = createHash('sha256');
    const field = (value: string) => hash.update(`${value.length}:`).update(value);
    for (const message of messages) {
      for (const value of [message.from, message.to, message.subject, message.html, message.text])
        field(value);
      for (const [name, value] of Object.entries(message.headers)) field(`${name}: ${value}`);
      for (const tag of message.tags) field(`${tag.name}=${tag.value}`);
    }
    return hash.digest('hex');
  };

  it('hashes as the first release did, from pieces or the whole body, so batches formed either way resume', async () => {
    const content = await variant();
    const envelope = {
      from: config.from,
      to: 'a@example.com',
      subject: 'S',
      headers: { 'List-Id': 'x', 'List-Unsubscribe': '<https://news.verdicts.test/u/x>' },
      tags: [{ name: 'edition', value: '2026-W47' }],
    };
    // Characters of one, two, three and four bytes in UTF-8, in the variant's pieces and in a link.
    const wide = (body: string) => `${body}<p>é “quoted” 🙂</p>`;
    const links = recipientLinks(config.publicUrl, 'tök-1', '2026-W47');
    for (const each of [content, { ...content, html: wide(content.html), text: wide(content.text) }]) {
      const pieces = personalisedPieces(each, links);
      expect(pieces.html.length).toBeGreaterThan(1);
      expect(pieces.utf8.html.some((piece) => piece instanceof Uint8Array)).toBe(true);
      const whole = { ...envelope, html: joinPieces(pieces.html), text: joinPieces(pieces.text) };
      const expected = firstReleaseHash([whole, { ...whole, to: 'b@example.com' }]);
      expect(
        payloadHash([
          { ...envelope, ...pieces },
          { ...envelope, ...pieces, to: 'b@example.com' },
        ]),
      ).toBe(expected);
      expect(payloadHash([whole, { ...whole, to: 'b@example.com' }])).toBe(expected);
    }
  });
});
