// The public pages as a crawler and a reader find them: the home page and the archive with each edition's
// dates, robots.txt, and the links from each web version to the previous and next editions.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/adapters/database.js';
import { silentLogger } from '../../src/adapters/logger.js';
import { createOutboxTransport } from '../../src/adapters/outbox-transport.js';
import { fixedClock } from '../../src/domain/clock.js';
import { sendEdition } from '../../src/services/send-edition.js';
import { addSubscribers } from '../../src/services/subscribers.js';
import { createApp } from '../../src/web/app.js';
import { scratchDir } from '../support/cli.js';
import { testDatabase } from '../support/db.js';
import { AFTER_W47, importSamples, sendDeps, testConfig } from '../support/sending.js';
import { markWeekSent } from '../support/sent-weeks.js';

describe('the public pages', () => {
  let db: Db;
  const clock = fixedClock(AFTER_W47);
  const outbox = () => createOutboxTransport(join(scratchDir(), 'outbox'), clock);
  /** A web server process as it starts: nothing in memory yet. */
  const freshApp = () =>
    createApp({ db, clock, config: testConfig(), transport: outbox(), log: silentLogger });
  const text = async (path: string, app = freshApp()) => (await app.request(path)).text();

  beforeEach(async () => {
    db = await testDatabase();
    await importSamples(db);
    await addSubscribers({ db, clock }, ['reader@example.com'], { status: 'active', categories: [] });
  });
  afterEach(async () => {
    await db.destroy();
  });

  describe('home page and archive', () => {
    it('describes the home page to search engines, with its language, title and canonical address', async () => {
      const html = await text('/');
      expect(html).toMatch(/^<!DOCTYPE html><html lang="en">/);
      expect(html).toContain('<title>Subscribe · Weekly AI Tool Verdicts</title>');
      expect(html).toMatch(
        /<meta name="description" content="One email a week: new comparisons of AI tools[^"]+"\/>/,
      );
      expect(html).toContain('<link rel="canonical" href="https://news.verdicts.test/"/>');
      const archive = await text('/editions');
      expect(archive).toMatch(
        /<meta name="description" content="Every edition of Weekly AI Tool Verdicts[^"]+"\/>/,
      );
      expect(archive).toContain('<link rel="canonical" href="https://news.verdicts.test/editions"/>');
    });

    it('lists each edition with its week in words and the day it was sent, on both pages', async () => {
      await sendEdition(sendDeps(db, outbox()), '2026-W47');
      await markWeekSent(db, '2026-W01', new Date('2027-01-05T07:00:00Z'), 'The first verdicts of 2026');
      for (const path of ['/', '/editions']) {
        const html = await text(path);
        expect(html).toContain(
          '<a href="/editions/2026-W47">Claude Code vs Aider, and 2 more verdicts</a><span class="muted">16–22 November 2026 · sent <time dateTime="2026-11-25T10:00:00.000Z">25 November 2026</time></span>',
        );
        // A week across two years, sent late: its own dates, and the day it went out.
        expect(html).toContain(
          '29 December 2025 – 4 January 2026 · sent <time dateTime="2027-01-05T07:00:00.000Z">5 January 2027</time>',
        );
        // Newest week first.
        expect(html.indexOf('/editions/2026-W47')).toBeLessThan(html.indexOf('/editions/2026-W01'));
      }
    });

    it('never puts a control character stored before imports refused them into a page', async () => {
      // PostgreSQL's text cannot hold a NUL at all; SQLite's can, and an older database may.
      const nul = process.env.DIGEST_TEST_ENGINE === 'postgres' ? '\u0002' : '\u0000';
      await db
        .updateTable('tools')
        .set({ category: `AI${nul}Coding\u001b[31m` })
        .execute();
      await sendEdition(sendDeps(db, outbox()), '2026-W47');
      await db.updateTable('editions').set({ subject: 'Verdicts\u0001 of the week' }).execute();
      for (const path of ['/', '/editions', '/editions/2026-W47']) {
        const html = await text(path);
        // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for.
        expect(html).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/);
      }
      expect(await text('/')).toContain('AI\uFFFDCoding\uFFFD[31m');
      expect(await text('/editions')).toContain('Verdicts\uFFFD of the week');
    });
  });

  describe('robots.txt', () => {
    it('lets crawlers read the public pages, keeps them out of personal links and the console, and names the feed', async () => {
      const response = await freshApp().request('/robots.txt');
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain; ?charset=UTF-8$/);
      const lines = (await response.text()).split('\n');
      expect(lines).toEqual([
        'User-agent: *',
        'Allow: /',
        'Disallow: /admin',
        'Disallow: /confirm',
        'Disallow: /unsubscribe',
        'Disallow: /preferences',
        'Disallow: /resubscribe',
        'Disallow: /vote',
        'Disallow: /webhooks',
        '',
        'Sitemap: https://news.verdicts.test/feed.xml',
        '',
      ]);
    });
  });

  describe('links between web versions', () => {
    const navigation = (html: string) => /<nav aria-label="Other editions"[^>]*>(.*?)<\/nav>/.exec(html)?.[1];
    const links = (html: string) =>
      [...(navigation(html) ?? '').matchAll(/<a href="([^"]+)" rel="(prev|next)"/g)].map(
        ([, href, rel]) => `${rel} ${href}`,
      );

    beforeEach(async () => {
      await sendEdition(sendDeps(db, outbox()), '2026-W47');
      await markWeekSent(db, '2026-W45', new Date('2026-11-11T10:00:00Z'));
      await markWeekSent(db, '2026-W49', new Date('2026-12-09T10:00:00Z'));
      // Neither an edition that was skipped nor one still sending is linked.
      await db
        .updateTable('editions')
        .set({ status: 'skipped' })
        .where('id', '=', (await markWeekSent(db, '2026-W46', new Date('2026-11-18T10:00:00Z'))).id)
        .execute();
    });

    it('links the previous and the next sent edition from one in the middle, after its cards', async () => {
      const html = await text('/editions/2026-W47');
      expect(links(html)).toEqual(['prev /editions/2026-W45', 'next /editions/2026-W49']);
      expect(navigation(html)).toContain('← Previous edition</span>2–8 November 2026');
      expect(navigation(html)).toContain('Next edition →</span>30 November – 6 December 2026');
      expect(html.lastIndexOf('>Read the full comparison<')).toBeLessThan(
        html.indexOf('aria-label="Other editions"'),
      );
      expect(html.indexOf('aria-label="Other editions"')).toBeLessThan(
        html.indexOf('<section id="subscribe"'),
      );
    });

    it('links only the next edition from the first and only the previous one from the last', async () => {
      expect(links(await text('/editions/2026-W45'))).toEqual(['next /editions/2026-W47']);
      expect(links(await text('/editions/2026-W49'))).toEqual(['prev /editions/2026-W47']);
    });

    it('has no links on the only edition', async () => {
      await db.deleteFrom('editions').where('week_key', 'in', ['2026-W45', '2026-W49']).execute();
      expect(navigation(await text('/editions/2026-W47'))).toBeUndefined();
    });

    it('links an edition sent after the page was stored, and changes the ETag when it does', async () => {
      await db.deleteFrom('editions').where('week_key', '=', '2026-W49').execute();
      const app = freshApp();
      const first = await app.request('/editions/2026-W47');
      const etag = first.headers.get('etag') ?? '';
      expect(links(await first.text())).toEqual(['prev /editions/2026-W45']);
      expect((await app.request('/editions/2026-W47', { headers: { 'if-none-match': etag } })).status).toBe(
        304,
      );
      await markWeekSent(db, '2026-W48', new Date('2026-12-02T10:00:00Z'));
      const later = await app.request('/editions/2026-W47', { headers: { 'if-none-match': etag } });
      expect(later.status).toBe(200);
      expect(later.headers.get('etag')).not.toBe(etag);
      expect(later.headers.get('etag')).toMatch(/^"[A-Za-z0-9_-]{32}"$/);
      expect(links(await later.text())).toEqual(['prev /editions/2026-W45', 'next /editions/2026-W48']);
      // What is stored is the page as rendered: the links are put in as it is served.
      const stored = await db.selectFrom('web_versions').select('html').executeTakeFirstOrThrow();
      expect(stored.html).not.toContain('aria-label="Other editions"');
    });

    it('puts the links into a page stored by an earlier version of the template too', async () => {
      await freshApp().request('/editions/2026-W47');
      await db
        .updateTable('web_versions')
        .set({ html: '<html><body><main><p>as published</p></main></body></html>', etag: '"published"' })
        .execute();
      const html = await text('/editions/2026-W47');
      expect(html).toMatch(/^<html><body><main><p>as published<\/p><nav aria-label="Other editions"/);
      expect(links(html)).toEqual(['prev /editions/2026-W45', 'next /editions/2026-W49']);
    });
  });
});
