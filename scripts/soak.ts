// npm run soak [subscribers] [kills] [--writers]: 20,000 subscribers sent through the local Resend-compatible
// server while it injects 500s, 429s, connection resets and answers that arrive after the client gave up, and
// the sending process is killed with SIGKILL 30 times. With --writers, other processes write the same database
// all along: `digest import`, `digest subscribers import`, and sign-ups and webhooks to a `digest serve`.
// Loopback only, bounded in time and count. Prints duplicates, missing, answers of 500, failed writer runs
// and total time; exits non-zero unless all of them are zero. With DIGEST_DB=postgres://... it runs on a new
// database on that PostgreSQL server (the URL's user needs CREATEDB), dropped at the end.
import { join } from 'node:path';
import { openDatabase } from '../src/adapters/database.js';
import { scratchDir } from '../test/support/cli.js';
import { killRepeatedly, seededRandom } from '../test/support/kill-loop.js';
import { startResendServer } from '../test/support/resend-server.js';
import { scratchDatabase } from '../test/support/scratch-database.js';
import { addReaders, importSamples } from '../test/support/sending.js';
import { runWriters, startServeChild } from '../test/support/writers.js';

const writers = process.argv.includes('--writers');
const [subscriberArgument, killArgument] = process.argv
  .slice(2)
  .filter((argument) => !argument.startsWith('--'));
const subscribers = Number(subscriberArgument ?? 20_000);
const kills = Number(killArgument ?? 30);
const week = '2026-W47';
const started = performance.now();

const server = await startResendServer({
  keepBodies: false,
  seed: 2026,
  failRate: 0.1,
  throttleRate: 0.05,
  resetBeforeAcceptRate: 0.03,
  resetAfterAcceptRate: 0.03,
  slowRate: 0.03,
  slowMs: 2500,
});
const dir = scratchDir('digest-soak-');
const database = await scratchDatabase(process.env.DIGEST_DB, { dir, prefix: 'digest_soak' });
const dbPath = database.location;
const db = await openDatabase(dbPath);
await importSamples(db);
await addReaders(db, subscribers);
await db.destroy();

const env = {
  DIGEST_DB: dbPath,
  DIGEST_OUTBOX_DIR: join(dir, 'outbox'),
  RESEND_API_KEY: server.options.apiKey,
  RESEND_BASE_URL: server.url,
  DIGEST_SECRET: 'soak-test-secret-0123456789abcdef012345',
  DIGEST_PUBLIC_URL: 'https://news.verdicts.test',
  DIGEST_SEND_RATE: '50',
  DIGEST_REQUEST_TIMEOUT_SECONDS: '1',
};
const web = writers ? await startServeChild(env) : undefined;
let sending = true;
const sendLoop = killRepeatedly({ server, week, kills, random: seededRandom(7), env }).finally(() => {
  sending = false;
});
const writerLoop = web
  ? runWriters({ env, dir, webUrl: web.url, keepGoing: () => sending })
  : Promise.resolve(undefined);
const [result, tally] = await Promise.all([sendLoop, writerLoop]);
const serveExit = web ? await web.stop() : 0;
const counts = server.countsByRecipient(week);
const duplicates = server.duplicates().length;
// Missing: readers in the week's ledger (eligible when it was planned) whom the server never accepted.
// With writers, subscribers they add before the plan are in the ledger too, so count from the ledger.
const ledger = await openDatabase(dbPath);
const eligible = await ledger
  .selectFrom('deliveries')
  .innerJoin('editions', 'editions.id', 'deliveries.edition_id')
  .innerJoin('subscribers', 'subscribers.id', 'deliveries.subscriber_id')
  .select('subscribers.email')
  .where('editions.week_key', '=', week)
  .where('deliveries.status', '!=', 'skipped')
  .execute();
await ledger.destroy();
await database.drop();
const missing = eligible.filter((row) => !counts.has(row.email)).length;
const stats = server.stats();
await server.close();

const rows: [string, string | number][] = [
  ['subscribers', subscribers],
  ['eligible when the week was planned', eligible.length],
  ['SIGKILLs (start-up / mid-call / after answer)', `${result.kills} (${result.killsByMoment.join(' / ')})`],
  ['runs of digest send', result.runs],
  [
    'requests / 500s / 429s / resets',
    `${stats.requests} / ${stats.byStatus['500'] ?? 0} / ${stats.rateLimited} / ${stats.resets}`,
  ],
  ['emails accepted', stats.accepted],
  ['duplicates', duplicates],
  ['missing', missing],
  ['finished', result.finished ? 'yes' : 'no'],
  ...(tally
    ? ([
        [
          'writer rounds: imports / subscriber imports / sign-ups / webhooks',
          `${tally.imports} / ${tally.subscriberImports} / ${tally.signups} / ${tally.webhooks}`,
        ],
        ['writer runs that exited non-zero', tally.failedRuns.length],
        ['web answers by status', JSON.stringify(tally.statuses)],
        ['answers of 500', tally.statuses['500'] ?? 0],
        ['digest serve exit code', String(serveExit)],
      ] as [string, string | number][])
    : []),
  ['total time (s)', ((performance.now() - started) / 1000).toFixed(1)],
];
for (const [name, value] of rows) console.log(`${name.padEnd(66)} ${value}`);
for (const failure of tally?.failedRuns ?? []) console.log(`  ${failure}`);
const writersClean =
  !tally ||
  (tally.failedRuns.length === 0 &&
    Object.keys(tally.statuses).every((status) => status === '200') &&
    serveExit === 0);
process.exitCode = duplicates === 0 && missing === 0 && result.finished && writersClean ? 0 : 1;
