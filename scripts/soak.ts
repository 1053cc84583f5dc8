// npm run soak [subscribers] [kills]: 20,000 subscribers sent through the local Resend-compatible server
// while it injects 500s, 429s, connection resets and answers that arrive after the client gave up, and the
// sending process is killed with SIGKILL 30 times. Loopback only, bounded in time and count. Prints
// duplicates, missing and total time; exits non-zero unless both are zero.
import { join } from 'node:path';
import { openDatabase } from '../src/adapters/database.js';
import { scratchDir } from '../test/support/cli.js';
import { killRepeatedly, seededRandom } from '../test/support/kill-loop.js';
import { startResendServer } from '../test/support/resend-server.js';
import { addReaders, importSamples } from '../test/support/sending.js';

const subscribers = Number(process.argv[2] ?? 20_000);
const kills = Number(process.argv[3] ?? 30);
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
const dbPath = join(scratchDir('digest-soak-'), 'digest.sqlite');
const db = await openDatabase(dbPath);
await importSamples(db);
await addReaders(db, subscribers);
await db.destroy();

const result = await killRepeatedly({
  server,
  week,
  kills,
  random: seededRandom(7),
  env: {
    DIGEST_DB: dbPath,
    RESEND_API_KEY: server.options.apiKey,
    RESEND_BASE_URL: server.url,
    DIGEST_SECRET: 'soak-test-secret-0123456789abcdef012345',
    DIGEST_PUBLIC_URL: 'https://news.verdicts.test',
    DIGEST_SEND_RATE: '50',
    DIGEST_REQUEST_TIMEOUT_SECONDS: '1',
  },
});
const counts = server.countsByRecipient(week);
const duplicates = server.duplicates().length;
const missing = subscribers - counts.size;
const stats = server.stats();
await server.close();

const rows: [string, string | number][] = [
  ['subscribers', subscribers],
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
  ['total time (s)', ((performance.now() - started) / 1000).toFixed(1)],
];
for (const [name, value] of rows) console.log(`${name.padEnd(48)} ${value}`);
process.exitCode = duplicates === 0 && missing === 0 && result.finished ? 0 : 1;
