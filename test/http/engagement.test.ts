// Engagement end to end (docs/engagement.md): a real send through the Resend-compatible server, Svix-signed webhook events
// about its real provider ids posted over HTTP, then `digest stats` figure by figure and the readers' statuses.
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Db, openDatabase } from '../../src/adapters/database.js';
import { createResendTransport } from '../../src/adapters/resend-transport.js';
import { findSubscriberByKey } from '../../src/adapters/subscriber-repository.js';
import { fixedClock } from '../../src/domain/clock.js';
import type { EditionStats } from '../../src/domain/edition-stats.js';
import { sendEdition } from '../../src/services/send-edition.js';
import type { RunningServer } from '../../src/web/server.js';
import { digest, scratchDir } from '../support/cli.js';
import { freshDatabase } from '../support/db.js';
import { type ResendServer, startResendServer } from '../support/resend-server.js';
import { AFTER_W47, addReaders, importSamples, sendDeps } from '../support/sending.js';
import { postWebhook, resendEvent, startWebhookSite } from '../support/webhooks.js';

const API_KEY = 're_test_engagement_0123';
const SENT = AFTER_W47; // the send's clock: every sent_at
const BROWSER =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const CLAUDE = 'https://example.com/compare/claude-code-vs-aider';
const CURSOR = 'https://example.com/compare/cursor-3-vs-windsurf-wave-14';
const HUGGING = 'https://example.com/compare/hugging-face-inference-providers-hub-vs-mistral-3-small-22b';
const WEB_VERSION = 'https://news.verdicts.test/editions/2026-W47';
const sentPlus = (seconds: number) => new Date(SENT.getTime() + seconds * 1000);

describe('engagement: webhook events to digest stats', () => {
  let dir: string;
  let dbPath: string;
  let db: Db;
  let resend: ResendServer;
  let web: RunningServer;
  let readers: string[];
  let eventCount = 0;

  beforeEach(async () => {
    dir = scratchDir();
    dbPath = await freshDatabase(dir);
    db = await openDatabase(dbPath);
    await importSamples(db);
    readers = await addReaders(db, 14);
    // reader-0014 is refused by the provider at send time: failed in the ledger.
    resend = await startResendServer({ apiKey: API_KEY, rejectRecipients: new Set([readers[13] ?? '']) });
    web = await startWebhookSite(db, resend.url, API_KEY);
  });
  afterEach(async () => {
    await web.close();
    await resend.close();
    await db.destroy();
  });

  async function send(week: string, at: Date) {
    const transport = createResendTransport({ apiKey: API_KEY, baseUrl: resend.url });
    return sendEdition(sendDeps(db, transport, { clock: fixedClock(at) }), week);
  }

  /** The email of `week` that reader number `n` (1-based) got, as the provider accepted it. */
  function emailOf(n: number, week = '2026-W47') {
    const to = readers[n - 1] ?? '';
    const email = resend.acceptedFor(to).find((accepted) => accepted.edition === week);
    if (!email) throw new Error(`no ${week} email for ${to}`);
    return email;
  }

  async function post(type: string, n: number, at: Date, extra: Record<string, unknown> = {}, week?: string) {
    const email = emailOf(n, week);
    eventCount++;
    return postWebhook(web.url, resendEvent(type, email, at, extra), `msg_${eventCount}`);
  }

  const click = (n: number, seconds: number, link: string, userAgent = BROWSER) =>
    post('email.clicked', n, sentPlus(seconds + 1), {
      click: { link, timestamp: sentPlus(seconds).toISOString(), userAgent, ipAddress: '198.51.100.7' },
    });

  async function stats(...args: string[]): Promise<EditionStats[]> {
    const run = await digest(['stats', '--json', ...args], { DIGEST_DB: dbPath });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    return (JSON.parse(run.stdout) as { editions: EditionStats[] }).editions;
  }

  async function statusOf(n: number) {
    const subscriber = await findSubscriberByKey(db, readers[n - 1] ?? '');
    return { status: subscriber?.status, cause: subscriber?.status_reason };
  }

  it('counts each figure of an edition from the events Resend reports, and suppresses whom the policy says', async () => {
    const report = await send('2026-W47', SENT);
    expect(report.outcome).toBe('sent');

    // Readers 1 and 2 read and click like people: an hour or two after delivery, one link at a time.
    for (const n of [1, 2, 3, 4, 6, 9, 12, 13]) await post('email.delivered', n, sentPlus(5));
    await post('email.opened', 1, sentPlus(3000));
    await click(1, 3600, CLAUDE);
    await click(1, 3900, `${CLAUDE}/?utm_source=digest#verdict`);
    await click(1, 4200, WEB_VERSION);
    await post('email.opened', 2, sentPlus(7000));
    await click(2, 7200, CURSOR);

    // Reader 3's gateway opens every link within a second. Its first click, alone, looks like a person...
    await click(3, 1800, CLAUDE);
    expect((await stats('--week', '2026-W47'))[0]).toMatchObject({ clicked: 3, machineClicks: 0 });
    // ...until the rest of the burst arrives and turns the whole burst into machine clicks.
    await click(3, 1800.4, CURSOR);
    await click(3, 1800.9, HUGGING);
    await click(3, 1801.2, WEB_VERSION);
    expect((await stats('--week', '2026-W47'))[0]).toMatchObject({ clicked: 2, machineClicks: 4 });

    // Reader 4: a known scanner's user agent, hours later.
    await click(4, 10_800, CLAUDE, 'Mimecast URL Protect');
    // Reader 5: a click that reached us before the delivered event; delivery came five minutes after the
    // send, and the click three seconds after that: a gateway, once the delivery time is known.
    await click(5, 303, HUGGING);
    expect((await stats('--week', '2026-W47'))[0]).toMatchObject({ clicked: 3, machineClicks: 5 });
    await post('email.delivered', 5, sentPlus(300));
    expect((await stats('--week', '2026-W47'))[0]).toMatchObject({ clicked: 2, machineClicks: 6 });

    // Reader 6: delayed, then delivered and opened.
    await post('email.delivery_delayed', 6, sentPlus(2));
    await post('email.opened', 6, sentPlus(9000));
    // Reader 7: a full mailbox. Reader 8: the address does not exist. Reader 9: marks it as spam.
    await post('email.bounced', 7, sentPlus(60), {
      bounce: { type: 'Transient', subType: 'MailboxFull', message: 'mailbox full' },
    });
    await post('email.bounced', 8, sentPlus(60), {
      bounce: {
        type: 'Permanent',
        subType: 'General',
        message: 'mailbox does not exist',
        diagnosticCode: ['smtp; 550 5.1.1 user unknown'],
      },
    });
    await post('email.complained', 9, sentPlus(9500));
    // Reader 10: on Resend's suppression list. Reader 11: accepted, then reported failed.
    await post('email.suppressed', 10, sentPlus(1), {
      suppressed: { type: 'Suppressed', reason: 'previous_bounce', message: 'previously bounced' },
    });
    await post('email.failed', 11, sentPlus(1), { failed: { reason: 'reached_daily_quota' } });
    // Reader 12 clicks the footer's unsubscribe link (tracked by Resend: not a click on the content), then
    // the mail client's button posts the List-Unsubscribe URL (RFC 8058 one-click).
    const header = emailOf(12).headers?.['List-Unsubscribe'] ?? '';
    const unsubscribeUrl = /<(https:\/\/[^>]+)>/.exec(header)?.[1] ?? '';
    expect(unsubscribeUrl).toMatch(/^https:\/\/news\.verdicts\.test\/unsubscribe\/[\w-]+\?e=2026-W47$/);
    expect(emailOf(12).html).toContain(unsubscribeUrl);
    await click(12, 5000, unsubscribeUrl);
    const { pathname, search } = new URL(unsubscribeUrl);
    const oneClick = await fetch(`${web.url}${pathname}${search}`, {
      method: 'POST',
      body: 'List-Unsubscribe=One-Click',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      redirect: 'manual',
    });
    expect(oneClick.status).toBe(200);
    // Replays of the same svix-id change nothing.
    const replay = resendEvent('email.opened', emailOf(1), sentPlus(3000));
    expect((await postWebhook(web.url, replay, 'msg_replayed')).json).toEqual({ status: 'applied' });
    expect((await postWebhook(web.url, replay, 'msg_replayed')).json).toEqual({ status: 'duplicate' });

    const [w47] = await stats('--week', '2026-W47');
    expect(w47).toEqual({
      week: '2026-W47',
      status: 'sent',
      eligible: 14,
      sent: 12, // 13 accepted, one of them reported failed afterwards
      failed: 2, // refused at send (reader 14) and reported failed (reader 11)
      delivered: 9,
      delayed: 1,
      bounced: { permanent: 1, transient: 1 },
      complained: 1,
      suppressed: 1,
      unsubscribed: 1,
      opened: 3,
      clicked: 2,
      clicks: 4,
      machineClicks: 6,
      voters: 0,
      votes: 0,
      rates: {
        delivered: 0.75,
        bounced: 0.1667,
        complained: 0.1111,
        unsubscribed: 0.1111,
        opened: 0.3333,
        clicked: 0.2222,
      },
      comparisons: [
        { slug: 'claude-code-vs-aider', title: 'Claude Code vs Aider', clicks: 2, clickers: 1, votes: 0 },
        { slug: 'cursor-3-vs-windsurf-wave-14', title: expect.any(String), clicks: 1, clickers: 1, votes: 0 },
        {
          slug: 'hugging-face-inference-providers-hub-vs-mistral-3-small-22b',
          title: expect.any(String),
          clicks: 0,
          clickers: 0,
          votes: 0,
        },
      ],
    });

    expect(await statusOf(7)).toEqual({ status: 'active', cause: null });
    expect(await statusOf(8)).toEqual({
      status: 'bounced',
      cause: 'permanent bounce on 2026-W47 (General: mailbox does not exist)',
    });
    expect(await statusOf(9)).toEqual({ status: 'complained', cause: 'spam complaint on 2026-W47' });
    expect(await statusOf(10)).toEqual({
      status: 'bounced',
      cause: 'suppressed by Resend on 2026-W47 (previous_bounce)',
    });
    expect((await statusOf(11)).status).toBe('active');
    expect((await statusOf(12)).status).toBe('unsubscribed');
    expect((await statusOf(14)).status).toBe('active');

    // Every click is kept as its own event, with what Resend sent about it.
    const clicks = await db
      .selectFrom('delivery_events')
      .select(['link', 'user_agent', 'ip_address', 'kind', 'machine_reason', 'comparison_slug'])
      .where('type', '=', 'clicked')
      .orderBy('id')
      .execute();
    expect(clicks).toHaveLength(11);
    expect(clicks[0]).toEqual({
      link: CLAUDE,
      user_agent: BROWSER,
      ip_address: '198.51.100.7',
      kind: 'human',
      machine_reason: null,
      comparison_slug: 'claude-code-vs-aider',
    });
    expect(clicks.map((row) => row.machine_reason).filter(Boolean)).toEqual([
      'burst of links',
      'burst of links',
      'burst of links',
      'burst of links',
      'scanner user agent',
      'right after delivery',
    ]);
    expect(clicks.at(-1)).toMatchObject({ kind: 'personal', comparison_slug: null });

    // The table: one line per edition with the rates, then the comparisons.
    const table = await digest(['stats', '--week', '2026-W47'], { DIGEST_DB: dbPath });
    const lines = table.stdout.split('\n');
    expect(lines[0]).toMatch(
      /^week\s+status\s+eligible\s+sent\s+failed\s+delivered\s+delayed\s+bounced p\/t/,
    );
    expect(lines[1]).toMatch(
      /^2026-W47\s+sent\s+14\s+12\s+2\s+9 75\.0%\s+1\s+1\/1 16\.7%\s+1 11\.1%\s+1 11\.1%\s+3 33\.3%\s+2 22\.2%\s+6\s+0$/,
    );
    expect(table.stdout).toMatch(/claude-code-vs-aider\s+2\s+1\s+0\n/);
    expect(table.stdout).toContain('Opens are approximate');
  });

  it('suppresses a reader after three soft bounces on consecutive editions, not before', async () => {
    const soft = { bounce: { type: 'Transient', subType: 'MailboxFull', message: 'mailbox full' } };
    const undetermined = { bounce: { type: 'Undetermined', subType: 'Undetermined', message: '' } };
    await send('2026-W46', new Date('2026-11-20T10:00:00Z'));
    await post('email.bounced', 1, new Date('2026-11-20T10:01:00Z'), soft, '2026-W46');
    await post('email.bounced', 2, new Date('2026-11-20T10:01:00Z'), soft, '2026-W46');
    await send('2026-W47', SENT);
    await post('email.bounced', 1, sentPlus(60), undetermined);
    // Reader 2's mailbox had room again in W47.
    await post('email.delivered', 2, sentPlus(5));
    expect((await statusOf(1)).status).toBe('active');
    const w48 = await send('2026-W48', new Date('2026-12-02T10:00:00Z'));
    expect(w48.counts?.byStatus.sent).toBe(14 - 1); // reader 14 is still refused
    await post('email.bounced', 1, new Date('2026-12-02T10:01:00Z'), soft, '2026-W48');
    await post('email.bounced', 2, new Date('2026-12-02T10:01:00Z'), soft, '2026-W48');
    expect(await statusOf(1)).toEqual({
      status: 'bounced',
      cause:
        '3 soft bounces in a row (2026-W46, 2026-W47, 2026-W48), the last transient (MailboxFull: mailbox full)',
    });
    expect((await statusOf(2)).status).toBe('active');

    const editions = await stats();
    expect(editions.map((edition) => [edition.week, edition.bounced])).toEqual([
      ['2026-W48', { permanent: 0, transient: 2 }],
      ['2026-W47', { permanent: 0, transient: 1 }],
      ['2026-W46', { permanent: 0, transient: 2 }],
    ]);
    // Without --week, the table has one line per edition, newest first.
    const table = await digest(['stats'], { DIGEST_DB: dbPath });
    expect(
      table.stdout
        .split('\n')
        .slice(1, 4)
        .map((line) => line.split(/\s+/)[0]),
    ).toEqual(['2026-W48', '2026-W47', '2026-W46']);
  });

  it('attributes an unsubscribe to the edition whose link was used, through the page and its button', async () => {
    await send('2026-W46', new Date('2026-11-20T10:00:00Z'));
    await send('2026-W47', SENT);
    // Reader 1 opens the W46 email's footer link days later: the page, then its button.
    const footer = /https:\/\/news\.verdicts\.test\/unsubscribe\/[\w-]+\?e=2026-W46/.exec(
      emailOf(1, '2026-W46').text ?? '',
    )?.[0];
    expect(footer).toBeDefined();
    const { pathname, search } = new URL(footer ?? '');
    const page = await fetch(`${web.url}${pathname}${search}`);
    expect(page.status).toBe(200);
    const action = /<form action="([^"]+)" method="post"/.exec(await page.text())?.[1] ?? '';
    expect(action).toBe(`${pathname}?e=2026-W46`);
    expect((await statusOf(1)).status).toBe('active'); // GET never changes anything
    expect((await fetch(`${web.url}${action}`, { method: 'POST' })).status).toBe(200);
    expect((await fetch(`${web.url}${action}`, { method: 'POST' })).status).toBe(200); // idempotent
    // Reader 2 through the preferences page of the W47 email.
    const preferences = /https:\/\/news\.verdicts\.test\/preferences\/[\w-]+\?e=2026-W47/.exec(
      emailOf(2).text ?? '',
    )?.[0];
    const prefsPage = await (
      await fetch(`${web.url}${new URL(preferences ?? '').pathname}?e=2026-W47`)
    ).text();
    const link = /href="(\/unsubscribe\/[^"]+)"/.exec(prefsPage)?.[1] ?? '';
    expect(link).toMatch(/\?e=2026-W47$/);
    expect((await fetch(`${web.url}${link.replace(/&amp;/g, '&')}`, { method: 'POST' })).status).toBe(200);
    // Reader 3 with a link that names no edition, reader 4 with one naming an edition they never got.
    const bare = new URL(footer ?? '').pathname.replace(/[\w-]+$/, '');
    const tokenOf = async (n: number) => (await findSubscriberByKey(db, readers[n - 1] ?? ''))?.token ?? '';
    await fetch(`${web.url}${bare}${await tokenOf(3)}`, { method: 'POST' });
    await fetch(`${web.url}${bare}${await tokenOf(4)}?e=2026-W40`, { method: 'POST' });
    for (const n of [1, 2, 3, 4]) expect((await statusOf(n)).status).toBe('unsubscribed');

    const editions = await stats();
    expect(editions.map((edition) => [edition.week, edition.unsubscribed])).toEqual([
      ['2026-W47', 1],
      ['2026-W46', 1],
    ]);
  });

  it("erases the address from every table when the subscriber is removed, keeping the others' events", async () => {
    await send('2026-W47', SENT);
    const gone = readers[0] ?? '';
    const kept = readers[1] ?? '';
    await post('email.delivered', 1, sentPlus(5));
    await post('email.opened', 1, sentPlus(600));
    await post('email.clicked', 1, sentPlus(3601), {
      click: {
        link: CLAUDE,
        timestamp: sentPlus(3600).toISOString(),
        userAgent: BROWSER,
        ipAddress: '203.0.113.77',
      },
    });
    await post('email.bounced', 1, sentPlus(4000), {
      bounce: {
        type: 'Transient',
        subType: 'MailboxFull',
        message: `550 <${gone.toUpperCase()}> over quota`,
      },
    });
    // Mail outside the ledger (the welcome email) is tied to the person by address.
    const welcome = resendEvent('email.delivered', { id: 'em_welcome', to: gone }, SENT);
    expect((await postWebhook(web.url, welcome, 'msg_welcome')).status).toBe(200);
    const token = (await findSubscriberByKey(db, gone))?.token ?? '';
    await fetch(`${web.url}/unsubscribe/${token}?e=2026-W47`, { method: 'POST' });
    await post('email.delivered', 2, sentPlus(5));
    await post('email.clicked', 2, sentPlus(3601), {
      click: {
        link: CURSOR,
        timestamp: sentPlus(3600).toISOString(),
        userAgent: BROWSER,
        ipAddress: '198.51.100.9',
      },
    });

    const removed = await digest(['subscribers', 'remove', gone.toUpperCase()], { DIGEST_DB: dbPath });
    expect(removed.code).toBe(0);

    // Every row of every table, as text: neither the address nor anything located by it remains.
    const everything = async () => {
      const tables = await db.introspection.getTables();
      let text = '';
      for (const { name } of tables)
        text += JSON.stringify((await sql`select * from ${sql.table(name)}`.execute(db)).rows);
      return text.toLowerCase();
    };
    const dump = await everything();
    expect(dump).not.toContain(gone);
    expect(dump).not.toContain('203.0.113.77');
    expect(dump).toContain(kept);
    expect(dump).toContain('198.51.100.9');
    // The events themselves stay, impersonal, so a replay is still recognised and not stored again.
    const stored = await db
      .selectFrom('provider_events')
      .select(['svix_id', 'subscriber_id'])
      .where('payload', 'like', '%"redacted":true%')
      .execute();
    expect(stored).toHaveLength(5);
    expect(stored.every((row) => row.subscriber_id === null)).toBe(true);
    expect((await postWebhook(web.url, welcome, 'msg_welcome')).json).toEqual({ status: 'duplicate' });
    expect(await everything()).not.toContain(gone);
    const [w47] = await stats('--week', '2026-W47');
    expect(w47).toMatchObject({ delivered: 1, clicked: 1, unsubscribed: 0, bounced: { transient: 0 } });
  });

  it('stores an event about mail it cannot tie to anyone without personal data, and ignores it', async () => {
    const body = resendEvent('email.bounced', { id: 'em_unknown', to: 'Stranger@Example.com' }, SENT, {
      bounce: { type: 'Permanent', message: '550 <stranger@example.com> unknown' },
    });
    expect((await postWebhook(web.url, body, 'msg_stranger')).json).toEqual({ status: 'ignored' });
    const stored = await db.selectFrom('provider_events').selectAll().executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ svix_id: 'msg_stranger', email_id: 'em_unknown', subscriber_id: null });
    expect(stored.payload.toLowerCase()).not.toContain('stranger');
  });

  it('refuses an unknown week with a sentence, and says so when there are no editions', async () => {
    const unknown = await digest(['stats', '--week', '2026-W40'], { DIGEST_DB: dbPath });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe('There is no edition for 2026-W40; `digest editions` lists them.\n');
    const none = await digest(['stats'], { DIGEST_DB: dbPath });
    expect(none).toMatchObject({ code: 0, stdout: 'No editions yet.\n', stderr: '' });
    expect(JSON.parse((await digest(['stats', '--json'], { DIGEST_DB: dbPath })).stdout)).toEqual({
      editions: [],
    });
    const bad = await digest(['stats', '--week', 'last'], { DIGEST_DB: dbPath });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--week: "last" is not an ISO week');
  });
});
