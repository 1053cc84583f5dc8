// Storage faults on the command line, each said in one sentence with its exit code: a DIGEST_DB that cannot
// be used, and a disk that refuses writes to the database or to the outbox.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { projectRoot, runDigestProcess } from '../support/child.js';
import { scratchDir } from '../support/cli.js';
import { engine, freshDatabase } from '../support/db.js';
import { comparisonsDir, writeManyComparisons } from '../support/sending.js';

/** One line on stderr, no stack trace. */
function expectOneSentence(stderr: string) {
  expect(stderr.trim().split('\n')).toHaveLength(1);
  expect(stderr).not.toMatch(/^\s+at /m);
}

describe('storage faults are one sentence', () => {
  let dir: string;
  beforeEach(() => {
    dir = scratchDir();
  });

  // A file's faults are SQLite's; Postgres' own (unreachable, refused, read-only) are in test/postgres/.
  if (engine === 'sqlite') {
    it.each([
      [
        'a file where a folder should be',
        (d: string) => {
          writeFileSync(join(d, 'afile'), 'x');
          return join(d, 'afile', 'digest.sqlite');
        },
        'a file is in the way where a folder should be',
      ],
      [
        'a file that is not a database',
        (d: string) => {
          writeFileSync(join(d, 'notes.sqlite'), 'These are my notes, not a database. '.repeat(10));
          return join(d, 'notes.sqlite');
        },
        'this file is not a SQLite database',
      ],
      [
        'a truncated database',
        (d: string) => {
          const whole = readFileSync(join(projectRoot, 'test/fixtures/release-1/digest.sqlite'));
          writeFileSync(join(d, 'cut.sqlite'), whole.subarray(0, 5000));
          return join(d, 'cut.sqlite');
        },
        'the database file is damaged; restore it from a backup',
      ],
      ['a place nothing can be created (sysfs)', () => '/sys/digest.sqlite', 'cannot be opened or created'],
    ])('%s: names DIGEST_DB and the path, exit 78', async (_name, makePath, sentence) => {
      const path = makePath(dir);
      const run = await runDigestProcess(['editions'], { DIGEST_DB: path });
      expect(run.code).toBe(78);
      expectOneSentence(run.stderr);
      expect(run.stderr).toContain(`DIGEST_DB (${path}) cannot be used: `);
      expect(run.stderr).toContain(sentence);
    });

    it('a disk that refuses writes during an import: one sentence, exit 74, nothing half-written', async () => {
      const env = { DIGEST_DB: await freshDatabase(dir), DIGEST_OUTBOX_DIR: join(dir, 'outbox') };
      expect((await runDigestProcess(['import', comparisonsDir], env)).code).toBe(0);
      const csv = join(dir, 'many.csv');
      writeFileSync(
        csv,
        `email\n${Array.from({ length: 20_000 }, (_, i) => `r${i}@example.com`).join('\n')}\n`,
      );
      // Writes past 400 KiB fail with EFBIG, as on a disk that fills up mid-write.
      const run = await runDigestProcess(['subscribers', 'import', csv], env, { fileSizeLimitKb: 400 });
      expect(run.code).toBe(74);
      expectOneSentence(run.stderr);
      expect(run.stderr).toContain(`DIGEST_DB (${env.DIGEST_DB}): `);
      expect((await runDigestProcess(['subscribers', 'list'], env)).stdout).toBe('');
    });
  }

  it('an outbox on a disk that refuses writes: a clear failure and no temporary files left behind', async () => {
    const env = { DIGEST_DB: await freshDatabase(dir), DIGEST_OUTBOX_DIR: join(dir, 'outbox') };
    // Ten long comparisons make a message far larger than the 64 KiB the process may write per file.
    writeManyComparisons(dir, 10, 'big');
    expect((await runDigestProcess(['import', join(dir, 'big.json')], env)).code).toBe(0);
    const run = await runDigestProcess(
      ['test-send', '--to', 'editor@example.com', '--week', '2026-W47'],
      env,
      {
        fileSizeLimitKb: 64,
      },
    );
    expect(run.code).toBe(1);
    expectOneSentence(run.stderr);
    expect(run.stderr).toContain(`cannot write to the outbox ${env.DIGEST_OUTBOX_DIR}`);
    expect(readdirSync(env.DIGEST_OUTBOX_DIR)).toEqual([]);
  });
});
