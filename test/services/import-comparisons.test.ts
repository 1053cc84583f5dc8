import { chmodSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listComparisons, loadComparisons } from '../../src/adapters/comparison-repository.js';
import type { Db } from '../../src/adapters/database.js';
import { fixedClock } from '../../src/domain/clock.js';
import { importComparisons } from '../../src/services/import-comparisons.js';
import { scratchDir } from '../support/cli.js';
import { testDatabase } from '../support/db.js';

const fixtures = new URL('../fixtures/', import.meta.url).pathname;
const comparisonsDir = join(fixtures, 'comparisons');
const clock = fixedClock(new Date('2026-11-24T08:00:00Z'));

async function snapshot(db: Db) {
  return {
    comparisons: await db.selectFrom('comparisons').selectAll().orderBy('id').execute(),
    tools: await db.selectFrom('tools').selectAll().orderBy('id').execute(),
    reviews: await db.selectFrom('reviews').selectAll().orderBy('id').execute(),
  };
}

describe('importComparisons', () => {
  let db: Db;
  beforeEach(async () => {
    db = await testDatabase();
  });
  afterEach(async () => {
    await db.destroy();
  });

  it('adds every comparison of a directory, then updates them on a second import', async () => {
    const first = await importComparisons({ db, clock }, [comparisonsDir]);
    expect(first).toMatchObject({ ok: true, updated: [] });
    expect(first.ok && first.added).toHaveLength(5);
    const second = await importComparisons({ db, clock }, [comparisonsDir]);
    expect(second).toMatchObject({ ok: true, added: [] });
    expect(second.ok && second.updated).toHaveLength(5);
    expect(await listComparisons(db)).toHaveLength(5);
    expect(await db.selectFrom('tools').select('id').execute()).toHaveLength(10);
  });

  it('replaces the content of a re-imported slug', async () => {
    const dir = scratchDir();
    const file = join(dir, 'c.json');
    const document = JSON.parse(
      readFileSync(join(comparisonsDir, '2026-w46-ollama-vs-lm-studio.json'), 'utf8'),
    );
    writeFileSync(file, JSON.stringify(document));
    await importComparisons({ db, clock }, [file]);
    document.title = 'Ollama or LM Studio?';
    document.tools[0].reviews = [{ persona: 'builder', score: 12, verdict: 'skip' }];
    writeFileSync(file, JSON.stringify(document));
    expect(await importComparisons({ db, clock }, [file])).toMatchObject({
      ok: true,
      updated: ['ollama-vs-lm-studio'],
    });
    const [comparison] = await loadComparisons(
      db,
      (await listComparisons(db)).map((row) => row.id),
      'https://site.test',
    );
    expect(comparison?.title).toBe('Ollama or LM Studio?');
    expect(comparison?.tools[0].reviews).toEqual([
      { persona: 'builder', score: 12, verdict: 'skip', text: undefined },
    ]);
    expect(comparison?.url).toBe('https://site.test/compare/ollama-vs-lm-studio');
  });

  it.each([
    'not-json.json',
    'score-out-of-range.json',
    'duplicate-persona.json',
    'one-tool.json',
    'several-errors.json',
  ])('imports nothing when %s is among valid files', async (name) => {
    await importComparisons({ db, clock }, [join(comparisonsDir, '2026-w46-ollama-vs-lm-studio.json')]);
    const before = await snapshot(db);
    const result = await importComparisons({ db, clock }, [comparisonsDir, join(fixtures, 'invalid', name)]);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems.every((problem) => problem.file.endsWith(name))).toBe(true);
    expect(await snapshot(db)).toEqual(before);
  });

  it('reports an unreadable path and a missing one', async () => {
    const dir = scratchDir();
    const locked = join(dir, 'locked.json');
    copyFileSync(join(comparisonsDir, '2026-w46-ollama-vs-lm-studio.json'), locked);
    chmodSync(locked, 0o000);
    const result = await importComparisons({ db, clock }, [join(dir, 'missing.json'), locked]);
    expect(result.ok).toBe(false);
    const messages = !result.ok
      ? result.problems.map((problem) => `${problem.file}: ${problem.message}`)
      : [];
    expect(messages[0]).toBe(`${join(dir, 'missing.json')}: no such file`);
    // Root can read a 000 file; either way nothing may be half-imported.
    expect(await listComparisons(db)).toEqual([]);
  });

  it('refuses one slug in two files of the same import', async () => {
    const dir = scratchDir();
    mkdirSync(join(dir, 'a'));
    copyFileSync(join(comparisonsDir, '2026-w46-ollama-vs-lm-studio.json'), join(dir, 'a', 'one.json'));
    copyFileSync(join(comparisonsDir, '2026-w46-ollama-vs-lm-studio.json'), join(dir, 'a', 'two.json'));
    const result = await importComparisons({ db, clock }, [join(dir, 'a')]);
    expect(result).toEqual({
      ok: false,
      problems: [
        {
          file: join(dir, 'a', 'two.json'),
          path: 'slug',
          message: `"ollama-vs-lm-studio" is also imported from ${join(dir, 'a', 'one.json')}`,
        },
      ],
    });
  });

  it('stores defaults the schema describes: title from tool names', async () => {
    const dir = scratchDir();
    const document = JSON.parse(
      readFileSync(join(comparisonsDir, '2026-w47-hugging-face-vs-mistral-3-small.json'), 'utf8'),
    );
    document.title = undefined;
    writeFileSync(join(dir, 'hf.json'), JSON.stringify(document));
    await importComparisons({ db, clock }, [join(dir, 'hf.json')]);
    const [row] = await listComparisons(db);
    expect(row?.title).toBe('Hugging Face Inference Providers Hub vs Mistral 3 Small (22B)');
  });
});
