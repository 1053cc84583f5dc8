// A million-reader edition: `digest send --dry-run` (built command), the freeze (startEdition in this
// process, its rendering timed apart) beside a bare insert of as many rows into a copy of the deliveries
// table in one transaction on the same database, and the peak memory of `digest send` at two sizes.
import Database from 'better-sqlite3';
import pg from 'pg';
import { openDatabase } from '../../src/adapters/database.js';
import { fixedClock } from '../../src/domain/clock.js';
import { isPostgresUrl } from '../../src/domain/database-location.js';
import { createDigestRenderer } from '../../src/services/digest-renderer.js';
import { type ContentRenderer, startEdition } from '../../src/services/freeze-edition.js';
import { startResendServer } from '../../test/support/resend-server.js';
import { testConfig } from '../../test/support/sending.js';
import { AFTER_WEEK, API_KEY, benchDatabase, row, runBuilt, WEEK } from './kit.js';
import { runSend } from './send.js';

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const mb = (value: number) => `${value.toFixed(0)} MB`;
const readers = (count: number) => `${count.toLocaleString('en')} readers`;

/** The built `digest send --dry-run` over `location`, its million lines thrown away as they come. */
async function dryRun(location: string, count: number): Promise<void> {
  const result = await runBuilt(
    ['send', '--week', WEEK, '--dry-run'],
    { DIGEST_DB: location },
    {
      discardStdout: true,
    },
  );
  if (result.code !== 0) throw new Error(`digest send --dry-run exited ${result.code}: ${result.stderr}`);
  row(
    `send --dry-run, ${readers(count)}`,
    `${seconds(result.ms)}, peak RSS ${mb(result.peakRssMb)} (target ≤ 6 s; issue: 5.8 s, 112 MB)`,
  );
}

interface Frozen {
  readonly editionId: number;
  readonly contentId: number;
  /** startEdition less the time spent rendering variants: planning and the freezing transaction. */
  readonly ms: number;
}

/** Freezes WEEK in this process; the renderer is timed so that rendering is not counted as the freeze. */
async function freeze(location: string): Promise<Frozen> {
  const db = await openDatabase(location);
  const config = testConfig();
  const real = createDigestRenderer(config);
  let renderingMs = 0;
  const renderer: ContentRenderer = {
    async render(input) {
      const started = performance.now();
      const content = await real.render(input);
      renderingMs += performance.now() - started;
      return content;
    },
  };
  const started = performance.now();
  const edition = await startEdition({ db, clock: fixedClock(AFTER_WEEK), config, renderer }, WEEK);
  const ms = performance.now() - started - renderingMs;
  if (edition.status !== 'sending') throw new Error(`the freeze came out ${edition.status}`);
  const content = await db
    .selectFrom('edition_contents')
    .select('id')
    .where('edition_id', '=', edition.id)
    .executeTakeFirstOrThrow();
  await db.destroy();
  return { editionId: edition.id, contentId: content.id, ms };
}

/**
 * The floor to compare the freeze with: as many ledger rows as the edition has, inserted by the bare
 * client into a new table with the deliveries table's columns, constraints and indexes, in one
 * transaction. Better-sqlite3 with its own defaults and one prepared statement on SQLite; on PostgreSQL,
 * `pg` with multi-row INSERTs of 1,000 rows (no COPY) on the same server.
 */
async function bareInsert(location: string, frozen: Frozen, count: number): Promise<number> {
  const at = AFTER_WEEK.toISOString();
  if (isPostgresUrl(location)) {
    const client = new pg.Client(location);
    await client.connect();
    try {
      await client.query('create table bare_deliveries (like deliveries including all)');
      const { rows } = await client.query<{ id: number }>('select id from subscribers order by id');
      const started = performance.now();
      await client.query('begin');
      for (let start = 0; start < rows.length; start += 1000) {
        const chunk = rows.slice(start, start + 1000);
        const values = chunk.map((_, index) => `($1, $${index + 4}, 'pending', $2, $3)`).join(', ');
        await client.query(
          `insert into bare_deliveries (edition_id, subscriber_id, status, content_id, created_at) values ${values}`,
          [frozen.editionId, frozen.contentId, at, ...chunk.map((subscriber) => subscriber.id)],
        );
      }
      await client.query('commit');
      return performance.now() - started;
    } finally {
      await client.end();
    }
  }
  const sqlite = new Database(location);
  try {
    const definitions = sqlite
      .prepare("select sql from sqlite_master where tbl_name = 'deliveries' and sql is not null")
      .pluck()
      .all() as string[];
    // The table's and its indexes' names are all quoted and start with "deliveries.
    for (const definition of definitions)
      sqlite.exec(definition.replaceAll('"deliveries', '"bare_deliveries'));
    const ids = sqlite.prepare('select id from subscribers order by id').pluck().all() as number[];
    if (ids.length !== count) throw new Error(`expected ${count} subscribers, found ${ids.length}`);
    const insert = sqlite.prepare(
      "insert into bare_deliveries (edition_id, subscriber_id, status, content_id, created_at) values (?, ?, 'pending', ?, ?)",
    );
    const started = performance.now();
    sqlite.transaction(() => {
      for (const id of ids) insert.run(frozen.editionId, id, frozen.contentId, at);
    })();
    return performance.now() - started;
  } finally {
    sqlite.close();
  }
}

/** The built `digest send` to `count` readers against the local server, unthrottled; its peak RSS. */
async function sendPeak(count: number): Promise<number> {
  const location = await benchDatabase(count);
  const server = await startResendServer({ apiKey: API_KEY, keepBodies: false });
  try {
    const result = await runSend(location, server.url, 1000);
    if (server.duplicates().length > 0 || server.stats().accepted !== count)
      throw new Error('the benchmark send was not exactly once');
    row(
      `send ${readers(count)}, peak RSS`,
      `${mb(result.maxRssMb)} (target < 150 MB), ${seconds(result.ms)} whole command`,
    );
    return result.maxRssMb;
  } finally {
    await server.close();
  }
}

export async function millionReaders(small: number, large: number): Promise<void> {
  const location = await benchDatabase(large);
  await dryRun(location, large);
  const frozen = await freeze(location);
  const bare = await bareInsert(location, frozen, large);
  const engine = isPostgresUrl(location) ? 'pg, 1,000-row INSERTs' : 'better-sqlite3';
  row(
    `freeze (startEdition less rendering), ${readers(large)}`,
    `${seconds(frozen.ms)} (issue: 10.6–12.1 s)`,
  );
  row(
    `bare insert of ${large.toLocaleString('en')} rows into a copy of deliveries, one transaction (${engine})`,
    `${seconds(bare)} (issue: 1.7 s)`,
  );
  row('freeze / bare insert (target ≤ 4×)', `${(frozen.ms / bare).toFixed(1)}× (issue: 7×)`);
  const smallPeak = await sendPeak(small);
  const largePeak = await sendPeak(large);
  row(
    `send peak RSS, ${readers(large)} vs ${readers(small)} (target ≤ 120%)`,
    `${((largePeak / smallPeak) * 100).toFixed(0)}%`,
  );
}
