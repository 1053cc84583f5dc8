// Provider retries under concurrency: Resend (through Svix) resends an event it got no answer for under
// the same svix-id, and a retry can arrive while the first copy is still being handled. With eight
// requests in flight and every event posted three times, each event is stored once and every figure of
// `digest stats` counts it once.
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

const API_KEY = 're_test_webhook_retries_01';
const READERS = 24;
const IN_FLIGHT = 8;
const COPIES = 3;
const BROWSER =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15';
const LINK = 'https://example.com/compare/claude-code-vs-aider';
const sentPlus = (seconds: number) => new Date(AFTER_W47.getTime() + seconds * 1000);

interface Posting {
  readonly id: string;
  readonly body: string;
}

/** Posts every posting with at most `limit` requests in flight at once; answers their statuses in order. */
async function postAll(baseUrl: string, postings: readonly Posting[], limit: number): Promise<number[]> {
  const statuses: number[] = new Array(postings.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      for (let index = next++; index < postings.length; index = next++) {
        const posting = postings[index] as Posting;
        statuses[index] = (await postWebhook(baseUrl, posting.body, posting.id)).status;
      }
    }),
  );
  return statuses;
}

describe('webhook retries with many requests in flight', () => {
  let dbPath: string;
  let db: Db;
  let resend: ResendServer;
  let web: RunningServer;
  let readers: string[];

  const count = async (table: 'provider_events' | 'delivery_events') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const emailOf = (to: string) => {
    const email = resend.acceptedFor(to).find((accepted) => accepted.edition === '2026-W47');
    if (!email) throw new Error(`no 2026-W47 email for ${to}`);
    return email;
  };
  const weekStats = async () => {
    const run = await digest(['stats', '--json', '--week', '2026-W47'], { DIGEST_DB: dbPath });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    return (JSON.parse(run.stdout) as { editions: EditionStats[] }).editions[0];
  };

  beforeEach(async () => {
    dbPath = await freshDatabase(scratchDir());
    db = await openDatabase(dbPath);
    await importSamples(db);
    readers = await addReaders(db, READERS);
    resend = await startResendServer({ apiKey: API_KEY });
    web = await startWebhookSite(db, resend.url, API_KEY);
  });
  afterEach(async () => {
    await web.close();
    await resend.close();
    await db.destroy();
  });

  it('stores each event once and counts it once when every event arrives three times, copies side by side', async () => {
    const transport = createResendTransport({ apiKey: API_KEY, baseUrl: resend.url });
    const report = await sendEdition(sendDeps(db, transport, { clock: fixedClock(AFTER_W47) }), '2026-W47');
    expect(report.outcome).toBe('sent');

    // Each reader's email is delivered, opened and clicked once, as a person reads (an hour apart).
    const events: Posting[] = readers.flatMap((to, n) => {
      const email = emailOf(to);
      return [
        { id: `msg_${n}_delivered`, body: resendEvent('email.delivered', email, sentPlus(5)) },
        { id: `msg_${n}_opened`, body: resendEvent('email.opened', email, sentPlus(3000)) },
        {
          id: `msg_${n}_clicked`,
          body: resendEvent('email.clicked', email, sentPlus(3601), {
            click: {
              link: LINK,
              timestamp: sentPlus(3600).toISOString(),
              userAgent: BROWSER,
              ipAddress: '198.51.100.7',
            },
          }),
        },
      ];
    });
    // The copies of an event are next to one another, so they are in flight at the same time.
    const postings = events.flatMap((event) => Array.from({ length: COPIES }, () => event));
    const statuses = await postAll(web.url, postings, IN_FLIGHT);
    expect(statuses.filter((status) => status !== 200)).toEqual([]);

    expect(await count('provider_events')).toBe(events.length);
    expect(await count('delivery_events')).toBe(events.length);

    expect(await weekStats()).toMatchObject({
      sent: READERS,
      delivered: READERS,
      opened: READERS,
      clicked: READERS,
      clicks: READERS,
      machineClicks: 0,
    });
  });

  it("suppresses whom the policy says when bounces and complaints arrive twice beside the same readers' other events", async () => {
    const transport = createResendTransport({ apiKey: API_KEY, baseUrl: resend.url });
    const report = await sendEdition(sendDeps(db, transport, { clock: fixedClock(AFTER_W47) }), '2026-W47');
    expect(report.outcome).toBe('sent');

    // In fours: a reader whose address does not exist (delayed first), one with a full mailbox, one who
    // reads it and then marks it as spam, and one who reads it.
    const bounce = (type: string) => ({ bounce: { type, subType: 'General', message: `${type} bounce` } });
    const events: Posting[] = readers.flatMap((to, n) => {
      const email = emailOf(to);
      const id = (kind: string) => `msg_${n}_${kind}`;
      switch (n % 4) {
        case 0:
          return [
            { id: id('delayed'), body: resendEvent('email.delivery_delayed', email, sentPlus(5)) },
            {
              id: id('bounced'),
              body: resendEvent('email.bounced', email, sentPlus(60), bounce('Permanent')),
            },
          ];
        case 1:
          return [
            {
              id: id('bounced'),
              body: resendEvent('email.bounced', email, sentPlus(60), bounce('Transient')),
            },
          ];
        case 2:
          return [
            { id: id('delivered'), body: resendEvent('email.delivered', email, sentPlus(5)) },
            { id: id('opened'), body: resendEvent('email.opened', email, sentPlus(3000)) },
            { id: id('complained'), body: resendEvent('email.complained', email, sentPlus(3100)) },
          ];
        default:
          return [
            { id: id('delivered'), body: resendEvent('email.delivered', email, sentPlus(5)) },
            { id: id('opened'), body: resendEvent('email.opened', email, sentPlus(3000)) },
          ];
      }
    });
    // Each event twice in a row, so copies and a reader's other events are in flight together.
    const postings = events.flatMap((event) => [event, event]);
    const statuses = await postAll(web.url, postings, IN_FLIGHT);
    expect(statuses.filter((status) => status !== 200)).toEqual([]);

    expect(await count('provider_events')).toBe(events.length);
    expect(await count('delivery_events')).toBe(events.length);
    const quarter = READERS / 4;
    expect(await weekStats()).toMatchObject({
      sent: READERS,
      delivered: 2 * quarter,
      delayed: quarter,
      bounced: { permanent: quarter, transient: quarter },
      complained: quarter,
      opened: 2 * quarter,
    });
    const statusOf = async (n: number) => (await findSubscriberByKey(db, readers[n] ?? ''))?.status;
    for (const [n] of readers.entries())
      expect([n, await statusOf(n)]).toEqual([n, ['bounced', 'active', 'complained', 'active'][n % 4]]);
  });
});
