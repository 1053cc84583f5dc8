// Large but legal inputs through the built command, whose heap is capped at 64 MB: a CSV of 140,000 readers
// (which aborted with "heap out of memory" when the file was held whole), a listing of them to a pipe, a
// reader that stops after one line, and a 50 MB comparison file.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUILT_DIGEST, projectRoot, runDigestProcess } from '../support/child.js';
import { scratchDir } from '../support/cli.js';
import { freshDatabase } from '../support/db.js';

const ROWS = 140_000;
const comparisonsDir = new URL('../fixtures/comparisons/', import.meta.url).pathname;

/** Writes a CSV of `rows` distinct readers (streamed, so the test itself stays small), then `extra` lines. */
async function writeCsv(file: string, rows: number, extra = ''): Promise<void> {
  const out = createWriteStream(file);
  out.write('email,status,categories\n');
  for (let start = 0; start < rows; start += 1000) {
    const lines: string[] = [];
    for (let i = start; i < Math.min(rows, start + 1000); i++) lines.push(`reader${i}@example.com,active,\n`);
    if (!out.write(lines.join(''))) await once(out, 'drain');
  }
  out.end(extra);
  await once(out, 'close');
}

describe('large imports and listings in the built command', () => {
  let dir: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    dir = scratchDir();
    env = { DIGEST_DB: await freshDatabase(dir), DIGEST_OUTBOX_DIR: join(dir, 'outbox') };
  });

  it(`a bad row at the very end of a ${ROWS}-row CSV leaves nothing written`, async () => {
    const csv = join(dir, 'bad-at-the-end.csv');
    await writeCsv(csv, ROWS, 'reader0@example.com,active,\n');
    const run = await runDigestProcess(['subscribers', 'import', csv], env);
    expect(run.stderr).not.toMatch(/heap|^\s+at /m);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${csv}:${ROWS + 2}: "reader0@example.com" repeats line 2`);
    expect(run.stderr).toContain('Nothing imported: 1 bad row.');
    expect((await runDigestProcess(['subscribers', 'list'], env)).stdout).toBe('');
  }, 120_000);

  it(`imports ${ROWS} rows, every one present, and lists them to a pipe`, async () => {
    const csv = join(dir, 'many.csv');
    await writeCsv(csv, ROWS);
    const run = await runDigestProcess(['subscribers', 'import', csv], env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      `Checked ${ROWS} rows.\nWrote ${ROWS} rows.\nImported ${ROWS} subscribers, 0 already present (unchanged).\n`,
    );

    const list = await runDigestProcess(['subscribers', 'list'], env);
    expect(list.stderr).toBe('');
    expect(list.code).toBe(0);
    const lines = list.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(ROWS);
    expect(new Set(lines).size).toBe(ROWS);
    expect(lines[0]).toBe('reader0@example.com\tactive\t(all)');
    // Address order: the keyset pages join without a gap or a repeat.
    expect(lines.slice(1).every((line, index) => (lines[index] as string) < line)).toBe(true);
  }, 180_000);

  it('a reader that stops after one line (| head -1) ends the listing quietly', async () => {
    const child = spawn('bash', ['-c', 'set -o pipefail; "$0" subscribers list | head -1', BUILT_DIGEST], {
      cwd: projectRoot,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const [code] = await once(child, 'close');
    expect(stderr).toBe('');
    expect(stdout).toBe('reader0@example.com\tactive\t(all)\n');
    expect(code).toBe(0);
  });

  it('refuses a 50 MB comparison file in one sentence naming it, its size and the limit; imports nothing', async () => {
    const big = join(dir, 'big.json');
    // Legal comparisons, as an array: the size alone is what is refused.
    const seed = JSON.parse(readFileSync(join(comparisonsDir, '2026-w47-claude-code-vs-aider.json'), 'utf8'));
    const one = JSON.stringify(seed).length;
    const documents = Array.from({ length: Math.ceil((52 * 1024 * 1024) / one) }, (_, index) => ({
      ...seed,
      slug: `big-${index}`,
    }));
    writeFileSync(big, JSON.stringify(documents));
    const run = await runDigestProcess(['import', comparisonsDir, big], env);
    expect(run.code).toBe(1);
    expect(run.stderr).not.toMatch(/heap|^\s+at /m);
    const [sentence, summary, ...rest] = run.stderr.trim().split('\n');
    expect(sentence).toMatch(
      new RegExp(
        `^${big}: is 5\\d\\.\\d MB, more than the 4\\.0 MB a comparison file may hold; split it into several files$`,
      ),
    );
    expect(summary).toBe('Nothing imported: 1 problem.');
    expect(rest).toEqual([]);
    const listed = await runDigestProcess(['comparisons', 'list'], env);
    expect(listed).toMatchObject({ stdout: '', stderr: 'No comparisons yet.\n' });
  });
});
