// Crash safety: a real `digest send` child process against the Resend-compatible test server, killed with
// SIGKILL at random moments (before, during and after batch calls), then run again until it finishes.
// The server counts every accepted email per recipient and edition: no duplicates, nobody missing.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/adapters/database.js';
import { runDigestProcess, spawnDigest } from '../support/child.js';
import { scratchDir } from '../support/cli.js';
import { type ResendServer, startResendServer } from '../support/resend-server.js';
import { addReaders, importSamples } from '../support/sending.js';

// Enough batches that 24 kills, each after at most a few batches of progress, land before the send ends.
const SUBSCRIBERS = 5000;
const KILLS = 24;

function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('digest send killed with SIGKILL', () => {
  let server: ResendServer;
  let env: Record<string, string>;

  beforeAll(async () => {
    server = await startResendServer({ keepBodies: false, latencyMs: 15 });
    const dir = scratchDir('digest-crash-');
    const dbPath = join(dir, 'digest.sqlite');
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
    const random = seededRandom(47);
    let kills = 0;
    const killsByMoment = [0, 0, 0]; // start-up or between batches, mid-call, just after an answer
    let finished = false;
    for (let run = 0; !finished && run < KILLS * 3; run++) {
      if (kills >= KILLS) {
        const last = await runDigestProcess(['send', '--week', '2026-W47'], env);
        expect(last.code, last.stderr).toBe(0);
        finished = true;
        break;
      }
      const child = spawnDigest(['send', '--week', '2026-W47'], env);
      let output = '';
      child.stdout.on('data', (chunk) => {
        output += chunk;
      });
      const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
      // Mix of moments: at process start-up (before any batch), in the middle of a batch call (a request
      // the server has received but not answered), and right after an answer.
      const style = run % 3;
      const accepted = server.stats().accepted;
      const kill = () => {
        if (child.exitCode === null && !child.killed) {
          child.kill('SIGKILL');
          kills++;
          killsByMoment[style] = (killsByMoment[style] ?? 0) + 1;
        }
      };
      if (style === 0) setTimeout(kill, 300 + random() * 700);
      else {
        const target = accepted + Math.floor(random() * 3) * 100;
        server.onRequest((phase) => {
          if ((style === 1 && phase === 'received') || (style === 2 && phase === 'answered')) {
            if (server.stats().accepted >= target) kill();
          }
        });
      }
      const code = await exited;
      server.onRequest(undefined);
      if (code === 0 && output.includes('sent.')) finished = true;
    }
    expect(finished).toBe(true);
    expect(kills).toBeGreaterThanOrEqual(20);
    expect(
      killsByMoment.every((count) => count > 0),
      `kills by moment: ${killsByMoment}`,
    ).toBe(true);
    const counts = server.countsByRecipient('2026-W47');
    expect(server.duplicates()).toEqual([]);
    expect(counts.size).toBe(SUBSCRIBERS);
    expect([...counts.values()].every((count) => count === 1)).toBe(true);
  }, 300_000);
});
