// The built command (dist/digest.js, run directly as its `bin` and the service unit run
// it): what each command loads, stopping under a service manager, backups while a send runs, and operator
// errors as one line. On PostgreSQL the sends, the service stop and the backup's refusal run again; the
// rest is about the build or a SQLite file.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BUILT_DIGEST,
  type DigestChild,
  projectRoot,
  runDigestProcess,
  spawnDigest,
} from '../support/child.js';
import { scratchDir } from '../support/cli.js';
import { engine, freshDatabase } from '../support/db.js';
import { type ResendServer, startResendServer } from '../support/resend-server.js';
import { comparisonsDir } from '../support/sending.js';

const run = (args: string[], env: Record<string, string>) => runDigestProcess(args, env);

/** One line on stderr, no stack trace. */
function expectOneLine(stderr: string) {
  expect(stderr.trim().split('\n')).toHaveLength(1);
  expect(stderr).not.toMatch(/^\s+at /m);
}

function exitOf(child: DigestChild): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 50));
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** A database with the sample comparisons (2026-W47) and `count` active readers, made with the command. */
async function newsletter(
  dir: string,
  count: number,
): Promise<{ DIGEST_DB: string; DIGEST_OUTBOX_DIR: string }> {
  const env = { DIGEST_DB: await freshDatabase(dir), DIGEST_OUTBOX_DIR: join(dir, 'outbox') };
  const csv = join(dir, 'readers.csv');
  writeFileSync(
    csv,
    `email\n${Array.from({ length: count }, (_, i) => `reader-${i}@example.com`).join('\n')}\n`,
  );
  expect((await run(['import', comparisonsDir], env)).code).toBe(0);
  expect((await run(['subscribers', 'import', csv], env)).code).toBe(0);
  return env;
}

describe('the built digest command', () => {
  if (engine === 'sqlite') {
    it('is the package bin, runs without TypeScript, and keeps its Node flags in its shebang', () => {
      const manifest = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8'));
      expect(join(projectRoot, manifest.bin.digest)).toBe(BUILT_DIGEST);
      expect(manifest.scripts.prepare).toBe('node scripts/build.mjs');
      expect(readFileSync(BUILT_DIGEST, 'utf8').split('\n')[0]).toMatch(
        /^#!\/usr\/bin\/env -S MALLOC_ARENA_MAX=2 node --optimize-for-size --max-/,
      );
    });

    it('loads React, the Resend SDK, nodemailer, pino, Hono, markdown-it and pg only in the commands that use them', () => {
      const meta = JSON.parse(readFileSync(join(projectRoot, 'dist', 'meta.json'), 'utf8')) as {
        outputs: Record<
          string,
          { imports: { path: string; kind: string }[]; inputs: Record<string, unknown>; entryPoint?: string }
        >;
      };
      // Everything loaded before a command's action runs: the entry point and what it imports to parse the
      // command line (program, configuration, clock), with their static imports, transitively.
      const startUp = new Set(['src/cli.ts', 'src/cli/program.ts', 'src/config.ts', 'src/domain/clock.ts']);
      const queue = Object.entries(meta.outputs)
        .filter(([, output]) => startUp.has(output.entryPoint ?? ''))
        .map(([file]) => file);
      expect(queue).toHaveLength(4);
      const loaded = new Set<string>();
      for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
        if (loaded.has(file)) continue;
        loaded.add(file);
        for (const entry of meta.outputs[file]?.imports ?? [])
          if (entry.kind === 'import-statement' && entry.path.startsWith('dist/')) queue.push(entry.path);
      }
      const inputs = [...loaded].flatMap((file) => Object.keys(meta.outputs[file]?.inputs ?? {}));
      const packages = new Set(inputs.map((input) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1]));
      expect([...packages].filter(Boolean).sort()).toEqual([
        'commander',
        'csv-parse',
        'kysely',
        'node-cron',
        'zod',
      ]);
      // Those are all present in the build, each behind a dynamic import.
      const all = Object.values(meta.outputs).flatMap((output) => Object.keys(output.inputs));
      for (const name of ['react-dom', 'resend', 'hono', 'nodemailer', 'pino', 'markdown-it', 'pg'])
        expect(all.some((input) => input.includes(`node_modules/${name}/`))).toBe(true);
    });
  }

  it('sends a week, rendering in a worker thread, and lists it', async () => {
    const env = await newsletter(scratchDir(), 3);
    const send = await run(['send', '--week', '2026-W47'], env);
    expect(send.stdout).toContain('2026-W47 sent.');
    expect(send.code).toBe(0);
    const editions = await run(['editions'], env);
    expect(editions.stdout).toMatch(/^2026-W47 +sent +.* +sent 3 +\w{3} \d+ \w{3} \d{4}, \d\d:\d\d UTC$/m);
  });
});

describe('digest worker under a service manager', () => {
  let child: DigestChild | undefined;
  afterEach(() => {
    if (child?.exitCode === null && child.pid) process.kill(-child.pid, 'SIGKILL');
  });

  it('stops on SIGTERM sent to its whole process group and exits 0 with a clean log', async () => {
    const dir = scratchDir();
    const env = {
      ...(await newsletter(dir, 3)),
      PORT: String(await freePort()),
      DIGEST_CATCH_UP_HOURS: '0', // nothing stale goes out: the test is about stopping
    };
    child = spawnDigest(['worker'], env, { detached: true });
    let log = '';
    child.stderr.on('data', (chunk) => {
      log += chunk;
    });
    const exited = exitOf(child);
    await until(() => log.includes('"schedule"') && log.includes('"tick'));
    // What systemd does by default (KillMode=control-group): the signal goes to every process of the unit.
    process.kill(-(child.pid ?? 0), 'SIGTERM');
    expect(await exited).toEqual({ code: 0, signal: null });
    const lines = log
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { level: number; event: string });
    expect(lines.map((line) => line.event)).toEqual(
      expect.arrayContaining(['worker.start', 'worker.stopping', 'worker.stopped']),
    );
    expect(lines.filter((line) => line.level >= 40)).toEqual([]);
  });
});

describe('digest backup', () => {
  if (engine === 'postgres') {
    it('refuses in one sentence on PostgreSQL, pointing to pg_dump, and writes nothing', async () => {
      const dir = scratchDir();
      const target = join(dir, 'digest-copy.sqlite');
      const DIGEST_DB = await freshDatabase(dir);
      const result = await run(['backup', target], { DIGEST_DB });
      expect(result.code).toBe(1);
      expectOneLine(result.stderr);
      expect(result.stderr).toContain('DIGEST_DB is a PostgreSQL database: back it up with pg_dump');
      expect(result.stderr).not.toContain(new URL(DIGEST_DB).password);
      expect(existsSync(target)).toBe(false);
    });
    return;
  }
  let server: ResendServer;
  beforeEach(async () => {
    server = await startResendServer({ keepBodies: false });
  });
  afterEach(async () => {
    await server.close();
  });

  it('copies the database consistently while a send is in the middle of a batch', async () => {
    const dir = scratchDir();
    const env = {
      ...(await newsletter(dir, 1000)),
      RESEND_API_KEY: server.options.apiKey,
      RESEND_BASE_URL: server.url,
      DIGEST_SECRET: 'backup-test-secret-0123456789abcdef0123',
      DIGEST_PUBLIC_URL: 'https://news.verdicts.test',
      DIGEST_SEND_RATE: '100',
    };
    // Once 300 emails are accepted, the provider holds the next batch: the send is stopped mid-call. (How many
    // batches that takes depends on the digest's size: requests are bounded in characters too.)
    let release: (() => void) | undefined;
    let acceptedBeforeHold = 0;
    server.onRequest((phase) => {
      if (phase === 'received' && !release && server.stats().accepted >= 300) {
        acceptedBeforeHold = server.stats().accepted;
        release = server.hold();
      }
    });
    const send = spawnDigest(['send', '--week', '2026-W47'], env);
    send.stdout.resume();
    send.stderr.resume();
    const sent = exitOf(send);
    await until(() => release !== undefined);

    const copy = join(dir, 'backups', 'digest-copy.sqlite');
    const missingFolder = await run(['backup', copy], env);
    expect(missingFolder.code).toBe(73);
    expectOneLine(missingFolder.stderr);
    expect(missingFolder.stderr).toContain(`Cannot write the backup ${copy}: its folder does not exist.`);
    const target = join(dir, 'digest-copy.sqlite');
    const backup = await run(['backup', target], env);
    expect(backup.stderr).toBe('');
    expect(backup.code).toBe(0);
    expect(backup.stdout).toContain(`Backed up ${env.DIGEST_DB} to ${target}`);

    release?.();
    expect((await sent).code).toBe(0);
    expect(server.duplicates()).toEqual([]);
    expect(server.countsByRecipient('2026-W47').size).toBe(1000);

    // The copy is one self-contained, intact file holding the send as it stood: the accepted batches confirmed,
    // the held one not.
    const restored = new SQLite(target, { readonly: true });
    try {
      expect(restored.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(restored.pragma('journal_mode', { simple: true })).toBe('delete');
      expect(restored.prepare("select status from editions where week_key = '2026-W47'").get()).toEqual({
        status: 'sending',
      });
      const counts = Object.fromEntries(
        (
          restored.prepare('select status, count(*) as n from deliveries group by status').all() as {
            status: string;
            n: number;
          }[]
        ).map((row) => [row.status, row.n]),
      );
      expect(counts.sent).toBe(acceptedBeforeHold);
      expect(counts.sent).toBeLessThan(1000);
      expect((counts.sent ?? 0) + (counts.batched ?? 0) + (counts.pending ?? 0)).toBe(1000);
    } finally {
      restored.close();
    }
    // And the program opens it as its database (the README's restore steps).
    const listed = await run(['editions'], { DIGEST_DB: target });
    expect(listed.stdout).toMatch(/^2026-W47 +sending +/m);
  });

  it('says in one line when there is no database to copy or the target is a folder', async () => {
    const dir = scratchDir();
    const absent = join(dir, 'nothing-here.sqlite');
    const noDatabase = await run(['backup', join(dir, 'copy.sqlite')], { DIGEST_DB: absent });
    expect(noDatabase.code).toBe(78);
    expectOneLine(noDatabase.stderr);
    expect(noDatabase.stderr).toContain(
      `DIGEST_DB (${absent}) cannot be backed up: there is no database there`,
    );
    const env = await newsletter(dir, 1);
    const folder = await run(['backup', dir], env);
    expect(folder.code).toBe(73);
    expectOneLine(folder.stderr);
    expect(folder.stderr).toContain('it is a folder; name the backup file');
  });
});

// A file's and the configuration's (checked before any database is opened); PostgreSQL's own faults are in
// test/postgres/connection-faults.test.ts.
if (engine === 'sqlite') {
  describe('operator errors from the built command', () => {
    it('a DIGEST_DB that cannot be opened: one line naming it and the path, exit 78', async () => {
      const dir = scratchDir();
      writeFileSync(join(dir, 'afile'), 'x');
      const path = join(dir, 'afile', 'digest.sqlite');
      const result = await run(['editions'], { DIGEST_DB: path });
      expect(result.code).toBe(78);
      expectOneLine(result.stderr);
      expect(result.stderr).toContain(`DIGEST_DB (${path}) cannot be used: `);
    });

    it('a cron field out of range: names the variable, the field and the value, exit 78', async () => {
      const result = await run(['editions'], { DIGEST_SCHEDULE: '0 25 * * 1' });
      expect(result.code).toBe(78);
      expect(result.stderr).toContain(
        'DIGEST_SCHEDULE: the hour field is "25", but it takes 0-23 (with ranges, lists and */steps) (got "0 25 * * 1")',
      );
      expect(result.stderr).not.toMatch(/^\s+at /m);
    });

    it('shows a bad value, but never a secret', async () => {
      const result = await run(['editions'], {
        DIGEST_SEND_RATE: 'fast',
        DIGEST_SECRET: 'my-short-secret',
      });
      expect(result.code).toBe(78);
      expect(result.stderr).toContain('DIGEST_SEND_RATE: must be a number from 0.1 to 1000 (got "fast")');
      expect(result.stderr).toContain('DIGEST_SECRET: must be at least 32 characters');
      expect(result.stderr).not.toContain('my-short-secret');
    });
  });
}
