// Crash safety: a real `digest send` child process against the Resend-compatible test server, killed with
// SIGKILL at random moments (at start-up, in the middle of a batch call, right after an answer), then run
// again until it finishes. The server counts every accepted email per recipient and edition.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/adapters/database.js';
import { runDigestProcess } from '../support/child.js';
import { scratchDir } from '../support/cli.js';
import { freshDatabase } from '../support/db.js';
import { killRepeatedly, seededRandom } from '../support/kill-loop.js';
import { type ResendServer, startResendServer } from '../support/resend-server.js';
import { addReaders, importSamples } from '../support/sending.js';

// Enough batches that 24 kills, each after at most a few batches of progress, land before the send ends.
const SUBSCRIBERS = 5000;
const KILLS = 24;

describe('digest send killed with SIGKILL', () => {
  let server: ResendServer;
  let env: Record<string, string>;

  beforeAll(async () => {
    server = await startResendServer({ keepBodies: false, latencyMs: 15 });
    const dbPath = await freshDatabase(scratchDir('digest-crash-'));
    const db = await openDatabase(dbPath);
    await importSamples(db);
    await addReaders(db, SUBSCRIBERS);
    await db.destroy();
    env = {
      DIGEST_DB: dbPath,
      RESEND_API_KEY: server.options.apiKey,
      RESEND_BASE_URL: server.url,
      DIGEST_SECRET: 'crash-test-secret-0123456789abcdef0123',
      DIGEST_PUBLIC_URL: 'https://news.verdicts.test',
      DIGEST_SEND_RATE: '25',
    };
  });

  afterAll(async () => {
    await server?.close();
  });

  it(`delivers each email exactly once across ${KILLS} kills`, async () => {
    const result = await killRepeatedly({
      server,
      env,
      week: '2026-W47',
      kills: KILLS,
      random: seededRandom(47),
    });
    expect(result.finished).toBe(true);
    expect(result.kills).toBeGreaterThanOrEqual(20);
    expect(
      result.killsByMoment.every((count) => count > 0),
      `kills by moment: ${result.killsByMoment}`,
    ).toBe(true);
    const counts = server.countsByRecipient('2026-W47');
    expect(server.duplicates()).toEqual([]);
    expect(counts.size).toBe(SUBSCRIBERS);
    expect([...counts.values()].every((count) => count === 1)).toBe(true);
  }, 300_000);
});

describe('two digest send processes started together', () => {
  it('lets one deliver; the other stops with a clear message (or finds the week sent), and nobody gets two', async () => {
    const server = await startResendServer({ keepBodies: false, latencyMs: 10 });
    try {
      const dbPath = await freshDatabase(scratchDir('digest-pair-'));
      const db = await openDatabase(dbPath);
      await importSamples(db);
      await addReaders(db, 2000);
      await db.destroy();
      const env = {
        DIGEST_DB: dbPath,
        RESEND_API_KEY: server.options.apiKey,
        RESEND_BASE_URL: server.url,
        DIGEST_SECRET: 'pair-test-secret-0123456789abcdef012345',
        DIGEST_PUBLIC_URL: 'https://news.verdicts.test',
        DIGEST_SEND_RATE: '20',
      };
      const [first, second] = await Promise.all([
        runDigestProcess(['send', '--week', '2026-W47'], env),
        runDigestProcess(['send', '--week', '2026-W47'], env),
      ]);
      const outputs = [first, second].map((run) => `${run.code}: ${run.stdout}`);
      expect(outputs.filter((output) => output.startsWith('0: 2026-W47 sent.'))).toHaveLength(1);
      expect(
        outputs.filter((output) => /^1: 2026-W47 is being sent by another process/.test(output)),
      ).toHaveLength(1);
      expect(server.duplicates()).toEqual([]);
      expect(server.countsByRecipient('2026-W47').size).toBe(2000);
    } finally {
      await server.close();
    }
  }, 120_000);
});
