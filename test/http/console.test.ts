// The editor console (docs/editorial.md) over real HTTP requests to the app: sign-in by emailed link read
// from the outbox, sessions, CSRF refusals, and every form's effect read back through `digest draft`.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type BackgroundTasks, createBackgroundTasks } from '../../src/adapters/background-tasks.js';
import { type Db, openDatabase } from '../../src/adapters/database.js';
import { silentLogger } from '../../src/adapters/logger.js';
import { createOutboxTransport, listOutbox } from '../../src/adapters/outbox-transport.js';
import { createResendTransport } from '../../src/adapters/resend-transport.js';
import { loadConfig } from '../../src/config.js';
import { fixedClock } from '../../src/domain/clock.js';
import { sendEdition } from '../../src/services/send-edition.js';
import { addSubscribers } from '../../src/services/subscribers.js';
import { createApp } from '../../src/web/app.js';
import { digest, scratchDir } from '../support/cli.js';
import { freshDatabase } from '../support/db.js';
import { startResendServer } from '../support/resend-server.js';
import { AFTER_W47, importSamples, sendDeps } from '../support/sending.js';
import { resendEvent, svixHeaders, WEBHOOK_SECRET } from '../support/webhooks.js';

const PUBLIC_URL = 'https://news.verdicts.test';
const CLAUDE = 'claude-code-vs-aider';
const CURSOR = 'cursor-3-vs-windsurf-wave-14';
const HUGGING = 'hugging-face-inference-providers-hub-vs-mistral-3-small-22b';
const SIGN_IN_SUBJECT = 'Sign in to the Weekly AI Tool Verdicts editor console';
const MINUTE = 60_000;

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
const formTokenOf = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

describe('editor console', () => {
  let dir: string;
  let env: Record<string, string>;
  let db: Db;
  let tasks: BackgroundTasks;
  let app: ReturnType<typeof createApp>;
  const clock = fixedClock(AFTER_W47);
  const seenMail = new Set<string>();

  function build(overrides: Record<string, string> = {}) {
    env = { ...env, ...overrides };
    tasks = createBackgroundTasks(silentLogger);
    const config = loadConfig(env);
    app = createApp({
      db,
      clock,
      config,
      transport: createOutboxTransport(env.DIGEST_OUTBOX_DIR ?? '', clock),
      log: silentLogger,
      tasks,
    });
  }

  beforeEach(async () => {
    clock.set(AFTER_W47);
    seenMail.clear();
    dir = scratchDir();
    env = {
      DIGEST_DB: await freshDatabase(dir),
      DIGEST_OUTBOX_DIR: join(dir, 'outbox'),
      DIGEST_PUBLIC_URL: PUBLIC_URL,
      DIGEST_EDITORS: 'Ed@Example.com, chief@example.org',
      RESEND_WEBHOOK_SECRET: WEBHOOK_SECRET,
    };
    db = await openDatabase(env.DIGEST_DB ?? '');
    await importSamples(db);
    const subscribers = { db, clock: fixedClock(new Date('2026-11-01T00:00:00Z')) };
    await addSubscribers(subscribers, ['ada@example.com', 'grace@example.com'], {
      status: 'active',
      categories: [],
    });
    await addSubscribers(subscribers, ['coder@example.com'], {
      status: 'active',
      categories: ['Coding Agents'],
    });
    await addSubscribers(subscribers, ['pat@example.com'], { status: 'pending', categories: [] });
    build();
  });
  afterEach(async () => {
    await db.destroy();
  });

  /** A browser without JavaScript: keeps its cookies, sends Origin with its forms, follows no redirect. */
  function browser(origin = PUBLIC_URL) {
    const jar = new Map<string, string>();
    const request = async (
      path: string,
      form?: Record<string, string>,
      headers: Record<string, string> = {},
    ) => {
      const sent = new Headers(headers);
      if (jar.size > 0) sent.set('cookie', [...jar].map(([name, value]) => `${name}=${value}`).join('; '));
      if (form) {
        sent.set('content-type', 'application/x-www-form-urlencoded');
        if (!sent.has('origin')) sent.set('origin', origin);
      }
      const response = await app.request(path, {
        method: form ? 'POST' : 'GET',
        headers: sent,
        body: form ? new URLSearchParams(form) : undefined,
      });
      await tasks.drain();
      for (const cookie of response.headers.getSetCookie()) {
        const [name = '', value = ''] = (cookie.split(';')[0] ?? '').split('=');
        if (/max-age=0/i.test(cookie) || value === '') jar.delete(name);
        else jar.set(name, value);
      }
      return response;
    };
    return {
      jar,
      get: (path: string) => request(path),
      post: (path: string, form: Record<string, string>, headers?: Record<string, string>) =>
        request(path, form, headers),
    };
  }
  type Browser = ReturnType<typeof browser>;

  /** Sign-in emails that arrived since the last call: recipient and the link's path. */
  async function newSignInLinks(): Promise<{ to: string; path: string }[]> {
    const outbox = env.DIGEST_OUTBOX_DIR ?? '';
    const links: { to: string; path: string }[] = [];
    for (const file of await listOutbox(outbox)) {
      if (seenMail.has(file)) continue;
      seenMail.add(file);
      const mail = await simpleParser(readFileSync(join(outbox, file)));
      if (mail.subject !== SIGN_IN_SUBJECT) continue;
      const url = /https?:\/\/\S+\/admin\/sign-in\?token=[\w-]+/.exec(mail.text ?? '')?.[0] ?? '';
      const to = mail.to && !Array.isArray(mail.to) ? mail.to.text : '';
      links.push({ to, path: new URL(url).pathname + new URL(url).search });
    }
    return links;
  }

  async function askForLink(b: Browser, email: string, next = '/admin') {
    const page = await b.get(`/admin/login?next=${encodeURIComponent(next)}`);
    return b.post('/admin/login', { email, next, csrf: formTokenOf(await page.text()) });
  }

  /** Signs `b` in as `email` through the emailed link; returns the response of the link's POST. */
  async function signIn(b: Browser, email = 'ed@example.com', next = '/admin') {
    await askForLink(b, email, next);
    const [link] = await newSignInLinks();
    if (!link) throw new Error(`no sign-in link for ${email}`);
    const page = await b.get(link.path);
    return b.post('/admin/sign-in', {
      token: new URL(link.path, PUBLIC_URL).searchParams.get('token') ?? '',
      csrf: formTokenOf(await page.text()),
    });
  }

  /** The session's form token, from the upcoming edition page. */
  async function consoleToken(b: Browser) {
    return formTokenOf(await (await b.get('/admin')).text());
  }

  const draft = async () => (await digest(['draft'], env, clock)).stdout;

  describe('sign-in', () => {
    it('without DIGEST_EDITORS says the console is off, and nobody can sign in', async () => {
      build({ DIGEST_EDITORS: '' });
      const b = browser();
      for (const path of ['/admin', '/admin/login', '/admin/subscribers']) {
        const response = await b.get(path);
        expect(response.status).toBe(404);
        expect(await response.text()).toContain(
          'The editor console is off: no editor addresses are configured.',
        );
      }
      expect((await b.post('/admin/login', { email: 'ed@example.com' })).status).toBe(404);
      expect(await newSignInLinks()).toEqual([]);
    });

    it('shows no admin content without a session: pages send the browser to sign in, forms are refused', async () => {
      const b = browser();
      for (const path of [
        '/admin',
        '/admin/editions',
        '/admin/subscribers?q=ada',
        '/admin/comparisons',
        '/admin/preview?week=2026-W47',
      ]) {
        const response = await b.get(path);
        expect(response.status, path).toBe(303);
        expect(response.headers.get('location')).toMatch(/^\/admin\/login\?next=/);
        const body = await response.text();
        expect(body).not.toContain('ada@example.com');
        expect(body).not.toContain('Claude Code');
      }
      b.jar.set('digest_editor', 'made-up-session-token');
      expect((await b.get('/admin')).status).toBe(303);
      const refused = await b.post('/admin/draft/note', { week: '2026-W47', note: 'Sneaky', csrf: 'x' });
      expect(refused.status).toBe(403);
      expect(await refused.text()).toContain('Your session has ended; sign in again. Nothing was changed.');
      expect(await draft()).toContain('Note: (none)');
    });

    it('answers the same for any address, after which only an editor gets a link', async () => {
      const answers: string[] = [];
      let mailed = 0;
      for (const email of [
        'ed@example.com',
        'stranger@example.com',
        'CHIEF@example.org',
        'ada@example.com',
      ]) {
        const b = browser();
        const page = await b.get('/admin/login');
        const response = await app.request('/admin/login', {
          method: 'POST',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            origin: PUBLIC_URL,
            cookie: [...b.jar].map(([name, value]) => `${name}=${value}`).join('; '),
          },
          body: new URLSearchParams({ email, next: '/admin', csrf: formTokenOf(await page.text()) }),
        });
        // The answer is out before the address is even looked at: the email follows it.
        expect(await listOutbox(env.DIGEST_OUTBOX_DIR ?? '')).toHaveLength(mailed);
        expect(response.status).toBe(200);
        answers.push(await response.text());
        await tasks.drain();
        mailed = (await listOutbox(env.DIGEST_OUTBOX_DIR ?? '')).length;
      }
      expect(new Set(answers).size).toBe(1);
      expect(answers[0]).toContain('If that address belongs to an editor, a sign-in link is on its way.');
      const links = await newSignInLinks();
      // To the addresses as DIGEST_EDITORS spells them (the outbox writes domains in lower case).
      expect(links.map((link) => link.to).sort()).toEqual(['Ed@example.com', 'chief@example.org']);
    });

    it('refuses what is not an address in one sentence', async () => {
      const b = browser();
      const response = await askForLink(b, 'ed at example.com');
      expect(response.status).toBe(400);
      expect(await response.text()).toContain(
        'That is not an email address: &quot;ed at example.com&quot; has no @.',
      );
    });

    it('signs in only on the POST from the link page; the link works once', async () => {
      const b = browser();
      await askForLink(b, 'ed@example.com');
      const [link] = await newSignInLinks();
      const token = new URL(link?.path ?? '', PUBLIC_URL).searchParams.get('token') ?? '';
      expect(token).toMatch(/^[\w-]{43}$/);

      // A mail scanner fetching the link twice uses nothing up and gets no session.
      for (let fetches = 0; fetches < 2; fetches++) {
        const page = await b.get(link?.path ?? '');
        expect(page.status).toBe(200);
        const html = await page.text();
        expect(html).toContain('<button type="submit">Sign in</button>');
        expect(b.jar.has('digest_editor')).toBe(false);
      }
      expect((await b.get('/admin')).status).toBe(303);

      const page = await b.get(link?.path ?? '');
      const signedIn = await b.post('/admin/sign-in', { token, csrf: formTokenOf(await page.text()) });
      expect(signedIn.status).toBe(303);
      expect(signedIn.headers.get('location')).toBe('/admin');
      const console = await b.get('/admin');
      expect(console.status).toBe(200);
      const html = await console.text();
      expect(html).toContain('Signed in as Ed@Example.com');
      expect(html).toContain('Claude Code vs Aider');

      // Used: neither its page nor its POST works again, in this browser or another.
      const other = browser();
      const again = await other.get(link?.path ?? '');
      expect(again.status).toBe(400);
      expect(await again.text()).toContain('This sign-in link has already been used; each works once.');
      const loginPage = await other.get('/admin/login');
      const replay = await other.post('/admin/sign-in', { token, csrf: formTokenOf(await loginPage.text()) });
      expect(replay.status).toBe(400);
      expect(other.jar.has('digest_editor')).toBe(false);
    });

    it('lets a link expire after 15 minutes', async () => {
      const b = browser();
      await askForLink(b, 'ed@example.com');
      const [link] = await newSignInLinks();
      const page = await b.get(link?.path ?? '');
      const csrf = formTokenOf(await page.text());
      clock.advance(15 * MINUTE);
      const expired = await b.get(link?.path ?? '');
      expect(expired.status).toBe(400);
      expect(await expired.text()).toContain('This sign-in link has expired; links work for 15 minutes.');
      const token = new URL(link?.path ?? '', PUBLIC_URL).searchParams.get('token') ?? '';
      const late = await b.post('/admin/sign-in', { token, csrf });
      expect(late.status).toBe(400);
      expect(b.jar.has('digest_editor')).toBe(false);
    });

    it('returns to the page asked for, and never to another site', async () => {
      const b = browser();
      const asked = await b.get('/admin/subscribers?q=ada');
      expect(asked.headers.get('location')).toBe('/admin/login?next=%2Fadmin%2Fsubscribers%3Fq%3Dada');
      expect((await signIn(b, 'ed@example.com', '/admin/subscribers?q=ada')).headers.get('location')).toBe(
        '/admin/subscribers?q=ada',
      );
      const other = browser();
      expect(
        (await signIn(other, 'chief@example.org', 'https://evil.example/')).headers.get('location'),
      ).toBe('/admin');
      expect(
        (await signIn(browser(), 'ed@example.com', '//evil.example/admin')).headers.get('location'),
      ).toBe('/admin');
    });

    it('sets the session cookie HttpOnly, SameSite=Lax, Secure on https, and stores only hashes', async () => {
      const b = browser();
      await askForLink(b, 'ed@example.com');
      const [link] = await newSignInLinks();
      const token = new URL(link?.path ?? '', PUBLIC_URL).searchParams.get('token') ?? '';
      const page = await b.get(link?.path ?? '');
      const response = await b.post('/admin/sign-in', { token, csrf: formTokenOf(await page.text()) });
      const cookie = response.headers.getSetCookie().find((entry) => entry.startsWith('digest_editor='));
      expect(cookie).toMatch(/; Path=\/admin(;|$)/);
      expect(cookie).toMatch(/; HttpOnly(;|$)/);
      expect(cookie).toMatch(/; Secure(;|$)/);
      expect(cookie).toMatch(/; SameSite=Lax(;|$)/);
      const session = b.jar.get('digest_editor') ?? '';
      expect(session).toMatch(/^[\w-]{43}$/);

      const links = await db.selectFrom('editor_sign_in_links').selectAll().execute();
      expect(links.map((row) => row.token_hash)).toEqual([sha256(token)]);
      const sessions = await db.selectFrom('editor_sessions').selectAll().execute();
      expect(sessions.map((row) => row.id_hash)).toEqual([sha256(session)]);
      expect(JSON.stringify([links, sessions])).not.toContain(token);
      expect(JSON.stringify([links, sessions])).not.toContain(session);

      build({ DIGEST_PUBLIC_URL: 'http://localhost:3000' });
      const plain = browser('http://localhost:3000');
      await signIn(plain);
      expect(plain.jar.has('digest_editor')).toBe(true);
      const login = await plain.get('/admin/login');
      expect(login.headers.get('location')).toBe('/admin');
      const unsecured = browser('http://localhost:3000');
      const cookies = (await unsecured.get('/admin/login')).headers.getSetCookie();
      expect(cookies.join('\n')).toMatch(
        /^digest_sign_in=[\w-]{43}; Max-Age=86400; Path=\/admin; HttpOnly; SameSite=Lax$/,
      );
    });

    it('ends a session after 12 hours idle, keeps it while used, and on sign-out', async () => {
      const b = browser();
      await signIn(b);
      clock.advance(11 * 60 * MINUTE);
      expect((await b.get('/admin/comparisons')).status).toBe(200);
      clock.advance(11 * 60 * MINUTE);
      expect((await b.get('/admin/comparisons')).status).toBe(200);
      clock.advance(12 * 60 * MINUTE);
      expect((await b.get('/admin/comparisons')).status).toBe(303);

      const c = browser();
      await signIn(c);
      const stolen = c.jar.get('digest_editor') ?? '';
      const out = await c.post('/admin/sign-out', { csrf: await consoleToken(c) });
      expect(out.status).toBe(303);
      expect(out.headers.get('location')).toBe('/admin/login?signed-out');
      expect(c.jar.has('digest_editor')).toBe(false);
      expect(await (await c.get('/admin/login?signed-out')).text()).toContain('You are signed out.');
      const replayed = browser();
      replayed.jar.set('digest_editor', stolen);
      expect((await replayed.get('/admin')).status).toBe(303);
    });

    it('ends the sessions of an address taken out of DIGEST_EDITORS', async () => {
      const b = browser();
      await signIn(b, 'chief@example.org');
      expect((await b.get('/admin')).status).toBe(200);
      build({ DIGEST_EDITORS: 'ed@example.com' });
      expect((await b.get('/admin')).status).toBe(303);
    });

    it('sends the link through Resend with a key derived from DIGEST_SECRET, never the token', async () => {
      const resend = await startResendServer({ keepBodies: true });
      try {
        tasks = createBackgroundTasks(silentLogger);
        app = createApp({
          db,
          clock,
          config: loadConfig({
            ...env,
            RESEND_API_KEY: resend.options.apiKey,
            RESEND_BASE_URL: resend.url,
            DIGEST_SECRET: 'console-test-secret-0123456789abcdef0123',
          }),
          transport: createResendTransport({ apiKey: resend.options.apiKey, baseUrl: resend.url }),
          log: silentLogger,
          tasks,
        });
        await askForLink(browser(), 'ed@example.com');
        const [email] = resend.acceptedFor('Ed@Example.com');
        const token = /sign-in\?token=([\w-]+)/.exec(email?.text ?? '')?.[1] ?? '';
        expect(token).toMatch(/^[\w-]{43}$/);
        expect(email?.subject).toBe(SIGN_IN_SUBJECT);
        expect(email?.idempotencyKey).toMatch(/^verdict-digest\/sign-in\/[0-9a-f]{64}$/);
        expect(email?.idempotencyKey).not.toContain(token);
        expect(email?.idempotencyKey).not.toContain(sha256(token));
        expect(email?.headers?.['List-Unsubscribe']).toBeUndefined();
      } finally {
        await resend.close();
      }
    });

    it('limits sign-in requests per client and links per address, answering alike', async () => {
      const b = browser();
      for (let request = 1; request <= 6; request++) {
        expect((await askForLink(b, 'ed@example.com')).status).toBe(200);
      }
      // Five links an hour for one address, whoever asks.
      expect(await newSignInLinks()).toHaveLength(5);
      for (let request = 7; request <= 10; request++) {
        expect((await askForLink(b, `someone${request}@example.com`)).status).toBe(200);
      }
      const limited = await askForLink(b, 'chief@example.org');
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('900');
      expect(await limited.text()).toContain(
        'Too many sign-in requests from your network. Try again in 15 minutes.',
      );
      expect(await newSignInLinks()).toEqual([]);
      clock.advance(60 * MINUTE);
      expect((await askForLink(b, 'ed@example.com')).status).toBe(200);
      expect(await newSignInLinks()).toHaveLength(1);
    });
  });

  describe('forms', () => {
    it('refuses a form without the session token, with another session’s, or from another site (403)', async () => {
      const b = browser();
      await signIn(b);
      const csrf = await consoleToken(b);
      const other = browser();
      await signIn(other, 'chief@example.org');
      const othersToken = await consoleToken(other);
      expect(othersToken).not.toBe(csrf);

      const note = { week: '2026-W47', note: 'Forged' };
      for (const [form, headers] of [
        [note, {}],
        [{ ...note, csrf: 'not-the-token' }, {}],
        [{ ...note, csrf: othersToken }, {}],
        [{ ...note, csrf }, { origin: 'https://evil.example' }],
      ] as const) {
        const response = await b.post('/admin/draft/note', form, headers);
        expect(response.status).toBe(403);
        expect(await response.text()).toContain('This form has expired or did not come from the console');
      }
      // The sign-in forms carry a token too.
      expect((await browser().post('/admin/login', { email: 'ed@example.com' })).status).toBe(403);
      expect(await draft()).toContain('Note: (none)');
      expect((await b.post('/admin/draft/note', { ...note, csrf })).status).toBe(303);
      expect(await draft()).toContain('Note:\n    Forged\n');
    });

    it('changes the draft as `digest draft` then shows it: note, subject, moves, hold, release, approval', async () => {
      const b = browser();
      await signIn(b);
      const csrf = await consoleToken(b);
      const week = '2026-W47';
      const act = async (path: string, fields: Record<string, string>) => {
        const response = await b.post(path, { week, csrf, ...fields });
        expect(response.status, path).toBe(303);
        expect(response.headers.get('location')).toBe(`/admin?week=${week}`);
        return (await (await b.get(response.headers.get('location') ?? '')).text()).replace(/&quot;/g, '"');
      };

      expect(await act('/admin/draft/note', { note: 'A *quiet* week.' })).toContain(
        'Set the note of 2026-W47.',
      );
      expect(await draft()).toContain('Note:\n    A _quiet_ week.\n');

      expect(await act('/admin/draft/subject', { subject: 'Three verdicts' })).toContain(
        'The subject of 2026-W47 is now "Three verdicts"',
      );
      expect(await draft()).toContain('Subject: Three verdicts\n');

      expect(await act('/admin/draft/move', { slug: CLAUDE, direction: 'down' })).toContain(
        `New order of 2026-W47: ${CURSOR}, ${CLAUDE}, ${HUGGING}.`,
      );
      await act('/admin/draft/move', { slug: HUGGING, direction: 'up' });
      expect(await draft()).toContain(`  1. ${CURSOR}\t`);
      expect(await draft()).toContain(`  2. ${HUGGING}\t`);
      expect(await act('/admin/draft/move', { slug: CURSOR, direction: 'up' })).toContain(
        `${CURSOR} is already first.`,
      );

      expect(await act('/admin/draft/hold', { slug: CURSOR })).toContain(
        `Held ${CURSOR} back from 2026-W47; the 2026-W48 draft offers it again.`,
      );
      expect(await draft()).toContain(`Held back (offered again in 2026-W48):\n  - ${CURSOR}\t`);
      expect(await act('/admin/draft/release', { slug: CURSOR })).toContain(`Released ${CURSOR}`);
      expect(await draft()).not.toContain('Held back');

      const approved = await act('/admin/draft/approve', {});
      expect(approved).toContain(
        'Approved 2026-W47 as Ed@Example.com: 3 comparisons, subject "Three verdicts".',
      );
      expect(approved).toContain('Take back the approval');
      expect(await draft()).toContain('Review: approved by Ed@Example.com at Wed 25 Nov 2026, 10:00 UTC;');

      const cleared = await act('/admin/draft/subject', { clear: '1' });
      expect(cleared).toContain('The approval by Ed@Example.com is cleared');
      expect(await draft()).toContain('Subject: Cursor 3 vs Windsurf Wave 14, and 2 more verdicts (default)');
      expect(await draft()).toContain('Review: not approved;');

      await act('/admin/draft/approve', {});
      expect(await act('/admin/draft/unapprove', {})).toContain(
        'Took back the approval of 2026-W47 by Ed@Example.com.',
      );
      expect(await draft()).toContain('Review: not approved;');

      expect(await act('/admin/draft/note', { note: '  ' })).toContain('Removed the note of 2026-W47.');
      expect(await draft()).toContain('Note: (none)');
    });

    it('shows refusals as one sentence and changes nothing', async () => {
      const b = browser();
      await signIn(b);
      const csrf = await consoleToken(b);
      const refusal = async (path: string, fields: Record<string, string>) => {
        const response = await b.post(path, { csrf, ...fields });
        return (await (await b.get(response.headers.get('location') ?? '')).text()).replace(/&quot;/g, '"');
      };
      expect(await refusal('/admin/draft/hold', { week: '2026-W47', slug: 'nope' })).toContain(
        `"nope" is not in the 2026-W47 draft, which has: ${CLAUDE}, ${CURSOR}, ${HUGGING}.`,
      );
      expect(await refusal('/admin/draft/subject', { week: '2026-W47', subject: 'x'.repeat(201) })).toContain(
        'The subject has 201 characters; keep it to 200 or fewer.',
      );
      expect(await refusal('/admin/draft/note', { week: '2026-W99', note: 'x' })).toContain(
        '"2026-W99" does not exist: 2026 has 53 ISO weeks.',
      );
      expect(await refusal('/admin/draft/approve', { week: '2026-W40' })).toContain(
        '2026-W40 has nothing to approve: no comparisons are in it.',
      );
      expect(await refusal('/admin/test-send', { week: '2026-W47', to: 'ed@example.com, nobody' })).toContain(
        'Cannot send to "ed@example.com, nobody": "nobody" has no @.',
      );
      const shown = await draft();
      expect(shown).toContain('Subject: Claude Code vs Aider, and 2 more verdicts (default)');
      expect(shown).toContain('Review: not approved;');
    });

    it('sends a test copy to the signed-in editor, or to a list as a given reader', async () => {
      const b = browser();
      await signIn(b);
      const csrf = await consoleToken(b);
      const page = await (await b.get('/admin')).text();
      expect(page).toContain(
        '<input id="test-to" type="text" autoComplete="off" name="to" value="Ed@Example.com"/>',
      );
      const sent = await b.post('/admin/test-send', { week: '2026-W47', csrf, to: 'Ed@Example.com' });
      expect(await (await b.get(sent.headers.get('location') ?? '')).text()).toContain(
        'Sent the 2026-W47 digest (3 comparisons) to Ed@Example.com.',
      );
      await b.post('/admin/test-send', {
        week: '2026-W47',
        csrf,
        to: 'ed@example.com, rev@example.org',
        as: 'coder@example.com',
      });
      const outbox = env.DIGEST_OUTBOX_DIR ?? '';
      const copies = (
        await Promise.all(
          (await listOutbox(outbox)).map((file) => simpleParser(readFileSync(join(outbox, file)))),
        )
      ).filter((mail) => mail.subject?.startsWith('[TEST] '));
      // (The outbox writes domains in lower case.)
      expect(
        copies
          .map(
            (mail) =>
              `${mail.to && !Array.isArray(mail.to) ? mail.to.text.toLowerCase() : ''}: ${mail.subject}`,
          )
          .sort(),
      ).toEqual([
        'ed@example.com: [TEST] Claude Code vs Aider, and 1 more verdict',
        'ed@example.com: [TEST] Claude Code vs Aider, and 2 more verdicts',
        'rev@example.org: [TEST] Claude Code vs Aider, and 1 more verdict',
      ]);
      for (const copy of copies) expect(copy.headers.has('list-unsubscribe')).toBe(false);
    });
  });

  describe('pages', () => {
    it('frames the email at 600 and 375 px under a CSP that allows exactly that', async () => {
      const b = browser();
      await signIn(b);
      const page = await b.get('/admin?category=Coding%20Agents');
      const html = await page.text();
      expect(page.headers.get('content-security-policy')).toBe(
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'; frame-src 'self'",
      );
      const frames = [...html.matchAll(/<iframe title="The email at (\d+) px" src="([^"]+)" width="(\d+)"/g)];
      expect(frames.map((frame) => [frame[1], frame[3]])).toEqual([
        ['600', '600'],
        ['375', '375'],
      ]);
      const src = (frames[0]?.[2] ?? '').replace(/&amp;/g, '&');
      expect(src).toBe('/admin/preview?week=2026-W47&category=Coding+Agents');

      const preview = await b.get(src);
      expect(preview.headers.get('content-security-policy')).toBe(
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'self'",
      );
      expect(preview.headers.get('cache-control')).toBe('no-store');
      const email = await preview.text();
      expect(email).toContain('Claude Code vs Aider');
      expect(email).not.toContain('Hugging Face Inference Providers Hub');
      expect(email).toContain('This is a review copy.');
      expect(email).not.toMatch(/\/(unsubscribe|preferences)\//);

      const asReader = await (await b.get('/admin/preview?week=2026-W47&as=grace@example.com')).text();
      expect(asReader).toContain('Hugging Face Inference Providers Hub');
      const unknown = await b.get('/admin/preview?week=2026-W47&as=stranger@example.com');
      expect(unknown.status).toBe(400);
      expect(await unknown.text()).toContain('No subscriber has the address stranger@example.com.');

      for (const path of ['/admin/editions', '/admin/login', '/']) {
        const policy = (await b.get(path)).headers.get('content-security-policy') ?? '';
        expect(policy, path).toContain("frame-ancestors 'none'");
        expect(policy, path).not.toContain('frame-src');
      }
    });

    it('lists past editions with their figures and clicks per comparison', async () => {
      const resend = await startResendServer({ apiKey: 're_console_test' });
      try {
        const transport = createResendTransport({ apiKey: 're_console_test', baseUrl: resend.url });
        expect((await sendEdition(sendDeps(db, transport), '2026-W47')).outcome).toBe('sent');
        const email = resend.acceptedFor('ada@example.com')[0];
        if (!email) throw new Error('ada got nothing');
        const sentAt = AFTER_W47.getTime();
        const events = [
          resendEvent('email.delivered', email, new Date(sentAt + 5_000)),
          resendEvent('email.clicked', email, new Date(sentAt + 3_601_000), {
            click: {
              link: `https://example.com/compare/${CLAUDE}`,
              timestamp: new Date(sentAt + 3_600_000).toISOString(),
              userAgent:
                'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Version/17.5 Safari/605.1.15',
              ipAddress: '198.51.100.7',
            },
          }),
        ];
        for (const [index, body] of events.entries()) {
          const response = await app.request('/webhooks/resend', {
            method: 'POST',
            body,
            headers: svixHeaders(body, `msg_${index}`),
          });
          expect(response.status).toBe(200);
        }
      } finally {
        await resend.close();
      }
      const b = browser();
      await signIn(b);
      const html = (await (await b.get('/admin/editions')).text()).replace(/<!-- -->/g, '');
      expect(html).toContain('16–22 November 2026 <span class="muted">2026-W47</span>');
      expect(html).toContain('<a href="/editions/2026-W47">Web version</a>');
      expect(html).toMatch(/<th scope="row">Eligible<\/th><td class="n">3<\/td>/);
      expect(html).toMatch(
        /<th scope="row">Delivered \(of sent\)<\/th><td class="n">1<\/td><td class="n">33\.3%<\/td>/,
      );
      expect(html).toMatch(
        /<th scope="row">Clicked \(people\)<\/th><td class="n">1<\/td><td class="n">100\.0%<\/td>/,
      );
      expect(html).toMatch(/<td>Claude Code vs Aider<\/td><td class="n">1<\/td><td class="n">1<\/td>/);
      expect(html).toMatch(
        /<td>Cursor 3 vs Windsurf Wave 14<\/td><td class="n">0<\/td><td class="n">0<\/td>/,
      );

      // The week that went out can be looked at, no longer changed; the console now prepares the next one.
      const sent = await (await b.get('/admin?week=2026-W47')).text();
      expect(sent).toContain('This week is sent: its edition can no longer be changed.');
      expect(sent).toContain('src="/admin/preview?week=2026-W47"');
      expect(sent).not.toContain('Approve this edition');
      expect(await (await b.get('/admin')).text()).toContain('2026-W48 draft');
    });

    it('finds subscribers by part of an address, with their consent record, counts and weekly growth', async () => {
      const b = browser();
      await signIn(b);
      const html = (await (await b.get('/admin/subscribers?q=CODER')).text()).replace(/<!-- -->/g, '');
      expect(html).toContain('1 subscriber matching “CODER”');
      expect(html).toContain('<h3>coder@example.com</h3>');
      expect(html).not.toContain('<h3>ada@example.com</h3>');
      expect(html).toContain('<dt>Categories</dt><dd>Coding Agents</dd>');
      expect(html).toContain('<dt>Added</dt><dd>1 Nov 2026, 00:00 via the command line</dd>');
      expect(html).toMatch(/<th scope="row">active<\/th><td class="n">3<\/td>/);
      expect(html).toMatch(/<th scope="row">pending<\/th><td class="n">1<\/td>/);
      // Added as active on 1 November (2026-W44); the page covers the eight weeks up to this one.
      expect(html).toMatch(
        /<th scope="row" class="week">2026-W44<\/th><td class="n">3<\/td><td class="n">0<\/td><td class="n">0<\/td>/,
      );
      expect(html).toContain('2026-W48<br/><span class="muted">so far</span>');
      const wildcard = (await (await b.get('/admin/subscribers?q=%25')).text()).replace(/<!-- -->/g, '');
      expect(wildcard).toContain('0 subscribers matching “%”');
    });

    it('lists comparisons with the edition each rode in or will ride in', async () => {
      const b = browser();
      await signIn(b);
      const csrf = await consoleToken(b);
      await b.post('/admin/draft/hold', { week: '2026-W47', slug: CURSOR, csrf });
      const html = (await (await b.get('/admin/comparisons')).text()).replace(/<!-- -->/g, '');
      expect(html).toMatch(
        new RegExp(
          `${CLAUDE}</span></td><td>[^<]+<br/><span class="muted">2026-W47</span></td><td>2026-W47 \\(upcoming\\)</td>`,
        ),
      );
      expect(html).toContain('<td>2026-W48 (upcoming, held back from 2026-W47)</td>');
      const listed = await digest(['comparisons', 'list'], env, clock);
      expect(listed.stdout).toContain(`${CURSOR}\tCursor 3 vs Windsurf Wave 14\t`);
      expect(listed.stdout).toMatch(
        new RegExp(`${CURSOR}\\t.*\\t2026-W48 \\(upcoming, held back from 2026-W47\\)\\n`),
      );
    });
  });
});
