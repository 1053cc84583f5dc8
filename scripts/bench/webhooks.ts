// Signed Resend webhooks against /healthz on the built `digest serve`, in the same run, 8 requests in flight:
// distinct events of a sent edition (delivered, delayed, opened, clicked, bounced, complained) with one in
// ten posted twice under the same svix-id right after itself (a provider retry, often while the first copy
// is still being handled). Afterwards, every event must be stored once and `digest stats` must count
// exactly what was sent.
import { openDatabase } from '../../src/adapters/database.js';
import { loadEditionItems } from '../../src/adapters/edition-repository.js';
import type { EditionStats } from '../../src/domain/edition-stats.js';
import { resendEvent, svixHeaders, WEBHOOK_SECRET } from '../../test/support/webhooks.js';
import {
  AFTER_WEEK,
  type LoadResult,
  load,
  row,
  runBuilt,
  sentEditionDatabase,
  startServe,
  WEEK,
} from './kit.js';

const READERS = 10_000;
const CLIENTS = 8;
const SECONDS = 5;
/** One event in RETRY_EVERY is posted a second time at once, under the same svix-id. */
const RETRY_EVERY = 10;
const BROWSER =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15';

type Kind = 'delivered' | 'delayed' | 'opened' | 'clicked' | 'permanent' | 'transient' | 'complained';

interface BenchEvent {
  readonly id: string;
  readonly body: string;
  readonly kind: Kind;
  readonly reader: number;
  /** The clicked comparison, for clicks. */
  readonly slug?: string;
}

const after = (minutes: number) => new Date(AFTER_WEEK.getTime() + minutes * 60_000);

/**
 * What the readers' emails did, as a provider reports it: one in twenty bounces for good, one in twenty is
 * delayed then bounces softly, the rest are delivered; of those half are opened, a quarter clicked (one
 * comparison each, by a person an hour later) and one in twenty complained about.
 */
function eventsOf(
  emails: readonly { id: string; to: string }[],
  comparisons: readonly { slug: string; url: string }[],
): BenchEvent[] {
  return emails.flatMap((email, reader) => {
    const event = (
      kind: Kind,
      type: string,
      at: Date,
      extra: Record<string, unknown> = {},
      slug?: string,
    ) => ({
      id: `msg_bench_${reader}_${kind}`,
      body: resendEvent(type, email, at, extra),
      kind,
      reader,
      ...(slug ? { slug } : {}),
    });
    const bounce = (type: string) => ({
      bounce: { type, subType: 'General', message: 'mailbox unavailable' },
    });
    if (reader % 20 === 0) return [event('permanent', 'email.bounced', after(1), bounce('Permanent'))];
    if (reader % 20 === 1)
      return [
        event('delayed', 'email.delivery_delayed', after(1)),
        event('transient', 'email.bounced', after(30), bounce('Transient')),
      ];
    const events = [event('delivered', 'email.delivered', after(1))];
    if (reader % 2 === 0) events.push(event('opened', 'email.opened', after(50)));
    if (reader % 4 === 2) {
      const comparison = comparisons[(reader >> 2) % comparisons.length] as { slug: string; url: string };
      const click = {
        link: comparison.url,
        timestamp: after(60).toISOString(),
        userAgent: BROWSER,
        ipAddress: '198.51.100.7',
      };
      events.push(event('clicked', 'email.clicked', after(60), { click }, comparison.slug));
    }
    if (reader % 20 === 3) events.push(event('complained', 'email.complained', after(70)));
    return events;
  });
}

/** The emails of the WEEK edition (provider id and address) and its comparisons. */
async function sentEmails(path: string) {
  const db = await openDatabase(path);
  try {
    const emails = await db
      .selectFrom('deliveries')
      .innerJoin('subscribers', 'subscribers.id', 'deliveries.subscriber_id')
      .select(['deliveries.provider_message_id as id', 'subscribers.email as to'])
      .where('deliveries.status', '=', 'sent')
      .orderBy('deliveries.id')
      .$narrowType<{ id: string }>()
      .execute();
    const edition = await db
      .selectFrom('editions')
      .select('id')
      .where('week_key', '=', WEEK)
      .executeTakeFirstOrThrow();
    return { emails, comparisons: await loadEditionItems(db, edition.id) };
  } finally {
    await db.destroy();
  }
}

/** What `digest stats` must say once these distinct events have been stored. */
function expectedStats(events: readonly BenchEvent[]) {
  const readers = (kind: Kind) =>
    new Set(events.filter((event) => event.kind === kind).map((e) => e.reader)).size;
  const clicks = new Map<string, number>();
  for (const event of events) if (event.slug) clicks.set(event.slug, (clicks.get(event.slug) ?? 0) + 1);
  return {
    delivered: readers('delivered'),
    delayed: readers('delayed'),
    bounced: { permanent: readers('permanent'), transient: readers('transient') },
    complained: readers('complained'),
    opened: readers('opened'),
    clicked: readers('clicked'),
    clicks: readers('clicked'),
    machineClicks: 0,
    comparisonClicks: clicks,
  };
}

function statusesOf(result: LoadResult): string {
  return Object.entries(result.statuses)
    .map(([status, n]) => `${n} × ${status}`)
    .join(', ');
}

export async function webhooks(): Promise<void> {
  const path = await sentEditionDatabase(READERS);
  const { emails, comparisons } = await sentEmails(path);
  const events = eventsOf(emails, comparisons);
  // Each retry right after its first copy: with 8 in flight, the two are usually handled side by side.
  const postings = events.flatMap((event, index) => (index % RETRY_EVERY === 0 ? [event, event] : [event]));
  const serve = await startServe(path, { RESEND_WEBHOOK_SECRET: WEBHOOK_SECRET });
  const health = `${serve.base}/healthz`;
  const hook = `${serve.base}/webhooks/resend`;
  let next = 0;
  const posting = (): RequestInit => {
    const { body, id } = postings[next++ % postings.length] as BenchEvent;
    return { method: 'POST', body, headers: svixHeaders(body, id) };
  };
  let healthRun: LoadResult;
  let hookRun: LoadResult;
  try {
    await load(health, CLIENTS, 1000); // warm-up
    healthRun = await load(health, CLIENTS, SECONDS * 1000);
    hookRun = await load(hook, CLIENTS, SECONDS * 1000, posting);
  } finally {
    await serve.stop();
  }
  const sent = Math.min(next, postings.length);
  const distinct = [...new Map(postings.slice(0, sent).map((event) => [event.id, event])).values()];
  row(
    `GET /healthz, ${CLIENTS} clients`,
    `${Math.round(healthRun.rate)} req/s, p50 ${healthRun.p50.toFixed(1)} ms (${statusesOf(healthRun)})`,
  );
  row(
    `POST /webhooks/resend, ${CLIENTS} clients`,
    `${Math.round(hookRun.rate)} events/s, p50 ${hookRun.p50.toFixed(1)} ms (${statusesOf(hookRun)}; ${next.toLocaleString('en')} posted, ${(next - distinct.length).toLocaleString('en')} retries)`,
  );
  row('webhooks / healthz throughput (target ≥ 0.5)', (hookRun.rate / healthRun.rate).toFixed(2));
  row('webhook events stored once, stats exact', await check(path, distinct, hookRun));
}

/** "yes", or what differs: stored rows against distinct svix-ids, and `digest stats` against what was sent. */
async function check(path: string, distinct: readonly BenchEvent[], run: LoadResult): Promise<string> {
  const problems: string[] = [];
  const answered = Object.values(run.statuses).reduce((sum, n) => sum + n, 0);
  if ((run.statuses[200] ?? 0) !== answered) problems.push(`answers ${statusesOf(run)}`);
  const db = await openDatabase(path);
  try {
    const count = async (table: 'provider_events' | 'delivery_events') =>
      Number(
        (
          await db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const stored = await count('provider_events');
    const recorded = await count('delivery_events');
    if (stored !== distinct.length)
      problems.push(`${stored} provider events for ${distinct.length} svix-ids`);
    if (recorded !== distinct.length)
      problems.push(`${recorded} delivery events for ${distinct.length} events`);
  } finally {
    await db.destroy();
  }
  const stats = await runBuilt(['stats', '--json', '--week', WEEK], { DIGEST_DB: path });
  if (stats.code !== 0) return `digest stats exited ${stats.code}: ${stats.stderr.trim()}`;
  const [edition] = (JSON.parse(stats.stdout) as { editions: EditionStats[] }).editions;
  if (!edition) return 'digest stats printed no edition';
  const { comparisonClicks, ...expected } = expectedStats(distinct);
  for (const [name, value] of Object.entries(expected)) {
    const actual = JSON.stringify(edition[name as keyof EditionStats]);
    if (actual !== JSON.stringify(value)) problems.push(`${name} ${actual}, sent ${JSON.stringify(value)}`);
  }
  for (const comparison of edition.comparisons) {
    const clicks = comparisonClicks.get(comparison.slug) ?? 0;
    if (comparison.clicks !== clicks || comparison.clickers !== clicks)
      problems.push(
        `${comparison.slug} ${comparison.clicks} clicks / ${comparison.clickers} clickers, sent ${clicks}`,
      );
  }
  return problems.length === 0
    ? `yes (${distinct.length.toLocaleString('en')} events, ${expected.delivered.toLocaleString('en')} delivered, ${expected.clicked.toLocaleString('en')} clicked)`
    : `NO: ${problems.join('; ')}`;
}
