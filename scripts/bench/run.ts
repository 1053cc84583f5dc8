// npm run bench [subscribers]: the numbers behind BENCHMARKS.md, printed as one table. Loopback only.
// Commands run as the built `digest` (dist/digest.js) in child processes, as an operator runs them, so a
// command's peak RSS is its own, not the benchmark's. `npm run bench -- <part> [subscribers]` runs one part.
// With DIGEST_DB=postgres://... every measurement runs on PostgreSQL instead of SQLite: each gets a new
// database on that server (the URL's user needs CREATEDB), dropped at the end.
import { loadavg } from 'node:os';
import { isPostgresUrl } from '../../src/domain/database-location.js';
import { imports } from './import.js';
import { cleanUp, databaseServer, formatTable, row } from './kit.js';
import { millionReaders } from './million-readers.js';
import { changingPacing, fixedPacing } from './pacing.js';
import { planning } from './planning.js';
import { renderVersusPersonalise } from './render.js';
import { bareLoop, endToEnd } from './send.js';
import { startup } from './startup.js';
import { stats } from './stats.js';
import { web } from './web.js';
import { webhooks } from './webhooks.js';

const DEFAULT_SUBSCRIBERS = 100_000;
/** The parts measured at a million rows unless told otherwise. */
const MILLION = 1_000_000;

/** Each part, run with the subscriber count asked for (or undefined when none was given). */
const parts: Record<string, (asked: number | undefined) => Promise<void>> = {
  render: () => renderVersusPersonalise(),
  plan: async (asked) => {
    const large = asked ?? DEFAULT_SUBSCRIBERS;
    await planning(Math.min(10_000, large));
    await planning(large);
  },
  startup: () => startup(),
  send: async (asked) => {
    const large = asked ?? DEFAULT_SUBSCRIBERS;
    const small = Math.min(10_000, large);
    await bareLoop(small, await endToEnd([small, large]));
  },
  pacing: async () => {
    await fixedPacing(2, 30);
    await fixedPacing(5, 40);
    await changingPacing(14_000);
  },
  web: () => web(),
  webhooks: () => webhooks(),
  stats: async (asked) => {
    const large = asked ?? DEFAULT_SUBSCRIBERS;
    await stats(large, large * 3);
  },
  import: (asked) => imports(asked ?? MILLION),
  million: (asked) => millionReaders(10_000, asked ?? MILLION),
};

const USAGE = `npm run bench [subscribers]            every measurement (default ${DEFAULT_SUBSCRIBERS.toLocaleString('en')} subscribers; import and million ${MILLION.toLocaleString('en')})
npm run bench -- <part> [subscribers]  one part: ${Object.keys(parts).join(', ')}
DIGEST_DB=postgres://... npm run bench  the same on PostgreSQL (a new database per measurement)`;

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log(USAGE);
  process.exit(0);
}
const only = args[0] !== undefined && Object.hasOwn(parts, args[0]) ? args[0] : undefined;
const countArgument = args[only ? 1 : 0];
const asked = countArgument === undefined ? undefined : Number(countArgument);
if ((asked !== undefined && (!Number.isInteger(asked) || asked < 1)) || args.length > (only ? 2 : 1)) {
  console.error(`Expected an optional part and a number of subscribers, got "${args.join(' ')}".\n${USAGE}`);
  process.exit(1);
}

const averages = () =>
  loadavg()
    .map((value) => value.toFixed(1))
    .join(' ');
const engine = databaseServer && isPostgresUrl(databaseServer) ? 'PostgreSQL' : 'SQLite';
console.error(
  `verdict-digest benchmarks (node ${process.version}, ${engine}), ${only ?? 'every part'}, ${asked === undefined ? 'default sizes' : `${asked.toLocaleString('en')} subscribers`}, load average ${averages()}`,
);
try {
  for (const [name, part] of Object.entries(parts)) {
    if (only === undefined || only === name) await part(asked);
  }
} finally {
  await cleanUp();
}
row('load average at the end (1, 5, 15 min)', averages());
console.log(formatTable());
