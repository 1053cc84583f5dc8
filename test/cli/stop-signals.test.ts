// Every command honours SIGTERM, even while it waits for another process's write lock (a wait that lasts up
// to 30 s). send, serve and worker stop gracefully, and the signal ends the wait: exit 75 with one
// sentence, run again later. Any other command exits at once (143): its transactions roll back.
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import SQLite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnDigest } from '../support/child.js';
import { scratchDir } from '../support/cli.js';
import { engine, freshDatabase, type HeldLock, holdWriteLock } from '../support/db.js';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

interface Stopped {
  readonly code: number | null;
  /** From SIGTERM to the exit. */
  readonly ms: number;
  readonly stderr: string;
}

/** Starts the built `digest`, lets it reach the lock, sends SIGTERM and waits for it to end. */
async function stopWhileLocked(args: string[], env: Record<string, string>): Promise<Stopped> {
  const child = spawnDigest(args, env);
  let stderr = '';
  child.stdout.resume();
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  // Long enough to load and reach the busy wait on a loaded 2-core machine, far short of its 30 s deadline.
  await sleep(2500);
  expect(child.exitCode, stderr).toBeNull();
  const signalled = performance.now();
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const code = await exited;
  clearTimeout(killer);
  return { code, ms: performance.now() - signalled, stderr };
}

describe.skipIf(engine === 'postgres')('SIGTERM while another process holds the write lock', () => {
  let lock: HeldLock | undefined;
  afterEach(async () => {
    await lock?.release();
    lock = undefined;
  });

  async function lockedDatabase(): Promise<{ env: Record<string, string>; location: string }> {
    const dir = scratchDir('digest-stop-');
    const location = await freshDatabase(dir);
    lock = await holdWriteLock(location);
    return {
      location,
      env: { DIGEST_DB: location, DIGEST_OUTBOX_DIR: join(dir, 'outbox'), PORT: String(await freePort()) },
    };
  }

  it.each([
    ['send', ['send', '--week', '2026-W47']],
    ['serve', ['serve']],
    ['worker', ['worker', '--no-server']],
  ])('%s stops waiting and exits 75 in one sentence', async (_name, args) => {
    const { env } = await lockedDatabase();
    const stopped = await stopWhileLocked(args, env);
    expect(stopped.code, stopped.stderr).toBe(75);
    expect(stopped.ms).toBeLessThan(3000);
    expect(stopped.stderr.trim().split('\n')).toEqual([
      `DIGEST_DB (${env.DIGEST_DB}): stopped by a signal while another process held the database locked; run the command again.`,
    ]);
  });

  it.each([
    ['editions', ['editions']],
    ['subscribers add', ['subscribers', 'add', 'late@example.com']],
    ['import', ['import', 'test/fixtures/comparisons']],
  ])('%s exits at once with 143', async (_name, args) => {
    const { env, location } = await lockedDatabase();
    const stopped = await stopWhileLocked(args, env);
    expect(stopped.code, stopped.stderr).toBe(143);
    expect(stopped.ms).toBeLessThan(3000);
    expect(stopped.stderr).toBe('Stopped by SIGTERM.\n');
    await lock?.release();
    const db = new SQLite(location, { readonly: true });
    try {
      expect(db.prepare('select count(*) from subscribers').pluck().get()).toBe(0);
    } finally {
      db.close();
    }
  });
});
