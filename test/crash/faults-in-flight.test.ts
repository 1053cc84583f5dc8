// A SQLite fault while the next request is on the wire (the disk fills up, another process holds the write
// lock past the 30 s deadline) ends `digest send` with its exit code and one sentence, and the next run
// finishes with nobody sent twice; `digest worker` logs it and stays up with its web server. The PostgreSQL
// counterpart (a terminated backend) is test/postgres/terminated-mid-send.test.ts.
import { execFileSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/adapters/database.js';
import { weekToSend } from '../../src/domain/schedule.js';
import { outcomeOf, runDigestProcess, spawnDigest } from '../support/child.js';
import { scratchDir } from '../support/cli.js';
import { engine, freshDatabase } from '../support/db.js';
import {
  events,
  expectEachOnce,
  expectOneSentence,
  faultInFlight,
  PACED_RATE,
  plainLines,
  until,
} from '../support/in-flight.js';
import { type ResendServer, startResendServer } from '../support/resend-server.js';
import { addReaders, importSamples } from '../support/sending.js';
import { freePort } from '../support/writers.js';

const READERS = 400; // four batches
const WEEK = '2026-W47';

/** A file size limit on a running process (`prlimit`): every write past it fails, as on a full disk. */
function fillDisk(pid: number | undefined, limit: string): void {
  execFileSync('prlimit', ['--pid', String(pid), `--fsize=${limit}`]);
}

describe.skipIf(engine !== 'sqlite')('a SQLite fault while a request is on the wire', () => {
  let server: ResendServer;
  let env: Record<string, string>;
  let dbPath: string;

  beforeEach(async () => {
    server = await startResendServer({ keepBodies: false });
    dbPath = await freshDatabase(scratchDir('digest-in-flight-'));
    const db = await openDatabase(dbPath);
    await importSamples(db);
    await addReaders(db, READERS);
    await db.destroy();
    env = {
      DIGEST_DB: dbPath,
      RESEND_API_KEY: server.options.apiKey,
      RESEND_BASE_URL: server.url,
      DIGEST_SECRET: 'in-flight-secret-0123456789abcdef0123456',
      DIGEST_PUBLIC_URL: 'https://news.verdicts.test',
      DIGEST_SEND_RATE: PACED_RATE,
      // A request is held past the lock deadline: the client must not give up on it first.
      DIGEST_REQUEST_TIMEOUT_SECONDS: '120',
    };
  });

  afterEach(async () => {
    await server.close();
  });

  async function resumed(week = WEEK) {
    const again = await runDigestProcess(['send', '--week', week], { ...env, DIGEST_SEND_RATE: '50' });
    expect(again.stdout, again.stderr.slice(-2000)).toContain(`${week} sent.`);
    expect(again.code).toBe(0);
    expectEachOnce(server, week, READERS);
  }

  it('disk full: send exits 74 in one sentence; the next run finishes, nobody twice', async () => {
    const child = spawnDigest(['send', '--week', WEEK], env);
    const exit = outcomeOf(child);
    const injected = faultInFlight(server, {
      request: 2,
      inject: () => fillDisk(child.pid, '1024'),
      whileHeld: () => sleep(1500),
    });
    const [run] = await Promise.all([exit, injected]);
    expect(run.code, run.stderr.slice(0, 2000)).toBe(74);
    expectOneSentence(run.stderr, 'the disk');
    expect(server.stats().requests).toBe(2);
    await resumed();
  });

  it('a lock held past the 30 s deadline: send exits 75 in one sentence; the next run finishes, nobody twice', async () => {
    const child = spawnDigest(['send', '--week', WEEK], env);
    const exit = outcomeOf(child);
    const other = new Database(dbPath);
    const injected = faultInFlight(server, {
      request: 2,
      inject: () => {
        other.exec('begin immediate');
      },
      // From the moment request 2 arrived (the sender's writes started as it left), past the deadline.
      whileHeld: async () => {
        await sleep(31_500);
        other.exec('commit');
        await sleep(500);
      },
    });
    const [run] = await Promise.all([exit, injected]);
    other.close();
    expect(run.code, run.stderr.slice(0, 2000)).toBe(75);
    expectOneSentence(run.stderr, 'the database stayed locked by another process for over 30 s');
    await resumed();
  }, 120_000);

  it('disk full under the worker: one log line, the web server stays up, a later send finishes', async () => {
    const week = weekToSend(new Date(), 'UTC');
    const port = await freePort();
    const child = spawnDigest(['worker'], {
      ...env,
      PORT: String(port),
      DIGEST_TIMEZONE: 'UTC',
      DIGEST_CATCH_UP_HOURS: '8760',
    });
    let log = '';
    child.stderr.on('data', (chunk) => {
      log += chunk;
    });
    const exit = outcomeOf(child);
    try {
      await faultInFlight(server, {
        request: 2,
        inject: () => fillDisk(child.pid, '1024'),
        whileHeld: () => sleep(1500),
      });
      await until(() => log.includes('"tick.failed"') || child.exitCode !== null);
      await sleep(500);
      expect(child.exitCode, log.slice(0, 2000)).toBeNull();
      expect(plainLines(log), log.slice(0, 2000)).toEqual([]);
      const failures = events(log).filter((line) => line.event === 'tick.failed');
      expect(failures).toHaveLength(1);
      expect(failures[0]?.fault).toMatch(/the disk/);
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);
      expect(events(log).find((line) => line.event === 'tick.retry')).toMatchObject({ outcome: 'failed' });
    } finally {
      child.kill('SIGTERM');
      await exit;
    }
    // Space is free again (the worker is gone): the week finishes, nobody twice.
    await resumed(week);
  });
});
