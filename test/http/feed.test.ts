// /feed.xml as feed readers and validators expect it: well-formed XML whatever was imported, announcing
// its own address and when it last changed, and answering 304 to a reader that polls with its validators.
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/adapters/database.js';
import { silentLogger } from '../../src/adapters/logger.js';
import { createOutboxTransport } from '../../src/adapters/outbox-transport.js';
import { fixedClock } from '../../src/domain/clock.js';
import { sendEdition } from '../../src/services/send-edition.js';
import { addSubscribers } from '../../src/services/subscribers.js';
import { createApp } from '../../src/web/app.js';
import { rssFeed } from '../../src/web/public/feed.js';
import { launchChromium } from '../support/browser.js';
import { scratchDir } from '../support/cli.js';
import { testDatabase } from '../support/db.js';
import { AFTER_W47, importSamples, sendDeps, testConfig } from '../support/sending.js';
import { markWeekSent } from '../support/sent-weeks.js';

describe('GET /feed.xml', () => {
  let db: Db;
  const clock = fixedClock(AFTER_W47);
  const outbox = () => createOutboxTransport(join(scratchDir(), 'outbox'), clock);
  const freshApp = () =>
    createApp({ db, clock, config: testConfig(), transport: outbox(), log: silentLogger });

  beforeEach(async () => {
    db = await testDatabase();
    await importSamples(db);
    await addSubscribers({ db, clock }, ['reader@example.com'], { status: 'active', categories: [] });
    await sendEdition(sendDeps(db, outbox()), '2026-W47');
  });
  afterEach(async () => {
    await db.destroy();
  });

  it('names its own address with atom:link rel="self" and when it last changed with lastBuildDate', async () => {
    // An older week sent later than W47: the feed last changed when that one went out.
    await markWeekSent(db, '2026-W45', new Date('2026-11-26T08:15:30Z'));
    const xml = await (await freshApp().request('/feed.xml')).text();
    expect(xml).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<rss version="2.0" xmlns:atom="http:\/\/www.w3.org\/2005\/Atom"><channel>/,
    );
    expect(xml).toContain(
      '<atom:link href="https://news.verdicts.test/feed.xml" rel="self" type="application/rss+xml"/>',
    );
    expect(xml).toContain('<lastBuildDate>Thu, 26 Nov 2026 08:15:30 GMT</lastBuildDate>');
  });

  it('has ETag, Last-Modified and Cache-Control, and answers 304 to either validator', async () => {
    const app = freshApp();
    const first = await app.request('/feed.xml');
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag') ?? '';
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{32}"$/);
    expect(first.headers.get('last-modified')).toBe('Wed, 25 Nov 2026 10:00:00 GMT');
    expect(first.headers.get('cache-control')).toBe('public, max-age=900');

    for (const headers of <Record<string, string>[]>[
      { 'if-none-match': etag },
      { 'if-none-match': `W/${etag}` },
      { 'if-modified-since': 'Wed, 25 Nov 2026 10:00:00 GMT' },
    ]) {
      const again = await app.request('/feed.xml', { headers });
      expect(again.status).toBe(304);
      expect(await again.text()).toBe('');
      expect(again.headers.get('etag')).toBe(etag);
      expect(again.headers.get('last-modified')).toBe('Wed, 25 Nov 2026 10:00:00 GMT');
    }
    // A process that starts afresh (another instance behind the load balancer) has the same validators.
    expect((await freshApp().request('/feed.xml')).headers.get('etag')).toBe(etag);
    const older = await app.request('/feed.xml', {
      headers: { 'if-modified-since': 'Wed, 25 Nov 2026 09:59:59 GMT' },
    });
    expect(older.status).toBe(200);
    // A new edition changes both.
    await markWeekSent(db, '2026-W48', new Date('2026-12-02T10:00:00Z'));
    const changed = await app.request('/feed.xml', { headers: { 'if-none-match': etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect(changed.headers.get('last-modified')).toBe('Wed, 02 Dec 2026 10:00:00 GMT');
    expect((await changed.text()).match(/<item>/g)).toHaveLength(2);
  });

  it('has no Last-Modified and no lastBuildDate while no edition has gone out', async () => {
    const empty = await testDatabase();
    const app = createApp({ db: empty, clock, config: testConfig(), transport: outbox(), log: silentLogger });
    const response = await app.request('/feed.xml');
    await empty.destroy();
    expect(response.headers.get('last-modified')).toBeNull();
    expect(response.headers.get('etag')).toMatch(/^"/);
    expect(await response.text()).not.toContain('lastBuildDate');
  });

  // The document's shape does not depend on the engine: the browser runs once, on SQLite.
  describe.skipIf(process.env.DIGEST_TEST_ENGINE === 'postgres')(
    'is well-formed XML whatever was imported',
    () => {
      let browser: Browser;
      beforeAll(async () => {
        browser = await launchChromium();
      });
      afterAll(async () => {
        await browser?.close();
      });

      /** Chromium's XML parser (the one feed readers built on the web platform use): its error, or null. */
      async function xmlError(xml: string): Promise<string | null> {
        const page = await browser.newPage();
        try {
          return await page.evaluate((text) => {
            const parsed = new DOMParser().parseFromString(text, 'application/xml');
            return parsed.querySelector('parsererror')?.textContent ?? null;
          }, xml);
        } finally {
          await page.close();
        }
      }

      it('notices an ill-formed feed (the parser is strict)', async () => {
        expect(await xmlError('<rss><channel><title>a\u0001b</title></channel></rss>')).toMatch(/error/i);
        expect(await xmlError('<rss><channel><title>a&#1;b</title></channel></rss>')).toMatch(/error/i);
        expect(await xmlError('<rss><channel><title>ab</title></channel></rss>')).toBeNull();
      });

      it('parses with control characters in an edition subject, a comparison title and a category', async () => {
        await db
          .updateTable('editions')
          .set({ subject: 'Verdicts\u0001 of\u001b[2J the week\u0000' })
          .execute();
        const items = await db
          .selectFrom('edition_items')
          .select(['edition_id', 'comparison_id', 'snapshot'])
          .execute();
        for (const item of items) {
          const snapshot = JSON.parse(item.snapshot);
          snapshot.title = `${snapshot.title}\u0007\u000b\u009b`;
          snapshot.tools[0].category = 'AI\u0000Coding';
          await db
            .updateTable('edition_items')
            .set({ snapshot: JSON.stringify(snapshot) })
            .where('edition_id', '=', item.edition_id)
            .where('comparison_id', '=', item.comparison_id)
            .execute();
        }
        const xml = await (await freshApp().request('/feed.xml')).text();
        expect(await xmlError(xml)).toBeNull();
        expect(xml).toContain('<title>Verdicts\uFFFD of\uFFFD[2J the week\uFFFD</title>');
        // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for.
        expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/);
      });

      it('parses with lone surrogates and U+FFFF (the writer cleans every field)', async () => {
        const xml = rssFeed(
          {
            title: 'T\ud800',
            link: 'https://news.verdicts.test/',
            description: 'D\uffff',
            self: 'https://news.verdicts.test/feed.xml',
          },
          [
            {
              title: 'a\udfffb',
              link: 'https://x.test/\u0001',
              published: AFTER_W47,
              description: '<p>\u0002</p>',
            },
          ],
        );
        // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for.
        expect(xml).not.toMatch(/[\ud800-\udfff\uffff\u0001\u0002]/);
        expect(await xmlError(xml)).toBeNull();
      });
    },
  );
});
