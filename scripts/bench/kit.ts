// The pieces every benchmark shares: the week it sends, the table it prints, scratch databases, the built
// command run as a child process with its memory watched, and a small HTTP load generator. Loopback only.
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { sql } from 'kysely';
import { openDatabase } from '../../src/adapters/database.js';
import { fixedClock } from '../../src/domain/clock.js';
import { isPostgresUrl } from '../../src/domain/database-location.js';
import { createDigestRenderer } from '../../src/services/digest-renderer.js';
import { startEdition } from '../../src/services/freeze-edition.js';
import { spawnDigest } from '../../test/support/child.js';
import { scratchDir } from '../../test/support/cli.js';
import { type ScratchDatabase, scratchDatabase } from '../../test/support/scratch-database.js';
import { importSamples, testConfig } from '../../test/support/sending.js';

export const WEEK = '2026-W47';
/** A moment after WEEK has ended, when its edition may be planned and sent. */
export const AFTER_WEEK = new Date('2026-11-25T10:00:00Z');
export const API_KEY = 're_bench_0123456789';

export const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

const table: [string, string][] = [];

/** Records one row of the table the runner prints at the end, and echoes it at once to stderr. */
export function row(name: string, value: string): void {
  table.push([name, value]);
  console.error(`  ${name}: ${value}`);
}

/** Every row recorded so far, as one Markdown table. */
export function formatTable(): string {
  const width = Math.max('measure'.length, ...table.map(([name]) => name.length));
  return [
    `| ${'measure'.padEnd(width)} | result |`,
    `| ${'-'.repeat(width)} | --- |`,
    ...table.map(([name, value]) => `| ${name.padEnd(width)} | ${value} |`),
  ].join('\n');
}

/** DIGEST_DB of the bench run: a postgres:// server puts every scratch database there instead of SQLite. */
export const databaseServer = process.env.DIGEST_DB;
const databases: ScratchDatabase[] = [];
const directories: string[] = [];

/** A new scratch directory, removed with everything in it by cleanUp() at the end of the run. */
export function benchScratchDir(): string {
  const dir = scratchDir('digest-bench-');
  directories.push(dir);
  return dir;
}

/** An empty scratch database (no migrations yet); dropped by cleanUp(). */
export async function emptyBenchDatabase(): Promise<string> {
  const onServer = databaseServer !== undefined && isPostgresUrl(databaseServer);
  const database = await scratchDatabase(databaseServer, {
    prefix: 'digest_bench',
    ...(onServer ? {} : { dir: benchScratchDir() }),
  });
  databases.push(database);
  return database.location;
}

/** Drops every scratch database the run made and removes its scratch directories. */
export async function cleanUp(): Promise<void> {
  for (const database of databases.splice(0)) await database.drop();
  for (const dir of directories.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A database with the sample comparisons and `count` active subscribers, written in bulk. */
export async function benchDatabase(count: number): Promise<string> {
  const path = await emptyBenchDatabase();
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

/** A database of `count` subscribers whose WEEK edition was sent to all of them. */
export async function sentEditionDatabase(count: number): Promise<string> {
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

/** Peak resident memory so far (VmHWM) of a running process, in MB. */
export function peakRssMb(pid: number): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0; // already gone
  }
}

export interface BuiltRun {
  readonly code: number | null;
  /** Wall time from spawn to exit. */
  readonly ms: number;
  readonly peakRssMb: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  /** Throw its stdout away as it comes (a sink) instead of keeping it: for commands that print a lot. */
  readonly discardStdout?: boolean;
  /** Hands each chunk of its stdout here instead of keeping it (to count what a command prints). */
  readonly onStdout?: (chunk: Buffer) => void;
}

/** Runs the built dist/digest.js as a child process, as an operator would, watching its peak memory. */
export function runBuilt(
  args: string[],
  env: Record<string, string>,
  options: RunOptions = {},
): Promise<BuiltRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawnDigest(args, env);
    let peak = 0;
    const watch = setInterval(() => {
      peak = Math.max(peak, peakRssMb(child.pid ?? 0));
    }, 25);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      if (options.onStdout) options.onStdout(chunk);
      else if (!options.discardStdout) stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', (error) => {
      clearInterval(watch);
      reject(error);
    });
    child.on('close', (code) => {
      clearInterval(watch);
      resolve({ code, ms: performance.now() - started, peakRssMb: peak, stdout, stderr });
    });
  });
}

/** A port nothing listens on. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}

export interface LoadResult {
  /** Answers per second, whatever their status. */
  readonly rate: number;
  /** Median latency in ms. */
  readonly p50: number;
  /** How many answers had each status. */
  readonly statuses: Record<number, number>;
}

/**
 * `clients` concurrent clients requesting `url` back to back for `ms`. `init` is the request (or makes a
 * new one for every request, e.g. a body of its own each time).
 */
export async function load(
  url: string,
  clients: number,
  ms: number,
  init?: RequestInit | (() => RequestInit),
): Promise<LoadResult> {
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  const until = performance.now() + ms;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < until) {
        const started = performance.now();
        const response = await fetch(url, typeof init === 'function' ? init() : init);
        await response.arrayBuffer();
        latencies.push(performance.now() - started);
        statuses[response.status] = (statuses[response.status] ?? 0) + 1;
      }
    }),
  );
  return { rate: (latencies.length * 1000) / ms, p50: median(latencies), statuses };
}

export interface ServeHandle {
  /** http://127.0.0.1:<port> */
  readonly base: string;
  /** SIGTERM, then waits for it to exit. */
  stop(): Promise<void>;
}

/** Starts the built `digest serve` on a free loopback port over `location`; resolves once it listens. */
export async function startServe(location: string, env: Record<string, string> = {}): Promise<ServeHandle> {
  const port = await freePort();
  const child = spawnDigest(['serve'], { DIGEST_DB: location, PORT: String(port), ...env });
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    let log = '';
    child.stderr.on('data', (chunk) => {
      if (log.includes('serve.start')) return;
      log += chunk;
      if (log.includes('serve.start')) resolve();
    });
    child.on('close', (code) => reject(new Error(`digest serve exited ${code}: ${log}`)));
  });
  child.stderr.resume();
  child.stdout.resume();
  return {
    base: `http://127.0.0.1:${port}`,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
