// A send with other writers beside it (docs/operations.md, Two engines): `digest import` and `digest subscribers import` as
// child processes, sign-ups and webhooks through a `digest serve` child, all on the same database while
// a child `digest send` delivers through the Resend-compatible server. Every process succeeds, the send
// finishes in the same run, nobody gets the week twice and nobody is left out.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/adapters/database.js';
import { runDigestProcess } from '../support/child.js';
import { scratchDir } from '../support/cli.js';
import { freshDatabase } from '../support/db.js';
import { type ResendServer, startResendServer } from '../support/resend-server.js';
import { addReaders, importSamples } from '../support/sending.js';
import { runWriters, startServeChild } from '../support/writers.js';

const READERS = 3000;

describe('a send with other processes writing', () => {
  let server: ResendServer;
  let dir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    server = await startResendServer({ keepBodies: false, latencyMs: 40 });
    dir = scratchDir('digest-writers-');
    const dbPath = await freshDatabase(dir);
    const db = await openDatabase(dbPath);
    await importSamples(db);
    await addReaders(db, READERS);
    await db.destroy();
    env = {
      DIGEST_DB: dbPath,
      DIGEST_OUTBOX_DIR: join(dir, 'outbox'),
      RESEND_API_KEY: server.options.apiKey,
      RESEND_BASE_URL: server.url,
      DIGEST_SECRET: 'writers-test-secret-0123456789abcdef0123',
      DIGEST_PUBLIC_URL: 'https://news.verdicts.test',
      // 30 batches at 3 a second: the send lasts long enough for the writers to overlap it.
      DIGEST_SEND_RATE: '3',
    };
  });

  afterAll(async () => {
    await server?.close();
  });

  it('lets imports, subscriber imports, sign-ups and webhooks run beside a send, and the send finishes once', async () => {
    const web = await startServeChild(env);
    let sendRunning = true;
    const send = runDigestProcess(['send', '--week', '2026-W47'], env).finally(() => {
      sendRunning = false;
    });
    // Start writing once the send is under way.
    while (server.stats().accepted === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    const writers = runWriters({ env, dir, webUrl: web.url, minRounds: 2, keepGoing: () => sendRunning });
    const [sent, tally] = await Promise.all([send, writers]);
    expect(await web.stop()).toBe(0);

    expect(sent.code, sent.stderr).toBe(0);
    expect(sent.stdout).toContain('2026-W47 sent.');
    // The writers really overlapped the send: some of their rows were committed while it ran.
    const db = await openDatabase(env.DIGEST_DB ?? '');
    const edition = await db
      .selectFrom('editions')
      .selectAll()
      .where('week_key', '=', '2026-W47')
      .executeTakeFirstOrThrow();
    const during = await db
      .selectFrom('subscribers')
      .select('email')
      .where('created_at', '>', edition.started_at ?? '')
      .where('created_at', '<', edition.finished_at ?? '')
      .execute();
    await db.destroy();
    expect(during.length).toBeGreaterThan(0);
    expect(tally.failedRuns).toEqual([]);
    expect(tally.imports).toBeGreaterThanOrEqual(2);
    expect(Object.keys(tally.statuses).sort()).toEqual(['200']);
    expect(web.output()).not.toContain('web.error');
    expect(server.duplicates()).toEqual([]);
    expect(server.countsByRecipient('2026-W47').size).toBe(READERS);
    // Eight processes at once: about 50 s on a loaded 2-core machine, where the default minute is too close.
  }, 180_000);
});
