// The sender's PostgreSQL connections terminated (pg_terminate_backend, as a failover or an administrator
// does) while the next request is on the wire: `digest send` exits 74 in one sentence and the next run
// finishes with nobody twice; `digest worker` logs it, stays up with its web server. Neither dies of an
// unhandled rejection or of a `pg` client's unhandled 'error' event.
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/adapters/database.js';
import { weekToSend } from '../../src/domain/schedule.js';
import { outcomeOf, runDigestProcess, spawnDigest } from '../support/child.js';
import { adminClient, freshDatabase } from '../support/db.js';
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

const READERS = 400;
const WEEK = '2026-W47';
// The write lock every writer takes first (src/adapters/postgres-driver.ts).
const WRITE_LOCK = 7031962;

describe('the sender’s PostgreSQL connections terminated while a request is on the wire', () => {
  let server: ResendServer;
  let env: Record<string, string>;
  let location: string;
  let holder: pg.Client;

  beforeEach(async () => {
    server = await startResendServer({ keepBodies: false });
    location = await freshDatabase();
    const db = await openDatabase(location);
    await importSamples(db);
    await addReaders(db, READERS);
    await db.destroy();
    holder = new pg.Client(location);
    await holder.connect();
    env = {
      DIGEST_DB: location,
      RESEND_API_KEY: server.options.apiKey,
      RESEND_BASE_URL: server.url,
      DIGEST_SECRET: 'terminated-secret-0123456789abcdef012345',
      DIGEST_PUBLIC_URL: 'https://news.verdicts.test',
      DIGEST_SEND_RATE: PACED_RATE,
    };
  });

  afterEach(async () => {
    await holder.end();
    await server.close();
  });

  const database = () => new URL(location).pathname.slice(1);

  /**
   * The sender's writes queue behind a write lock taken here; once one waits, every connection of the
   * sender is terminated, with queries running on them.
   */
  const terminateMidSend = {
    request: 2,
    inject: async () => {
      await holder.query(`begin; select pg_advisory_xact_lock(${WRITE_LOCK})`);
    },
    whileHeld: async () => {
      const admin = await adminClient();
      const ours = `datname = $1 and application_name = 'verdict-digest'`;
      await until(async () => {
        const waiting = await admin.query(
          `select count(*)::int as n from pg_stat_activity where ${ours} and wait_event_type = 'Lock'`,
          [database()],
        );
        return (waiting.rows[0] as { n: number }).n > 0;
      });
      const killed = await admin.query(
        `select pg_terminate_backend(pid) from pg_stat_activity where ${ours}`,
        [database()],
      );
      expect(killed.rowCount).toBeGreaterThan(0);
      await holder.query('rollback');
      await sleep(500);
    },
  };

  async function resumed(week = WEEK) {
    const again = await runDigestProcess(['send', '--week', week], { ...env, DIGEST_SEND_RATE: '50' });
    expect(again.stdout, again.stderr.slice(-2000)).toContain(`${week} sent.`);
    expect(again.code).toBe(0);
    expectEachOnce(server, week, READERS);
  }

  it('send exits 74 in one sentence; the next run finishes, nobody twice', async () => {
    const child = spawnDigest(['send', '--week', WEEK], env);
    const exit = outcomeOf(child);
    const [run] = await Promise.all([exit, faultInFlight(server, terminateMidSend)]);
    expect(run.code, run.stderr.slice(0, 2000)).toBe(74);
    expectOneSentence(run.stderr, 'the connection to the database server was lost');
    expect(run.stderr).not.toContain(new URL(location).password);
    await resumed();
  });

  it('the worker logs one line, stays up with its web server, and a later send finishes', async () => {
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
      await faultInFlight(server, terminateMidSend);
      await until(() => log.includes('"tick.failed"') || child.exitCode !== null);
      await sleep(500);
      expect(child.exitCode, log.slice(0, 2000)).toBeNull();
      expect(plainLines(log), log.slice(0, 2000)).toEqual([]);
      const failures = events(log).filter((line) => line.event === 'tick.failed');
      expect(failures).toHaveLength(1);
      expect(failures[0]?.fault).toMatch(/the connection to the database server was lost/);
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      expect(events(log).find((line) => line.event === 'tick.retry')).toMatchObject({ outcome: 'failed' });
    } finally {
      child.kill('SIGTERM');
      await exit;
    }
    await resumed(week);
  });
});
