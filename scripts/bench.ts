// npm run bench [subscribers]: the numbers behind BENCHMARKS.md, printed as one table. Loopback only.
// Commands run as the built `digest` (dist/digest.js) in child processes, as an operator runs them, so a
// send's peak RSS is its own, not the server's. `npm run bench -- <part> [subscribers]` runs one part:
// startup, send, pacing, web or stats. With DIGEST_DB=postgres://... every measurement runs on PostgreSQL
// instead of SQLite: each gets a new database on that server (the URL's user needs CREATEDB), dropped at
// the end.
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import type { DeliveryEventsTable } from '../db/schema.js';
import { manyComparisons } from '../emails/_fixtures/comparisons.js';
import { openDatabase } from '../src/adapters/database.js';
import { fixedClock } from '../src/domain/clock.js';
import { isPostgresUrl } from '../src/domain/database-location.js';
import { digestMessage, recipientLinks } from '../src/domain/digest-message.js';
import { createDigestRenderer, renderDigestContent } from '../src/services/digest-renderer.js';
import { engagementStats } from '../src/services/engagement.js';
import { personalise } from '../src/services/personalise.js';
import { startEdition } from '../src/services/plan-edition.js';
import { MAX_BATCH_CHARACTERS } from '../src/services/send-edition.js';
import { BUILT_DIGEST, projectRoot, runDigestProcess, spawnDigest } from '../test/support/child.js';
import { scratchDir } from '../test/support/cli.js';
import { startResendServer } from '../test/support/resend-server.js';
import { type ScratchDatabase, scratchDatabase } from '../test/support/scratch-database.js';
import { importSamples, testConfig } from '../test/support/sending.js';

const WEEK = '2026-W47';
const AFTER_WEEK = new Date('2026-11-25T10:00:00Z');
const API_KEY = 're_bench_0123456789';
const execFileAsync = promisify(execFile);

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const rows: [string, string][] = [];
const row = (name: string, value: string) => {
  rows.push([name, value]);
  console.error(`  ${name}: ${value}`);
};

const databaseServer = process.env.DIGEST_DB;
const databases: ScratchDatabase[] = [];

/** A database with the sample comparisons and `count` active subscribers, written in bulk. */
async function benchDatabase(count: number): Promise<string> {
  const database = await scratchDatabase(databaseServer, { prefix: 'digest_bench' });
  databases.push(database);
  const path = database.location;
  const db = await openDatabase(path);
  await importSamples(db);
  const at = new Date('2026-11-01T00:00:00Z').toISOString();
  await db.transaction().execute(async (trx) => {
    for (let start = 0; start < count; start += 500) {
      const values = Array.from({ length: Math.min(500, count - start) }, (_, offset) => {
        const email = `reader-${start + offset}@example.com`;
        return {
          email,
          email_key: email,
          status: 'active' as const,
          categories: '[]',
          token: randomBytes(16).toString('base64url'),
          source: 'cli',
          consent_at: at,
          status_changed_at: at,
          created_at: at,
          updated_at: at,
        };
      });
      await trx.insertInto('subscribers').values(values).execute();
    }
  });
  await db.destroy();
  return path;
}

async function renderVersusPersonalise(): Promise<void> {
  const config = testConfig();
  const input = {
    weekKey: WEEK,
    weekLabel: '16–22 November 2026',
    subject: 'S',
    comparisons: manyComparisons(10),
    followedCategories: [],
  };
  const renders: number[] = [];
  let content = await renderDigestContent(config, input);
  for (let run = 0; run < 20; run++) {
    const started = performance.now();
    content = await renderDigestContent(config, input);
    renders.push(performance.now() - started);
  }
  const copies = 10_000;
  const perCopy: number[] = [];
  let total = 0;
  for (let round = 0; round < 5; round++) {
    const started = performance.now();
    for (let copy = 0; copy < copies; copy++)
      personalise(content, recipientLinks(config.publicUrl, `token-${copy}`));
    const elapsed = performance.now() - started;
    total = elapsed;
    perCopy.push((elapsed * 1000) / copies);
  }
  const renderMs = median(renders);
  const personaliseUs = median(perCopy);
  row('render one 10-comparison digest (median)', `${renderMs.toFixed(1)} ms`);
  row('personalise one more copy (median)', `${personaliseUs.toFixed(1)} µs`);
  row('render / personalise', `${Math.round((renderMs * 1000) / personaliseUs)}x`);
  row('personalise 10,000 copies', `${total.toFixed(0)} ms`);
}

async function planning(count: number): Promise<void> {
  const path = await benchDatabase(count);
  const db = await openDatabase(path);
  const config = testConfig();
  const started = performance.now();
  await startEdition(
    { db, clock: fixedClock(AFTER_WEEK), config, renderer: createDigestRenderer(config) },
    WEEK,
  );
  const elapsed = performance.now() - started;
  const rowsWritten = (
    await db
      .selectFrom('deliveries')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
  ).n;
  await db.destroy();
  row(
    `plan an edition, ${count.toLocaleString('en')} subscribers`,
    `${elapsed.toFixed(0)} ms (${Number(rowsWritten).toLocaleString('en')} ledger rows)`,
  );
}

interface ChildReport {
  /** The whole command: start-up, planning, rendering and sending. */
  readonly ms: number;
  /** Emails per second from the first batch's answer to the last one's: the sending loop alone. */
  readonly steadyRate: number;
  readonly maxRssMb: number;
}

/** Reads the JSON log lines of `digest send` (one per batch) for the rate of the sending loop. */
function steadyRate(log: string): number {
  const batches = log
    .split('\n')
    .filter((line) => line.includes('"batch.done"'))
    .map((line) => JSON.parse(line) as { time: string; size: number });
  const first = batches[0];
  const last = batches.at(-1);
  if (!first || !last || first === last) return 0;
  const emails = batches.slice(1).reduce((sum, batch) => sum + batch.size, 0);
  return (emails * 1000) / (Date.parse(last.time) - Date.parse(first.time));
}

/** Peak resident memory so far (VmHWM) of a running process, in MB. */
function peakRssMb(pid: number): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0; // already gone
  }
}

/** Runs the built `digest send` as a child process, as an operator would, and watches its memory. */
function runSend(path: string, url: string, rate: number): Promise<ChildReport> {
  const env = {
    DIGEST_DB: path,
    RESEND_API_KEY: API_KEY,
    RESEND_BASE_URL: url,
    DIGEST_SECRET: 'bench-secret-0123456789abcdef0123456789',
    DIGEST_PUBLIC_URL: 'https://news.verdicts.test',
    DIGEST_SEND_RATE: String(rate),
  };
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawnDigest(['send', '--week', WEEK], env, { built: true });
    let peak = 0;
    const watch = setInterval(() => {
      peak = Math.max(peak, peakRssMb(child.pid ?? 0));
    }, 25);
    let log = '';
    child.stderr.on('data', (chunk) => {
      log += chunk;
    });
    child.stdout.resume();
    child.on('close', (code) => {
      clearInterval(watch);
      if (code === 0)
        resolve({ ms: performance.now() - started, steadyRate: steadyRate(log), maxRssMb: peak });
      else reject(new Error(`digest send exited ${code}: ${log.slice(-2000)}`));
    });
  });
}

async function endToEnd(counts: readonly number[]): Promise<number> {
  const results: (ChildReport & { sent: number })[] = [];
  for (const count of counts) {
    const path = await benchDatabase(count);
    const server = await startResendServer({ apiKey: API_KEY, keepBodies: false });
    const result = await runSend(path, server.url, 1000);
    if (server.duplicates().length > 0 || server.stats().accepted !== count)
      throw new Error('the benchmark send was not exactly once');
    await server.close();
    results.push({ ...result, sent: count });
    row(
      `send ${count.toLocaleString('en')}, no rate limit`,
      `${Math.round((count * 1000) / result.ms).toLocaleString('en')} emails/s whole command, ${Math.round(result.steadyRate).toLocaleString('en')} emails/s sending loop, peak RSS ${result.maxRssMb.toFixed(0)} MB`,
    );
  }
  const [small, large] = results;
  if (small && large) {
    row(
      'sending loop emails/s, largest vs smallest run',
      `${((large.steadyRate / small.steadyRate) * 100).toFixed(0)}%`,
    );
    row('peak RSS, largest vs smallest run', `${((large.maxRssMb / small.maxRssMb) * 100).toFixed(0)}%`);
  }
  return small?.steadyRate ?? 0;
}

/**
 * The pacing of `digest send` against a server that allows `rate` requests in any rolling second, with
 * DIGEST_SEND_RATE set to the same figure: how much of the limit it used, and whether it was ever refused.
 */
async function pacing(rate: number, requests: number): Promise<void> {
  const path = await benchDatabase(requests * 100);
  const server = await startResendServer({ apiKey: API_KEY, keepBodies: false, rateLimit: rate });
  const times: number[] = [];
  server.onRequest((phase) => {
    if (phase === 'received') times.push(performance.now());
  });
  await runSend(path, server.url, rate);
  const stats = server.stats();
  await server.close();
  const span = ((times.at(-1) ?? 0) - (times[0] ?? 0)) / 1000;
  const achieved = (times.length - 1) / span;
  row(
    `limit ${rate} req/s (rolling second), DIGEST_SEND_RATE=${rate}, ${times.length} requests`,
    `${achieved.toFixed(2)} req/s, ${((achieved / rate) * 100).toFixed(1)}% of the limit, ${stats.rateLimited} answers of 429`,
  );
}

// The bare loop's client: pre-built bodies posted back to back, as the transport posts them. Arguments: the
// file of bodies (one a line), the server's URL, the API key, how many requests; prints the milliseconds.
const BARE_CLIENT = `
import { readFileSync } from 'node:fs';
const [file, url, key, requests] = process.argv.slice(1);
const bodies = readFileSync(file, 'utf8').split('\\n');
const started = performance.now();
for (let index = 0; index < Number(requests); index++) {
  const response = await fetch(url + '/emails/batch', {
    method: 'POST',
    body: bodies[index % bodies.length],
    headers: { authorization: 'Bearer ' + key, 'content-type': 'application/json', 'idempotency-key': 'bare-' + index },
    redirect: 'error',
  });
  await response.arrayBuffer();
}
console.log(performance.now() - started);
`;

/**
 * The physical ceiling: the same server, pre-built request bodies posted back to back from a process of
 * their own, as `digest send` posts from its own (the server answers from this one, on the other core).
 */
async function bareLoop(count: number, realRate: number): Promise<void> {
  const server = await startResendServer({ apiKey: API_KEY, keepBodies: false });
  const config = testConfig();
  const content = await renderDigestContent(config, {
    weekKey: WEEK,
    weekLabel: 'x',
    subject: 'S',
    comparisons: manyComparisons(3),
    followedCategories: [],
  });
  const envelope = { from: config.from, publicUrl: config.publicUrl, unsubscribeMailto: null };
  // Copies per request as the sender cuts them (at most 100 and MAX_BATCH_CHARACTERS of HTML and text);
  // ten distinct bodies, posted in turn under new keys.
  const copyCharacters = content.html.length + content.text.length;
  const perRequest = Math.min(100, Math.floor(MAX_BATCH_CHARACTERS / copyCharacters));
  const bodies = Array.from({ length: 10 }, (_, batch) =>
    JSON.stringify(
      Array.from({ length: perRequest }, (_, index) => {
        const links = recipientLinks(config.publicUrl, `token-${batch}-${index}`);
        return digestMessage(
          envelope,
          `reader-${batch * 100 + index}@example.com`,
          links,
          { subject: 'S', ...personalise(content, links) },
          WEEK,
        );
      }),
    ),
  );
  const dir = scratchDir('digest-bench-');
  const file = join(dir, 'bodies.jsonl');
  writeFileSync(file, bodies.join('\n'));
  const { stdout } = await execFileAsync(process.execPath, [
    '--input-type=module',
    '-e',
    BARE_CLIENT,
    file,
    server.url,
    API_KEY,
    String(Math.ceil(count / perRequest)),
  ]);
  const rate = (Math.ceil(count / perRequest) * perRequest * 1000) / Number(stdout);
  rmSync(dir, { recursive: true });
  await server.close();
  row(
    `bare loop, ${count.toLocaleString('en')} emails, ${perRequest} a request (ceiling)`,
    `${Math.round(rate).toLocaleString('en')} emails/s`,
  );
  row('real sending loop / bare loop', `${((realRate / rate) * 100).toFixed(0)}%`);
}

/** A database of `count` subscribers whose W47 edition was sent to all of them. */
async function sentEditionDatabase(count: number): Promise<string> {
  const path = await benchDatabase(count);
  const db = await openDatabase(path);
  const config = testConfig();
  const edition = await startEdition(
    { db, clock: fixedClock(AFTER_WEEK), config, renderer: createDigestRenderer(config) },
    WEEK,
  );
  if (edition.status === 'unapproved') throw new Error(edition.why);
  const at = AFTER_WEEK.toISOString();
  await db
    .updateTable('deliveries')
    .set({ status: 'sent', sent_at: at, provider_message_id: sql<string>`'em-' || id` })
    .where('edition_id', '=', edition.id)
    .execute();
  await db
    .updateTable('editions')
    .set({ status: 'sent', finished_at: at })
    .where('id', '=', edition.id)
    .execute();
  await db.destroy();
  return path;
}

/** Wall time of a child process from spawn to exit, in ms. */
function timeProcess(file: string, args: string[], env: Record<string, string> = {}): number {
  const started = performance.now();
  execFileSync(file, args, {
    cwd: projectRoot,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: 'ignore',
  });
  return performance.now() - started;
}

/**
 * SPEC section 16's start-up rule: `digest editions` on a database of 10,000 subscribers against Node
 * loading better-sqlite3, kysely and the argument parser (commander) and exiting; each run alternately, 7
 * times, medians compared.
 */
async function startup(): Promise<void> {
  const path = await sentEditionDatabase(10_000);
  const floor: number[] = [];
  const editions: number[] = [];
  for (let run = 0; run < 7; run++) {
    floor.push(
      timeProcess(process.execPath, [
        '--input-type=module',
        '--eval',
        "import 'better-sqlite3'; import 'kysely'; import 'commander';",
      ]),
    );
    editions.push(timeProcess(BUILT_DIGEST, ['editions'], { DIGEST_DB: path }));
  }
  const [floorMs, editionsMs] = [median(floor), median(editions)];
  row('Node + better-sqlite3 + kysely + commander, exit (median of 7)', `${floorMs.toFixed(0)} ms`);
  row('digest editions, 10,000 subscribers, built command (median of 7)', `${editionsMs.toFixed(0)} ms`);
  row('digest editions / that floor (SPEC: at most 1.7)', (editionsMs / floorMs).toFixed(2));
}

/** A port nothing listens on. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}

/** Requests per second and median latency of `url` under `clients` concurrent clients for `ms`. */
async function load(url: string, clients: number, ms: number): Promise<{ rate: number; p50: number }> {
  const latencies: number[] = [];
  const until = performance.now() + ms;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < until) {
        const started = performance.now();
        const response = await fetch(url);
        await response.arrayBuffer();
        if (!response.ok) throw new Error(`${url} answered ${response.status}`);
        latencies.push(performance.now() - started);
      }
    }),
  );
  return { rate: (latencies.length * 1000) / ms, p50: median(latencies) };
}

/**
 * The web version of a sent edition against /healthz, on the built `digest serve`, 20 concurrent clients
 * for 5 s each, in the same run. The first request renders and stores the page; every later one reads it.
 */
async function web(): Promise<void> {
  const path = await sentEditionDatabase(1000);
  const port = await freePort();
  const child = spawnDigest(['serve'], { DIGEST_DB: path, PORT: String(port) }, { built: true });
  await new Promise<void>((resolve, reject) => {
    let log = '';
    child.stderr.on('data', (chunk) => {
      log += chunk;
      if (log.includes('serve.start')) resolve();
    });
    child.on('close', (code) => reject(new Error(`digest serve exited ${code}: ${log}`)));
  });
  const base = `http://127.0.0.1:${port}`;
  const page = await fetch(`${base}/editions/${WEEK}`);
  const etag = page.headers.get('etag');
  const cacheControl = page.headers.get('cache-control');
  await page.arrayBuffer();
  const revalidated = await fetch(`${base}/editions/${WEEK}`, { headers: { 'if-none-match': etag ?? '' } });
  await load(`${base}/healthz`, 20, 1000); // warm-up
  const health = await load(`${base}/healthz`, 20, 5000);
  const edition = await load(`${base}/editions/${WEEK}`, 20, 5000);
  child.kill('SIGTERM');
  row('GET /healthz, 20 clients', `${Math.round(health.rate)} req/s, p50 ${health.p50.toFixed(1)} ms`);
  row(
    `GET /editions/${WEEK} (stored web version), 20 clients`,
    `${Math.round(edition.rate)} req/s, p50 ${edition.p50.toFixed(1)} ms`,
  );
  row('web version / healthz throughput (SPEC: at least 0.5)', (edition.rate / health.rate).toFixed(2));
  row(
    'web version headers',
    `ETag ${etag}, Cache-Control ${cacheControl}, revalidation ${revalidated.status}`,
  );
}

/**
 * An edition of `deliveries` sent emails with `events` delivery events in a realistic mix (2% bounced,
 * 1% failed, opens, human and machine clicks over the three comparisons and the web version), all
 * written in bulk.
 */
async function engagementDatabase(deliveries: number, events: number): Promise<string> {
  const path = await sentEditionDatabase(deliveries);
  const db = await openDatabase(path);
  const edition = await db
    .selectFrom('editions')
    .select('id')
    .where('week_key', '=', WEEK)
    .executeTakeFirstOrThrow();
  const ids = (
    await db
      .selectFrom('deliveries')
      .select('id')
      .where('edition_id', '=', edition.id)
      .orderBy('id')
      .execute()
  ).map((row) => row.id);
  const links = [
    'https://example.com/compare/claude-code-vs-aider',
    'https://example.com/compare/cursor-3-vs-windsurf-wave-14',
    'https://example.com/compare/hugging-face-inference-providers-hub-vs-mistral-3-small-22b',
    'https://news.verdicts.test/editions/2026-W47',
  ];
  const at = (minutes: number) => new Date(AFTER_WEEK.getTime() + minutes * 60_000).toISOString();
  type Row = Omit<DeliveryEventsTable, 'id'>;
  const base = {
    link: null,
    user_agent: null,
    ip_address: null,
    comparison_slug: null,
    machine_reason: null,
    detail: null,
  };
  const row = (
    index: number,
    type: Row['type'],
    kind: Row['kind'] = null,
    extra: Partial<Row> = {},
  ): Row => ({
    ...base,
    delivery_id: ids[index % ids.length] ?? 0,
    edition_id: edition.id,
    type,
    kind,
    occurred_at: at(index % 5000),
    ...extra,
  });
  /** Every delivery's fate first, then opens and clicks (a third of the clicks by machines), endlessly. */
  function* mix(): Generator<Row> {
    for (let index = 0; index < ids.length; index++) {
      const slot = index % 100;
      if (slot === 97) yield row(index, 'bounced', 'permanent');
      else if (slot === 98) yield row(index, 'bounced', 'transient');
      else if (slot === 99) yield row(index, 'failed');
      else yield row(index, 'delivered');
      if (index % 50 === 0) yield row(index, 'delayed');
      if (index % 500 === 1) yield row(index, 'complained');
      if (index % 200 === 3) yield row(index, 'unsubscribed');
    }
    for (let index = 0; ; index++) {
      if (index % 2 === 0) {
        yield row(index * 7, 'opened');
        continue;
      }
      const link = links[index % links.length] ?? '';
      const machine = index % 3 === 0;
      yield row(index * 3, 'clicked', machine ? 'machine' : 'human', {
        link,
        user_agent: machine ? 'Mimecast URL Protect' : 'Mozilla/5.0 (iPhone) Safari/604.1',
        ip_address: '198.51.100.7',
        comparison_slug: link.includes('/compare/') ? (link.split('/').at(-1) ?? null) : null,
        machine_reason: machine ? 'scanner user agent' : null,
      });
    }
  }
  let chunk: Row[] = [];
  let written = 0;
  await db.transaction().execute(async (trx) => {
    for (const event of mix()) {
      if (written++ === events) break;
      chunk.push(event);
      if (chunk.length === 500) {
        await trx.insertInto('delivery_events').values(chunk).execute();
        chunk = [];
      }
    }
    if (chunk.length > 0) await trx.insertInto('delivery_events').values(chunk).execute();
  });
  await db.destroy();
  return path;
}

/** `digest stats` over one large edition: the whole command as a child process, and the service alone. */
async function stats(deliveries: number, events: number): Promise<void> {
  const path = await engagementDatabase(deliveries, events);
  const env = { DIGEST_DB: path };
  const time = async (args: string[]) => {
    const runs: number[] = [];
    for (let run = 0; run < 3; run++) {
      const started = performance.now();
      const result = await runDigestProcess(args, env, { built: true });
      if (result.code !== 0)
        throw new Error(`digest ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
      runs.push(performance.now() - started);
    }
    return median(runs);
  };
  const help = await time(['--help']);
  const editions = await time(['editions']);
  const command = await time(['stats', '--week', WEEK, '--json']);
  const db = await openDatabase(path);
  const [edition] = await engagementStats({ db }, { week: WEEK });
  const inProcess: number[] = [];
  for (let run = 0; run < 5; run++) {
    const started = performance.now();
    await engagementStats({ db }, { week: WEEK });
    inProcess.push(performance.now() - started);
  }
  const rowsWritten = await db
    .selectFrom('delivery_events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  await db.destroy();
  const size = `${deliveries.toLocaleString('en')} deliveries, ${Number(rowsWritten.n).toLocaleString('en')} events`;
  row(`digest stats --week --json, ${size}: whole command (median of 3)`, `${command.toFixed(0)} ms`);
  row('digest editions, same database and run (median of 3)', `${editions.toFixed(0)} ms`);
  row('digest --help, same run (start-up alone, median of 3)', `${help.toFixed(0)} ms`);
  row(
    'digest stats: the stats themselves (engagementStats, median of 5)',
    `${median(inProcess).toFixed(0)} ms`,
  );
  row(
    '  figures it printed',
    `sent ${edition?.sent}, delivered ${edition?.delivered}, clicked ${edition?.clicked}, machine clicks ${edition?.machineClicks}`,
  );
}

const USAGE = `npm run bench [subscribers]            every measurement (default 100,000 subscribers)
npm run bench -- <part> [subscribers]  one part: startup, send, pacing, web or stats
DIGEST_DB=postgres://... npm run bench  the same on PostgreSQL (a new database per measurement)`;
const parts = ['startup', 'send', 'pacing', 'web', 'stats'];
if (process.argv.includes('--help') || process.argv.includes('-h')) {
  console.log(USAGE);
  process.exit(0);
}
const only = parts.includes(process.argv[2] ?? '') ? process.argv[2] : undefined;
const countArgument = process.argv[only ? 3 : 2];
const large = Number(countArgument ?? 100_000);
if (!Number.isInteger(large) || large < 1 || process.argv.length > (only ? 4 : 3)) {
  console.error(
    `Expected an optional part and a number of subscribers, got "${process.argv.slice(2).join(' ')}".\n${USAGE}`,
  );
  process.exit(1);
}
const small = Math.min(10_000, large);
const wanted = (part: string) => only === undefined || only === part;
console.error(
  `verdict-digest benchmarks (node ${process.version}, ${databaseServer && isPostgresUrl(databaseServer) ? 'PostgreSQL' : 'SQLite'}), ${small.toLocaleString('en')} and ${large.toLocaleString('en')} subscribers, load average ${loadavg()
    .map((value) => value.toFixed(1))
    .join(' ')}`,
);
if (only === undefined) {
  await renderVersusPersonalise();
  await planning(small);
  await planning(large);
}
if (wanted('startup')) await startup();
if (wanted('send')) {
  const realRate = await endToEnd([small, large]);
  await bareLoop(small, realRate);
}
if (wanted('pacing')) {
  await pacing(2, 30);
  await pacing(5, 40);
}
if (wanted('web')) await web();
if (wanted('stats')) await stats(large, large * 3);
for (const database of databases) await database.drop();
row(
  'load average at the end (1, 5, 15 min)',
  loadavg()
    .map((value) => value.toFixed(1))
    .join(' '),
);
const width = Math.max(...rows.map(([name]) => name.length));
console.log(`| ${'measure'.padEnd(width)} | result |`);
console.log(`| ${'-'.repeat(width)} | --- |`);
for (const [name, value] of rows) console.log(`| ${name.padEnd(width)} | ${value} |`);
