import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type BackgroundTasks, createBackgroundTasks } from '../../src/adapters/background-tasks.js';
import type { Db } from '../../src/adapters/database.js';
import { silentLogger } from '../../src/adapters/logger.js';
import { createOutboxTransport, listOutbox } from '../../src/adapters/outbox-transport.js';
import { findSubscriberByKey, listSubscribers } from '../../src/adapters/subscriber-repository.js';
import { fixedClock } from '../../src/domain/clock.js';
import { setNote } from '../../src/services/draft.js';
import { sendEdition } from '../../src/services/send-edition.js';
import { addSubscribers } from '../../src/services/subscribers.js';
import { createApp } from '../../src/web/app.js';
import { startServer } from '../../src/web/server.js';
import { scratchDir } from '../support/cli.js';
import { testDatabase } from '../support/db.js';
import { importSamples, sendDeps, testConfig } from '../support/sending.js';
import { svixHeaders, WEBHOOK_SECRET } from '../support/webhooks.js';

const SECRET = WEBHOOK_SECRET;
const sign = svixHeaders;
const start = new Date('2026-11-25T10:00:00Z');

async function readOutbox(dir: string) {
  return Promise.all(
    (await listOutbox(dir)).map(async (name) => simpleParser(readFileSync(join(dir, name)))),
  );
}

describe('web', () => {
  let db: Db;
  let outbox: string;
  let clock: ReturnType<typeof fixedClock>;
  let app: ReturnType<typeof createApp>;
  let tasks: BackgroundTasks;
  /** A request, then the work that follows its answer (sign-up emails run after the answer). */
  const request: typeof app.request = async (...args) => {
    const response = await app.request(...args);
    await tasks.drain();
    return response;
  };
  const config = testConfig({ RESEND_WEBHOOK_SECRET: SECRET });

  beforeEach(async () => {
    db = await testDatabase();
    await importSamples(db);
    outbox = join(scratchDir(), 'outbox');
    clock = fixedClock(start);
    tasks = createBackgroundTasks(silentLogger);
    app = createApp({
      db,
      clock,
      config,
      transport: createOutboxTransport(outbox, clock),
      log: silentLogger,
      tasks,
    });
  });
  afterEach(async () => {
    await db.destroy();
  });

  const form = (fields: Record<string, string | string[]>) => {
    const body = new URLSearchParams();
    for (const [key, value] of Object.entries(fields))
      for (const entry of [value].flat()) body.append(key, entry);
    return { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } };
  };
  const confirmLink = async (to: string) => {
    const mails = (await readOutbox(outbox)).filter(
      (mail) => mail.subject?.startsWith('Confirm') && mail.text?.includes('confirm?token='),
    );
    const recipient = (entry: (typeof mails)[number]) =>
      (entry.to && !Array.isArray(entry.to) ? entry.to.text : '').toLowerCase();
    const mail = mails.filter((entry) => recipient(entry) === to.toLowerCase()).at(-1);
    return /https?:\/\/\S+\/confirm\?token=[A-Za-z0-9_-]+/.exec(mail?.text ?? '')?.[0];
  };
  const pathOf = (url: string) => new URL(url).pathname + new URL(url).search;
  // Opening the link only shows the page; its form's POST (the token in the body) confirms.
  const confirmForm = (link: string) => form({ token: new URL(link).searchParams.get('token') ?? '' });

  describe('sign-up and double opt-in', () => {
    it('shows the form with the known categories', async () => {
      const page = await (await request('/')).text();
      expect(page).toContain('<form action="/subscribe" method="post">');
      expect(page).toContain('value="Coding Agents"');
      expect(page).toContain('<label for="email">');
    });

    it('creates a pending subscriber with consent evidence and sends a single-use link valid 72 hours', async () => {
      const response = await request('/subscribe', {
        ...form({ email: ' New.Reader@Example.com ', categories: ['Coding Agents', 'Not A Category'] }),
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'TestBrowser/1.0' },
      });
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('Check your inbox');
      const subscriber = await findSubscriberByKey(db, 'new.reader@example.com');
      expect(subscriber).toMatchObject({
        status: 'pending',
        categories: '["Coding Agents"]',
        consent_user_agent: 'TestBrowser/1.0',
        consent_form: 'signup',
        consent_at: start.toISOString(),
        source: 'form',
      });
      const link = await confirmLink('New.Reader@Example.com');
      expect(link).toBeDefined();
      const confirmed = await request('/confirm', confirmForm(link ?? ''));
      expect(confirmed.status).toBe(200);
      expect(await confirmed.text()).toContain('You&#x27;re subscribed');
      expect((await findSubscriberByKey(db, 'new.reader@example.com'))?.status).toBe('active');
      const welcome = (await readOutbox(outbox)).find(
        (mail) => mail.subject === 'Welcome to Weekly AI Tool Verdicts',
      );
      expect(welcome?.text).toContain('/preferences/');
      // Single use: a second confirmation sends nothing more and says where the reader stands.
      const again = await request('/confirm', confirmForm(link ?? ''));
      expect(again.status).toBe(200);
      expect(await again.text()).toContain('You&#x27;re subscribed');
      const welcomes = (await readOutbox(outbox)).filter((mail) => mail.subject?.startsWith('Welcome'));
      expect(welcomes).toHaveLength(1);
    });

    it('refuses an expired or forged confirmation link with status 400', async () => {
      await request('/subscribe', form({ email: 'late@example.com' }));
      const link = (await confirmLink('late@example.com')) ?? '';
      clock.advance(73 * 3_600_000);
      const expired = await request(pathOf(link));
      expect(expired.status).toBe(400);
      expect(await expired.text()).toContain('has expired');
      expect((await request('/confirm', confirmForm(link))).status).toBe(400);
      expect((await findSubscriberByKey(db, 'late@example.com'))?.status).toBe('pending');
      const forged = await request('/confirm?token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
      expect(forged.status).toBe(400);
      expect((await request('/confirm')).status).toBe(400);
    });

    it('answers the same whether or not the address is known, and sends nothing to an active one', async () => {
      await addSubscribers({ db, clock }, ['known@example.com'], { status: 'active', categories: [] });
      const known = await request('/subscribe', form({ email: 'known@example.com' }));
      const unknown = await request('/subscribe', form({ email: 'unknown@example.com' }));
      expect(known.status).toBe(unknown.status);
      expect(await known.text()).toBe(await unknown.text());
      const json = (email: string) =>
        request('/subscribe', {
          method: 'POST',
          body: JSON.stringify({ email }),
          headers: { 'content-type': 'application/json' },
        });
      expect(await (await json('known@example.com')).json()).toEqual(
        await (await json('other@example.com')).json(),
      );
      const recipients = (await readOutbox(outbox)).map((mail) =>
        mail.to && !Array.isArray(mail.to) ? mail.to.text : '',
      );
      expect(recipients).not.toContain('known@example.com');
      expect(recipients).toContain('unknown@example.com');
    });

    it('needs a new confirmation to bring back an unsubscribed address', async () => {
      await addSubscribers({ db, clock }, ['back@example.com'], { status: 'active', categories: [] });
      const subscriber = await findSubscriberByKey(db, 'back@example.com');
      await request(`/unsubscribe/${subscriber?.token}`, { method: 'POST' });
      await request('/subscribe', form({ email: 'back@example.com' }));
      // Whoever filled in the form may not be them: nothing changes until the link is confirmed.
      expect((await findSubscriberByKey(db, 'back@example.com'))?.status).toBe('unsubscribed');
      await request('/confirm', confirmForm((await confirmLink('back@example.com')) ?? ''));
      expect((await findSubscriberByKey(db, 'back@example.com'))?.status).toBe('active');
    });

    it('rejects an invalid address with the reason, as text', async () => {
      const response = await request('/subscribe', form({ email: '<script>alert(1)</script>' }));
      expect(response.status).toBe(400);
      const page = await response.text();
      expect(page).not.toContain('<script>alert(1)</script>');
      expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(await listSubscribers(db)).toEqual([]);
    });

    it('limits sign-ups per client', async () => {
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 7; attempt++) {
        statuses.push((await request('/subscribe', form({ email: `r${attempt}@example.com` }))).status);
      }
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
      const limited = await request('/subscribe', form({ email: 'x@example.com' }));
      expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
      clock.advance(10 * 60_000);
      expect((await request('/subscribe', form({ email: 'later@example.com' }))).status).toBe(200);
    });
  });

  describe('one-click unsubscribe (RFC 8058)', () => {
    let token: string;
    beforeEach(async () => {
      await addSubscribers({ db, clock }, ['ada@example.com'], { status: 'active', categories: [] });
      token = (await findSubscriberByKey(db, 'ada@example.com'))?.token ?? '';
    });
    const status = async () => (await findSubscriberByKey(db, 'ada@example.com'))?.status;

    it('never unsubscribes on GET; shows a button that posts', async () => {
      const page = await request(`/unsubscribe/${token}`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain(`<form action="/unsubscribe/${token}" method="post">`);
      await request(`/unsubscribe/${token}`, { method: 'HEAD' });
      expect(await status()).toBe('active');
    });

    it.each([
      [
        'urlencoded',
        {
          body: 'List-Unsubscribe=One-Click',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        },
      ],
      ['empty', {}],
    ])(
      'unsubscribes at once on POST with a %s body, 200 without redirect or cookie, idempotently',
      async (_kind, init) => {
        const first = await request(`/unsubscribe/${token}`, { method: 'POST', ...init });
        expect(first.status).toBe(200);
        expect(first.headers.get('location')).toBeNull();
        expect(first.headers.get('set-cookie')).toBeNull();
        expect(await status()).toBe('unsubscribed');
        const second = await request(`/unsubscribe/${token}`, { method: 'POST', ...init });
        expect(second.status).toBe(200);
        expect(await status()).toBe('unsubscribed');
      },
    );

    it('accepts the one-click body as multipart', async () => {
      const body = new FormData();
      body.append('List-Unsubscribe', 'One-Click');
      expect((await request(`/unsubscribe/${token}`, { method: 'POST', body })).status).toBe(200);
      expect(await status()).toBe('unsubscribed');
    });

    it('answers 400 to a forged token, escaping it', async () => {
      const forged = await request('/unsubscribe/%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E', {
        method: 'POST',
      });
      expect(forged.status).toBe(400);
      expect(await forged.text()).not.toContain('<img');
      expect((await request('/unsubscribe/not-a-token')).status).toBe(400);
      expect(await status()).toBe('active');
    });
  });

  describe('preferences', () => {
    it('shows the known categories and saves a choice', async () => {
      await addSubscribers({ db, clock }, ['pref@example.com'], { status: 'active', categories: [] });
      const token = (await findSubscriberByKey(db, 'pref@example.com'))?.token ?? '';
      const page = await (await request(`/preferences/${token}`)).text();
      expect(page).toContain('value="Local Inference"');
      const saved = await request(
        `/preferences/${token}`,
        form({ categories: ['Local Inference', '<b>x</b>'] }),
      );
      expect(saved.status).toBe(200);
      expect(await saved.text()).toContain('You follow: Local Inference.');
      expect((await findSubscriberByKey(db, 'pref@example.com'))?.categories).toBe('["Local Inference"]');
      expect((await request('/preferences/forged')).status).toBe(400);
    });
  });

  describe('Resend webhooks', () => {
    async function sentToTwo() {
      await addSubscribers({ db, clock }, ['bouncy@example.com', 'fine@example.com'], {
        status: 'active',
        categories: [],
      });
      await sendEdition(sendDeps(db, createOutboxTransport(outbox, clock)), '2026-W47');
      const rows = await db
        .selectFrom('deliveries')
        .innerJoin('subscribers', 'subscribers.id', 'deliveries.subscriber_id')
        .select(['subscribers.email', 'deliveries.provider_message_id'])
        .execute();
      return Object.fromEntries(rows.map((row) => [row.email, row.provider_message_id ?? '']));
    }
    const event = (type: string, emailId: string, to: string, extra: Record<string, unknown> = {}) =>
      JSON.stringify({
        type,
        created_at: start.toISOString(),
        data: { email_id: emailId, to: [to], subject: 'S', ...extra },
      });
    const post = (body: string, headers: Record<string, string>) =>
      request('/webhooks/resend', { method: 'POST', body, headers });

    it('verifies the signature over the raw body: wrong secret, missing headers, stale timestamp, altered body', async () => {
      // Signatures are checked against the real clock (Svix allows five minutes either way).
      const body = event('email.delivered', 'x', 'a@example.com');
      expect((await post(body, sign(body, 'msg_1', new Date()))).status).toBe(200);
      expect(
        (
          await post(
            body,
            sign(body, 'msg_2', new Date(), `whsec_${Buffer.from('other').toString('base64')}`),
          )
        ).status,
      ).toBe(401);
      expect((await post(body, { 'content-type': 'application/json' })).status).toBe(401);
      expect((await post(body, sign(body, 'msg_3', new Date(Date.now() - 10 * 60_000)))).status).toBe(401);
      expect((await post(`${body} `, sign(body, 'msg_4', new Date()))).status).toBe(401);
    });

    it('answers 400 to a correctly signed body that is null, not an object, or not JSON', async () => {
      for (const [index, body] of ['null', '[]', '"email.bounced"', '42', '{"type": "email.', ''].entries()) {
        const response = await post(body, sign(body, `msg_bad_${index}`, new Date()));
        expect(response.status, body).toBe(400);
        expect((await response.json()).error).toMatch(/^the body (must be a JSON object|is not JSON)$/);
      }
      // The signature is still checked first: a bad one stays 401 whatever the body.
      expect((await post('null', sign('other', 'msg_bad_sig', new Date()))).status).toBe(401);
      expect((await post('not json', sign('other', 'msg_bad_sig2', new Date()))).status).toBe(401);
      expect(await db.selectFrom('provider_events').select('svix_id').execute()).toEqual([]);
    });

    it('marks the bounced subscriber only, once per event id, and suppresses next week', async () => {
      const ids = await sentToTwo();
      const body = event('email.bounced', ids['bouncy@example.com'] ?? '', 'bouncy@example.com', {
        bounce: { type: 'Permanent', subType: 'General', message: 'mailbox does not exist' },
      });
      const headers = sign(body, 'msg_bounce', new Date());
      expect(await (await post(body, headers)).json()).toEqual({ status: 'applied' });
      expect(await (await post(body, headers)).json()).toEqual({ status: 'duplicate' });
      expect((await findSubscriberByKey(db, 'bouncy@example.com'))?.status).toBe('bounced');
      expect((await findSubscriberByKey(db, 'fine@example.com'))?.status).toBe('active');
      expect(await db.selectFrom('provider_events').select('svix_id').execute()).toHaveLength(1);
      const next = await sendEdition(
        sendDeps(db, createOutboxTransport(outbox, clock), {
          clock: fixedClock(new Date('2026-12-02T10:00:00Z')),
        }),
        '2026-W48',
      );
      expect(next.counts?.byReason).toMatchObject({ 'skipped: bounced': 1 });
      expect(next.counts?.byStatus.sent).toBe(1);
    });

    it('marks complaints and records delivered, opened and clicked on the delivery', async () => {
      const ids = await sentToTwo();
      for (const [index, type] of ['email.delivered', 'email.opened', 'email.clicked'].entries()) {
        const body = event(type, ids['fine@example.com'] ?? '', 'fine@example.com');
        await post(body, sign(body, `msg_track_${index}`, new Date()));
      }
      const complaint = event('email.complained', ids['bouncy@example.com'] ?? '', 'bouncy@example.com');
      await post(complaint, sign(complaint, 'msg_complaint', new Date()));
      expect((await findSubscriberByKey(db, 'bouncy@example.com'))?.status).toBe('complained');
      const fine = await db
        .selectFrom('deliveries')
        .select(['delivered_at', 'opened_at', 'clicked_at'])
        .where('provider_message_id', '=', ids['fine@example.com'] ?? '')
        .executeTakeFirst();
      expect(fine).toEqual({
        delivered_at: expect.any(String),
        opened_at: expect.any(String),
        clicked_at: expect.any(String),
      });
    });
  });

  describe('archive, feed and health', () => {
    it("shows the editor's note of a sent edition on its web version", async () => {
      await addSubscribers({ db, clock }, ['reader@example.com'], { status: 'active', categories: [] });
      const noted = await setNote(
        { db, clock, config },
        '2026-W47',
        'A **big** week: see [the site](https://example.com/).',
      );
      expect(noted.ok).toBe(true);
      await sendEdition(sendDeps(db, createOutboxTransport(outbox, clock)), '2026-W47');
      const html = await (await request('/editions/2026-W47')).text();
      expect(html).toContain('<strong>big</strong>');
      expect(html).toContain('href="https://example.com/"');
    });

    it('lists sent editions, shows the web version without personal links, and publishes RSS', async () => {
      await addSubscribers({ db, clock }, ['reader@example.com'], { status: 'active', categories: [] });
      await sendEdition(sendDeps(db, createOutboxTransport(outbox, clock)), '2026-W47');
      expect(await (await request('/editions')).text()).toContain('href="/editions/2026-W47"');
      const web = await request('/editions/2026-W47');
      expect(web.status).toBe(200);
      const html = await web.text();
      expect(html).toContain('Claude Code vs Aider');
      expect(html).not.toMatch(/\/(unsubscribe|preferences)\/[A-Za-z0-9_-]{10,}/);
      expect((await request('/editions/2026-W40')).status).toBe(404);
      expect((await request('/editions/<script>')).status).toBe(404);
      const feed = await request('/feed.xml');
      expect(feed.headers.get('content-type')).toContain('application/rss+xml');
      const xml = await feed.text();
      expect(xml).toMatch(
        /^<\?xml version="1.0" encoding="UTF-8"\?>\n<rss version="2.0"[^>]*><channel><title>/,
      );
      expect(xml).toContain('<link>https://news.verdicts.test/editions/2026-W47</link>');
      expect(xml).toMatch(/<pubDate>Wed, 25 Nov 2026 10:00:00 GMT<\/pubDate>/);
      expect(xml.match(/<item>/g)).toHaveLength(1);
      expect(await (await request('/healthz')).json()).toEqual({ status: 'ok' });
    });

    it('serves the web version as a page of the site: canonical, viewport, sign-up form, no inbox furniture', async () => {
      await addSubscribers({ db, clock }, ['reader@example.com'], { status: 'active', categories: [] });
      await sendEdition(sendDeps(db, createOutboxTransport(outbox, clock)), '2026-W47');
      const html = await (await app.request('/editions/2026-W47')).text();
      expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1"/>');
      expect(html).toContain('<link rel="canonical" href="https://news.verdicts.test/editions/2026-W47"/>');
      expect(html).toContain(
        '<title>Claude Code vs Aider, and 2 more verdicts · Weekly AI Tool Verdicts</title>',
      );
      expect(html).toContain('action="/subscribe" method="post"');
      for (const inboxOnly of ['View in browser', 'You get this email because', 'Choose your categories'])
        expect(html).not.toContain(inboxOnly);
      expect(html).not.toMatch(/href="[^"]*\/(unsubscribe|preferences)\//);
      // Every comparison of the edition in full, with its quotes.
      expect(html.match(/>Read the full comparison</g)).toHaveLength(3);
      expect(html).toContain('“The terminal is a transitional interface;');
      // The form on the page works: it is the sign-up form's POST.
      const signup = await app.request(
        '/subscribe',
        form({ email: 'from-the-web-version@example.com', form: 'edition' }),
      );
      expect(await signup.text()).toContain('Check your inbox');
    });

    it("puts each edition's contents in its feed item and announces the feed on every page", async () => {
      await addSubscribers({ db, clock }, ['reader@example.com'], { status: 'active', categories: [] });
      await sendEdition(sendDeps(db, createOutboxTransport(outbox, clock)), '2026-W47');
      const xml = await (await app.request('/feed.xml')).text();
      expect(xml).toContain('<title>Claude Code vs Aider, and 2 more verdicts</title>');
      const description = /<description>([^<]*)<\/description><\/item>/.exec(xml)?.[1] ?? '';
      const decoded = description
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&apos;/g, "'")
        .replace(/&amp;/g, '&');
      expect(decoded).toContain('<p>16–22 November 2026: 3 comparisons, each scored by our panel.</p><ul>');
      expect(decoded).toContain(
        '<li><a href="https://news.verdicts.test/editions/2026-W47#claude-code-vs-aider">Claude Code vs Aider</a>: Claude Code SPLIT · Aider SPLIT · Panel&#x27;s pick: Claude Code</li>',
      );
      expect(decoded.match(/<li>/g)).toHaveLength(3);
      for (const path of ['/', '/editions', '/editions/2026-W47'])
        expect(await (await app.request(path)).text()).toContain(
          '<link rel="alternate" type="application/rss+xml" title="Weekly AI Tool Verdicts" href="/feed.xml"/>',
        );
    });

    it('sets security headers', async () => {
      const response = await request('/');
      expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    });
  });

  it('runs end to end over real HTTP: sign-up, confirmation, digest, one-click unsubscribe from the header', async () => {
    const server = await startServer(
      { db, clock, config, transport: createOutboxTransport(outbox, clock), log: silentLogger, tasks },
      0,
      '127.0.0.1',
    );
    try {
      const signup = await fetch(`${server.url}/subscribe`, form({ email: 'e2e@example.com' }));
      expect(signup.status).toBe(200);
      await tasks.drain();
      const link = (await confirmLink('e2e@example.com')) ?? '';
      expect((await fetch(`${server.url}${pathOf(link)}`)).status).toBe(200);
      expect((await fetch(`${server.url}/confirm`, confirmForm(link))).status).toBe(200);
      await sendEdition(sendDeps(db, createOutboxTransport(outbox, clock)), '2026-W47');
      const digestMail = (await readOutbox(outbox)).find((mail) =>
        mail.subject?.startsWith('Claude Code vs Aider, and 2 more verdicts'),
      );
      const header = digestMail?.headerLines.find((line) => line.key === 'list-unsubscribe')?.line ?? '';
      const unsubscribeUrl = /<(https:\/\/[^>]+)>/.exec(header)?.[1] ?? '';
      expect(unsubscribeUrl).toMatch(/^https:\/\/news\.verdicts\.test\/unsubscribe\//);
      // What a mail provider does for one-click: POST the List-Unsubscribe URL with the RFC 8058 body.
      const oneClick = await fetch(`${server.url}${new URL(unsubscribeUrl).pathname}`, {
        method: 'POST',
        body: 'List-Unsubscribe=One-Click',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        redirect: 'manual',
      });
      expect(oneClick.status).toBe(200);
      expect((await findSubscriberByKey(db, 'e2e@example.com'))?.status).toBe('unsubscribed');
    } finally {
      await server.close();
    }
  });
});
