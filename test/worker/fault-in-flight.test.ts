// A worker whose database fails while the next request is on the wire (another process holds the write
// lock past the deadline): the tick fails with the fault, nothing escapes as an unhandled rejection, and the
// worker's own retry, after its delay, finishes the week with nobody sent twice. The deadline is shortened
// here (openDatabase's busy policy) so the test need not wait 30 s; the child-process tests in
// test/crash/faults-in-flight.test.ts and test/postgres/terminated-mid-send.test.ts use the real one.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/adapters/database.js';
import { findEdition } from '../../src/adapters/edition-repository.js';
import type { Logger } from '../../src/adapters/logger.js';
import { createResendTransport } from '../../src/adapters/resend-transport.js';
import { DatabaseBusyError } from '../../src/adapters/storage-fault.js';
import { fixedClock } from '../../src/domain/clock.js';
import { createWorker } from '../../src/services/worker.js';
import { scratchDir } from '../support/cli.js';
import { freshDatabase, type HeldLock, holdWriteLock } from '../support/db.js';
import { expectEachOnce, faultInFlight, PACED_RATE, until } from '../support/in-flight.js';
import { type ResendServer, startResendServer } from '../support/resend-server.js';
import { addReaders, importSamples, sendDeps, testConfig } from '../support/sending.js';

const READERS = 300;
const DUE = new Date('2026-11-23T10:00:00Z'); // an hour after W47 became due under the default schedule

describe('a worker whose database fails while a request is on the wire', () => {
  let server: ResendServer;
  beforeEach(async () => {
    server = await startResendServer({ keepBodies: false });
  });
  afterEach(async () => {
    await server.close();
  });

  it('fails that tick, then its retry after the delay finishes the week, nobody twice', async () => {
    const location = await freshDatabase(scratchDir('digest-worker-fault-'));
    const db = await openDatabase(location, { busy: { attemptMs: 20, deadlineMs: 1000 } });
    await importSamples(db);
    await addReaders(db, READERS);
    const logged: { event: string; fields?: Record<string, unknown> }[] = [];
    const log: Logger = {
      info: (event, fields) => logged.push({ event, fields }),
      warn: (event, fields) => logged.push({ event, fields }),
      error: (event, fields) => logged.push({ event, fields }),
    };
    const config = testConfig({ DIGEST_SEND_RATE: PACED_RATE });
    const transport = createResendTransport({
      apiKey: server.options.apiKey,
      baseUrl: server.url,
      timeoutMs: 30_000,
    });
    const worker = createWorker({
      ...sendDeps(db, transport),
      clock: fixedClock(DUE),
      config,
      log,
      retryAfterMs: 300,
    });
    // Vitest reports an unhandled rejection after the test; this test should fail on one itself.
    const escaped: unknown[] = [];
    const onEscape = (reason: unknown) => escaped.push(reason);
    process.on('unhandledRejection', onEscape);
    let lock: HeldLock | undefined;
    const injected = faultInFlight(server, {
      request: 2,
      inject: async () => {
        lock = await holdWriteLock(location);
      },
      // Past the sender's deadline for the writes that began when request 2 left.
      whileHeld: async () => {
        await sleep(1500);
        await lock?.release();
      },
    });
    try {
      const failed = worker.tick('start').catch((error: unknown) => error);
      await injected;
      expect(await failed).toBeInstanceOf(DatabaseBusyError);
      expect(escaped).toEqual([]);
      expect(logged.find((entry) => entry.event === 'tick.retry')?.fields).toMatchObject({
        outcome: 'failed',
        inMs: 300,
      });
      await until(async () => (await findEdition(db, '2026-W47'))?.status === 'sent', 30_000);
      // The edition is marked sent in the database a moment before the worker logs its report.
      await until(async () => logged.some((entry) => entry.event === 'send.report'), 5_000);
      expect(logged.filter((entry) => entry.event === 'send.report').at(-1)?.fields).toMatchObject({
        outcome: 'sent',
      });
      expectEachOnce(server, '2026-W47', READERS);
      expect(escaped).toEqual([]);
    } finally {
      process.off('unhandledRejection', onEscape);
      await lock?.release();
      await worker.stop();
      await db.destroy();
    }
  });
});
