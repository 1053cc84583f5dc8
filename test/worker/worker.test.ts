import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/adapters/database.js';
import { findEdition } from '../../src/adapters/edition-repository.js';
import { createOutboxTransport } from '../../src/adapters/outbox-transport.js';
import type { SendOutcome, Transport } from '../../src/adapters/transport.js';
import { type Clock, fixedClock, systemClock } from '../../src/domain/clock.js';
import { lastCompletedWeek, sameMomentInWeek } from '../../src/domain/weeks.js';
import { importComparisons } from '../../src/services/import-comparisons.js';
import { createWorker } from '../../src/services/worker.js';
import { type DigestChild, spawnDigest } from '../support/child.js';
import { scratchDir } from '../support/cli.js';
import { freshDatabase, holdWriteLock, testDatabase } from '../support/db.js';
import { type ResendServer, startResendServer } from '../support/resend-server.js';
import { addReaders, comparisonsDir, importSamples, sendDeps, testConfig } from '../support/sending.js';

describe('worker ticks', () => {
  const due = new Date('2026-11-23T09:00:00Z'); // W47 is due Monday 09:00 UTC under the default schedule
  async function workerAt(now: Date, catchUpHours = 72) {
    const db = await testDatabase();
    await importSamples(db);
    await addReaders(db, 3);
    const clock: Clock = fixedClock(now);
    const config = { ...testConfig(), catchUpHours };
    const worker = createWorker({
      ...sendDeps(db, createOutboxTransport(join(scratchDir(), 'outbox'))),
      clock,
      config,
      log: { info() {}, warn() {}, error() {} },
    });
    return { db, worker };
  }

  it('sends a week that is due on start, then waits', async () => {
    const { db, worker } = await workerAt(new Date(due.getTime() + 3_600_000));
    expect(await worker.tick('start')).toMatchObject({
      decision: { action: 'send', weekKey: '2026-W47' },
      report: { outcome: 'sent' },
    });
    expect(await worker.tick('schedule')).toMatchObject({
      decision: { action: 'wait', why: '2026-W47 is already sent' },
    });
    await db.destroy();
  });

  it('records a week as missed when started beyond the catch-up window, and sends nothing stale', async () => {
    const { db, worker } = await workerAt(new Date(due.getTime() + 73 * 3_600_000));
    expect(await worker.tick('start')).toMatchObject({ decision: { action: 'miss', weekKey: '2026-W47' } });
    expect(await findEdition(db, '2026-W47')).toMatchObject({
      status: 'missed',
      reason: expect.stringContaining('DIGEST_CATCH_UP_HOURS=72'),
    });
    expect(await db.selectFrom('deliveries').select('id').execute()).toEqual([]);
    await db.destroy();
  });

  /**
   * A worker an hour past the due time whose provider fails with `failure` until `recover()` is called,
   * and then writes to an outbox; it retries after 50 ms.
   */
  async function workerFailingUntilRecovered(failure: () => Promise<SendOutcome>) {
    const db = await testDatabase();
    await importSamples(db);
    await addReaders(db, 3);
    const outbox = createOutboxTransport(join(scratchDir(), 'outbox'));
    let failing = true;
    const transport: Transport = {
      kind: 'resend',
      sendBatch: (...args) => (failing ? failure() : outbox.sendBatch(...args)),
    };
    const worker = createWorker({
      ...sendDeps(db, transport),
      clock: fixedClock(new Date(due.getTime() + 3_600_000)),
      config: testConfig(),
      log: { info() {}, warn() {}, error() {} },
      retryAfterMs: 50,
    });
    /** Lets the provider answer again, then waits (no tick called) for the worker's own retry to send. */
    const recoverAndWaitForSent = async (polls: number) => {
      failing = false;
      for (let poll = 0; poll < polls && (await findEdition(db, '2026-W47'))?.status !== 'sent'; poll++)
        await sleep(25);
      expect((await findEdition(db, '2026-W47'))?.status).toBe('sent');
      await worker.stop();
      await db.destroy();
    };
    return { worker, recoverAndWaitForSent };
  }

  it('looks again soon after a send that could not finish, instead of waiting a week', async () => {
    const { worker, recoverAndWaitForSent } = await workerFailingUntilRecovered(async () => ({
      status: 'halt',
      reason: 'daily_quota_exceeded (429): quota',
    }));
    expect(await worker.tick('start')).toMatchObject({ report: { outcome: 'halted' } });
    await recoverAndWaitForSent(80);
  });

  it('looks again soon after a tick that failed (a lost database connection), instead of waiting a week', async () => {
    const { worker, recoverAndWaitForSent } = await workerFailingUntilRecovered(async () => {
      throw Object.assign(new Error('Connection terminated unexpectedly'), { code: '08006' });
    });
    await expect(worker.tick('start')).rejects.toThrow('Connection terminated');
    await recoverAndWaitForSent(400);
  });

  it('does nothing before the due time', async () => {
    const { db, worker } = await workerAt(new Date(due.getTime() - 60_000));
    expect(await worker.tick('start')).toMatchObject({ decision: { action: 'wait' } });
    expect(await findEdition(db, '2026-W47')).toBeUndefined();
    await db.destroy();
  });
});

/** A database whose sample comparisons sit in the week that has just ended, with `readers` subscribers. */
async function preparedDatabase(readers: number): Promise<string> {
  const dir = scratchDir('digest-worker-');
  const week = lastCompletedWeek(new Date(), 'UTC');
  for (const name of readdirSync(comparisonsDir)) {
    const document = JSON.parse(readFileSync(join(comparisonsDir, name), 'utf8'));
    document.publishedAt = sameMomentInWeek(new Date(document.publishedAt), week, 'UTC').toISOString();
    writeFileSync(join(dir, name), JSON.stringify(document));
  }
  const path = await freshDatabase(dir);
  const db = await openDatabase(path);
  const imported = await importComparisons({ db, clock: systemClock }, [dir]);
  if (!imported.ok) throw new Error('import failed');
  await addReaders(db, readers);
  await db.destroy();
  return path;
}

function exitOf(child: DigestChild): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.on('close', (code) => resolve(code));
  });
}

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  for (const started = Date.now(); !condition(); await sleep(50)) {
    if (Date.now() - started > timeoutMs) throw new Error('timed out waiting');
  }
}

describe('worker processes', () => {
  let server: ResendServer;
  const children: DigestChild[] = [];
  beforeEach(async () => {
    server = await startResendServer({ keepBodies: false });
  });
  afterEach(async () => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
    await server.close();
  });

  const environment = (db: string, rate = '50') => ({
    DIGEST_DB: db,
    RESEND_API_KEY: server.options.apiKey,
    RESEND_BASE_URL: server.url,
    DIGEST_SECRET: 'worker-test-secret-0123456789abcdef0123',
    DIGEST_PUBLIC_URL: 'https://news.verdicts.test',
    // Due the moment the week ends, and still inside the catch-up window whatever today is.
    DIGEST_SCHEDULE: '0 0 * * 1',
    DIGEST_CATCH_UP_HOURS: '200',
    DIGEST_SEND_RATE: rate,
  });
  const startWorker = (env: Record<string, string>) => {
    const child = spawnDigest(['worker', '--no-server'], env);
    children.push(child);
    let log = '';
    child.stderr.on('data', (chunk) => {
      log += chunk;
    });
    return { child, log: () => log };
  };
  const week = () => {
    const { year, week: number } = lastCompletedWeek(new Date(), 'UTC');
    return `${year}-W${String(number).padStart(2, '0')}`;
  };

  it('delivers each email once when two workers start together, and both stop cleanly on SIGTERM', async () => {
    const db = await preparedDatabase(600);
    const env = environment(db);
    const [one, two] = [startWorker(env), startWorker(env)];
    await until(() => server.stats().accepted >= 600 && /send\.report/.test(one.log() + two.log()), 60_000);
    await sleep(300);
    one.child.kill('SIGTERM');
    two.child.kill('SIGTERM');
    expect([await exitOf(one.child), await exitOf(two.child)]).toEqual([0, 0]);
    expect(server.duplicates()).toEqual([]);
    expect(server.countsByRecipient(week()).size).toBe(600);
    // The loser saw the lease and stood aside.
    expect(one.log() + two.log()).toMatch(/being sent by another process|already sent/);
    expect(one.log() + two.log()).not.toContain('@example.com');
  });

  it('takes over from a worker killed with SIGKILL mid-send within two minutes, and delivers each email once', async () => {
    const readers = 1500;
    const db = await preparedDatabase(readers);
    server.configure({ latencyMs: 40 });
    const env = environment(db, '2');
    const workers = [startWorker(env), startWorker(env)];
    await until(() => server.stats().accepted >= 300, 60_000);
    // The sender is whoever holds the week's lease (named host:pid:random).
    const handle = await openDatabase(db);
    const lock = `send:${week()}`;
    const lease = await handle
      .selectFrom('locks')
      .selectAll()
      .where('name', '=', lock)
      .executeTakeFirstOrThrow();
    const sender = workers.find((worker) => lease.holder.split(':')[1] === String(worker.child.pid));
    const survivor = workers.find((worker) => worker !== sender);
    if (!sender || !survivor) throw new Error(`no worker holds the lease: ${lease.holder}`);
    sender.child.kill('SIGKILL');
    await exitOf(sender.child);
    expect(server.stats().accepted).toBeLessThan(readers);
    // As if the sender's whole machine had gone: its lease names another host, so only expiry frees it.
    await handle
      .updateTable('locks')
      .set({ holder: `another-machine:${sender.child.pid}:gone` })
      .where('name', '=', lock)
      .where('holder', '=', lease.holder)
      .execute();
    await handle.destroy();
    await until(() => server.stats().accepted >= readers && /"outcome":"sent"/.test(survivor.log()), 120_000);
    survivor.child.kill('SIGTERM');
    expect(await exitOf(survivor.child)).toBe(0);
    expect(server.duplicates()).toEqual([]);
    expect(server.countsByRecipient(week()).size).toBe(readers);
    expect(survivor.log()).toContain('being sent by another process');
  }, 180_000);

  it('finishes the batch in flight on SIGTERM, exits 0, and the next start completes the week', async () => {
    const db = await preparedDatabase(2000);
    server.configure({ latencyMs: 40 });
    const env = environment(db, '10');
    const first = startWorker(env);
    await until(() => server.stats().accepted >= 300, 60_000);
    first.child.kill('SIGTERM');
    expect(await exitOf(first.child)).toBe(0);
    const partial = server.stats().accepted;
    expect(partial).toBeLessThan(2000);
    expect(first.log()).toContain('worker.stopped');
    const second = startWorker(environment(db, '100'));
    await until(() => server.stats().accepted >= 2000 && /send\.report/.test(second.log()), 60_000);
    second.child.kill('SIGTERM');
    expect(await exitOf(second.child)).toBe(0);
    expect(server.duplicates()).toEqual([]);
    expect(server.countsByRecipient(week()).size).toBe(2000);
  });

  it('waits for a database another process has locked, instead of failing', async () => {
    const db = await preparedDatabase(50);
    const holder = await holdWriteLock(db);
    const worker = startWorker(environment(db));
    await sleep(2500);
    expect(worker.child.exitCode).toBeNull();
    expect(server.stats().accepted).toBe(0);
    await holder.release();
    await until(() => server.stats().accepted >= 50, 30_000);
    worker.child.kill('SIGTERM');
    expect(await exitOf(worker.child)).toBe(0);
  });
});
