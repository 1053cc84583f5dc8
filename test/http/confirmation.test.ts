// Consent a machine cannot give: opening a confirmation link (a scanner's HEAD or GET) changes nothing and
// sends nothing; the page's form POST confirms, once; a sign-up for an address on the list leaves it as it
// is until the person confirms.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SubscriberStatus } from '../../db/schema.js';
import { type BackgroundTasks, createBackgroundTasks } from '../../src/adapters/background-tasks.js';
import type { Db } from '../../src/adapters/database.js';
import { silentLogger } from '../../src/adapters/logger.js';
import { createOutboxTransport, listOutbox } from '../../src/adapters/outbox-transport.js';
import { findSubscriberByKey, setSubscriberStatus } from '../../src/adapters/subscriber-repository.js';
import { fixedClock } from '../../src/domain/clock.js';
import { addSubscribers } from '../../src/services/subscribers.js';
import { createApp } from '../../src/web/app.js';
import { scratchDir } from '../support/cli.js';
import { testDatabase } from '../support/db.js';
import { importSamples, testConfig } from '../support/sending.js';

const start = new Date('2026-11-25T10:00:00Z');
const HOUR = 3_600_000;

describe('confirmation links', () => {
  let db: Db;
  let outbox: string;
  let clock: ReturnType<typeof fixedClock>;
  let app: ReturnType<typeof createApp>;
  let tasks: BackgroundTasks;

  beforeEach(async () => {
    db = await testDatabase();
    await importSamples(db);
    outbox = join(scratchDir(), 'outbox');
    clock = fixedClock(start);
    tasks = createBackgroundTasks(silentLogger);
    const transport = createOutboxTransport(outbox, clock);
    app = createApp({ db, clock, config: testConfig(), transport, log: silentLogger, tasks });
  });
  afterEach(async () => {
    await db.destroy();
  });

  const request: typeof app.request = async (...args) => {
    const response = await app.request(...args);
    await tasks.drain();
    return response;
  };
  const form = (fields: Record<string, string>) => ({
    method: 'POST',
    body: new URLSearchParams(fields),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  const mails = async () =>
    Promise.all((await listOutbox(outbox)).map((name) => simpleParser(readFileSync(join(outbox, name)))));
  const subjects = async () => (await mails()).map((mail) => mail.subject ?? '');
  /** The tokens of the confirmation links sent to `to`, oldest first. */
  const tokensSentTo = async (to: string) =>
    (await mails())
      .filter((mail) => mail.subject?.startsWith('Confirm') && JSON.stringify(mail.to).includes(to))
      .sort((a, b) => (a.date?.getTime() ?? 0) - (b.date?.getTime() ?? 0))
      .map((mail) => /\/confirm\?token=([A-Za-z0-9_-]+)/.exec(mail.text ?? '')?.[1] ?? '');
  const signUp = async (email: string, categories?: string) => {
    await request('/subscribe', form({ email, ...(categories ? { categories } : {}) }));
    const token = (await tokensSentTo(email)).at(-1);
    return token ?? '';
  };
  const status = async (email: string) => (await findSubscriberByKey(db, email))?.status;
  const post = (token: string) => request('/confirm', form({ token }));

  it('changes nothing and sends nothing on HEAD or GET of the link', async () => {
    const token = await signUp('scanned@example.com');
    const head = await request(`/confirm?token=${token}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    const opened = await request(`/confirm?token=${token}`);
    expect(opened.status).toBe(200);
    expect(opened.headers.get('cache-control')).toBe('no-store');
    const page = await opened.text();
    expect(page).toContain('Confirm my subscription');
    expect(page).toContain('<form id="confirm-subscription" action="/confirm" method="post">');
    expect(page).toContain(`<input type="hidden" name="token" value="${token}"/>`);
    expect(await status('scanned@example.com')).toBe('pending');
    expect(await subjects()).toEqual(['Confirm your subscription to Weekly AI Tool Verdicts']);
  });

  it('allows exactly the page script by its hash in the CSP, and no script on other pages', async () => {
    const token = await signUp('hash@example.com');
    const opened = await request(`/confirm?token=${token}`);
    const script = /<script>([^<]*)<\/script>/.exec(await opened.text())?.[1] ?? '';
    expect(script).toContain('.submit()');
    const hash = createHash('sha256').update(script).digest('base64');
    const csp = opened.headers.get('content-security-policy') ?? '';
    expect(csp).toContain(`script-src 'sha256-${hash}'`);
    expect(csp).toMatch(/default-src 'none'/);
    for (const path of ['/', '/editions'])
      expect((await request(path)).headers.get('content-security-policy')).not.toContain('script-src');
  });

  it('confirms on the POST, once: a second POST or visit says "You\'re subscribed" and sends nothing', async () => {
    const token = await signUp('once@example.com');
    const confirmed = await post(token);
    expect(confirmed.status).toBe(200);
    expect(await confirmed.text()).toContain('You&#x27;re subscribed');
    expect(await status('once@example.com')).toBe('active');
    for (const again of [() => post(token), () => request(`/confirm?token=${token}`)]) {
      const answer = await again();
      expect(answer.status).toBe(200);
      const page = await answer.text();
      expect(page).toContain('You&#x27;re subscribed');
      expect(page).not.toContain('Link not valid');
    }
    expect((await subjects()).filter((subject) => subject.startsWith('Welcome'))).toHaveLength(1);
  });

  it('says an expired link has expired and offers a new sign-up, on GET and POST', async () => {
    const token = await signUp('late@example.com');
    clock.advance(73 * HOUR);
    for (const answer of [await request(`/confirm?token=${token}`), await post(token)]) {
      expect(answer.status).toBe(400);
      const page = await answer.text();
      expect(page).toContain('This link has expired');
      expect(page).toContain('<a href="/">Sign up again</a>');
    }
    expect(await status('late@example.com')).toBe('pending');
  });

  it('refuses a forged token and a missing one with 400', async () => {
    expect((await post('AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).status).toBe(400);
    expect((await request('/confirm')).status).toBe(400);
    expect((await request('/confirm', form({}))).status).toBe(400);
  });

  it('keeps an unsubscribed address unsubscribed, choices and consent untouched, until its person confirms', async () => {
    await signUp('left@example.com', 'Coding Agents');
    await post((await tokensSentTo('left@example.com'))[0] ?? '');
    const before = await findSubscriberByKey(db, 'left@example.com');
    await request(`/unsubscribe/${before?.token}`, { method: 'POST' });
    clock.advance(HOUR);
    const token = await signUp('left@example.com', 'Local Inference');
    const waiting = await findSubscriberByKey(db, 'left@example.com');
    expect(waiting).toMatchObject({
      status: 'unsubscribed',
      categories: '["Coding Agents"]',
      consent_at: before?.consent_at,
    });
    // The page of the link (a scanner's fetch) changes nothing either.
    await request(`/confirm?token=${token}`, { method: 'HEAD' });
    await request(`/confirm?token=${token}`);
    expect(await status('left@example.com')).toBe('unsubscribed');
    await post(token);
    expect(await findSubscriberByKey(db, 'left@example.com')).toMatchObject({
      status: 'active',
      categories: '["Local Inference"]',
      consent_at: clock.now().toISOString(),
    });
  });

  it('does not bring back, by a link sent before they left, someone who unsubscribed', async () => {
    const first = await signUp('early@example.com');
    const second = await signUp('early@example.com');
    await post(first);
    const subscriber = await findSubscriberByKey(db, 'early@example.com');
    clock.advance(HOUR);
    await request(`/unsubscribe/${subscriber?.token}`, { method: 'POST' });
    expect((await post(second)).status).toBe(400);
    expect(await status('early@example.com')).toBe('unsubscribed');
  });

  it.each<SubscriberStatus>(['bounced', 'complained'])(
    'leaves a %s address as it is, and mails it nothing, whoever signs it up',
    async (kept) => {
      await addSubscribers({ db, clock }, ['kept@example.com'], { status: 'active', categories: [] });
      const id = (await findSubscriberByKey(db, 'kept@example.com'))?.id ?? 0;
      await setSubscriberStatus(db, id, kept, start, `email.${kept}`);
      const answer = await request('/subscribe', form({ email: 'kept@example.com' }));
      expect(answer.status).toBe(200);
      expect(await status('kept@example.com')).toBe(kept);
      expect(await subjects()).toEqual([]);
    },
  );

  it('still sends at most 3 confirmation emails a day to an unsubscribed address', async () => {
    await addSubscribers({ db, clock }, ['flood@example.com'], { status: 'active', categories: [] });
    const id = (await findSubscriberByKey(db, 'flood@example.com'))?.id ?? 0;
    await setSubscriberStatus(db, id, 'unsubscribed', start, 'unsubscribed by link');
    for (let attempt = 0; attempt < 5; attempt++) await signUp('flood@example.com');
    expect(await tokensSentTo('flood@example.com')).toHaveLength(3);
    expect(await status('flood@example.com')).toBe('unsubscribed');
  });

  it('lets an unsubscribed reader come back from their own page, status unchanged until confirmed', async () => {
    await addSubscribers({ db, clock }, ['own@example.com'], { status: 'active', categories: [] });
    const own = (await findSubscriberByKey(db, 'own@example.com'))?.token ?? '';
    await request(`/unsubscribe/${own}`, { method: 'POST' });
    clock.advance(HOUR);
    const answer = await request(`/resubscribe/${own}`, { method: 'POST' });
    expect(await answer.text()).toContain('Check your inbox');
    expect(await status('own@example.com')).toBe('unsubscribed');
    await post((await tokensSentTo('own@example.com')).at(-1) ?? '');
    expect(await status('own@example.com')).toBe('active');
  });
});
