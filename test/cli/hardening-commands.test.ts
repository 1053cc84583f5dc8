// SPEC section 17 on the command line: faults as sentences, and the newcomer fixes.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/domain/clock.js';
import { projectRoot, runDigestProcess } from '../support/child.js';
import { digest, scratchDir } from '../support/cli.js';
import { engine, freshDatabase } from '../support/db.js';
import { comparisonsDir } from '../support/sending.js';

const clock = fixedClock(new Date('2026-11-25T10:00:00Z'));
const seed = JSON.parse(
  readFileSync(join(comparisonsDir, '2026-w47-claude-code-vs-aider.json'), 'utf8'),
) as Record<string, unknown>;

/** `count` more comparisons published in 2026-W47, written to one file in `dir`. */
function writeManyComparisons(
  dir: string,
  count: number,
  prefix: string,
  publishedAt = '2026-11-18T12:00:00Z',
) {
  const documents = Array.from({ length: count }, (_, index) => ({
    ...seed,
    slug: `${prefix}-${index}`,
    title: `${prefix} comparison number ${index}`,
    publishedAt,
  }));
  const file = join(dir, `${prefix}.json`);
  writeFileSync(file, JSON.stringify(documents));
  return file;
}

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

describe('newcomer fixes', () => {
  let dir: string;
  let env: Record<string, string>;
  beforeEach(async () => {
    dir = scratchDir();
    env = {
      DIGEST_DB: await freshDatabase(dir),
      DIGEST_OUTBOX_DIR: join(dir, 'outbox'),
      DIGEST_PUBLIC_URL: 'https://news.verdicts.test',
    };
    await digest(['import', comparisonsDir], env, clock);
  });

  it('ships the import schema and points to it from import --help', async () => {
    expect(existsSync(join(projectRoot, 'contracts/comparison.schema.json'))).toBe(true);
    const schema = JSON.parse(readFileSync(join(projectRoot, 'contracts/comparison.schema.json'), 'utf8'));
    expect(schema.$schema).toMatch(/json-schema/);
    expect((await digest(['import', '--help'], env)).stdout).toContain('contracts/comparison.schema.json');
  });

  it('refuses an unknown category, naming the known ones, unless --new-category', async () => {
    const refused = await digest(
      ['subscribers', 'add', 'robo@example.com', '--categories', 'Robotics'],
      env,
      clock,
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      '--categories: unknown category "Robotics" (known: Coding Agents, Developer Tools, Image Generation, Local Inference); use --new-category to allow it.\n',
    );
    expect((await digest(['subscribers', 'list'], env)).stdout).toBe('');
    const spelled = await digest(
      ['subscribers', 'add', 'coder@example.com', '--categories', 'coding agents'],
      env,
      clock,
    );
    expect(spelled.code).toBe(0);
    expect((await digest(['subscribers', 'list'], env)).stdout).toBe(
      'coder@example.com\tactive\tCoding Agents\n',
    );
    const allowed = await digest(
      ['subscribers', 'add', 'robo@example.com', '--categories', 'Robotics', '--new-category'],
      env,
      clock,
    );
    expect(allowed.code).toBe(0);

    const csv = join(dir, 'people.csv');
    writeFileSync(csv, 'email,categories\nnew@example.com,Robotcs\nok@example.com,Image Generation\n');
    const strict = await digest(['subscribers', 'import', csv], env, clock);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain(`${csv}:2: unknown category "Robotcs" (known: `);
    const lenient = await digest(['subscribers', 'import', csv, '--new-category'], env, clock);
    expect(lenient.stdout).toContain('Imported 2 subscribers');
  });

  it('sends the confirmation email to a subscriber added as pending, as the web form does', async () => {
    const run = await digest(['subscribers', 'add', 'pat@example.com', '--status', 'pending'], env, clock);
    expect(run.stdout).toBe('added    pat@example.com (pending, confirmation email sent)\n');
    const [name] = readdirSync(env.DIGEST_OUTBOX_DIR ?? '');
    expect(name).toMatch(/^pat_example\.com--/);
    const mail = await simpleParser(readFileSync(join(env.DIGEST_OUTBOX_DIR ?? '', name ?? '')));
    expect(mail.subject).toBe('Confirm your subscription to Weekly AI Tool Verdicts');
    expect(mail.text).toContain('https://news.verdicts.test/confirm?token=');
  });

  it('lists the edition each comparison rode in or will ride in', async () => {
    await digest(['subscribers', 'add', 'ada@example.com'], env, clock);
    expect((await digest(['send', '--week', '2026-W47'], env, clock)).code).toBe(0);
    // Published in W47 but imported after W47 went out: it rides in W48.
    writeManyComparisons(dir, 1, 'late');
    await digest(['import', join(dir, 'late.json')], env, fixedClock(new Date('2026-11-25T11:00:00Z')));
    const lines = (await digest(['comparisons', 'list'], env, clock)).stdout.trim().split('\n');
    const editionOf = (slug: string) => lines.find((line) => line.startsWith(`${slug}\t`))?.split('\t')[4];
    expect(editionOf('claude-code-vs-aider')).toBe('2026-W47 (sent)');
    expect(editionOf('late-0')).toBe('2026-W48 (upcoming)');
    expect(editionOf('flux-2-pro-vs-midjourney-v8')).toBe('2026-W48 (upcoming)');
    // W46 had no edition yet: its comparison would still go out with W46.
    expect(editionOf('ollama-vs-lm-studio')).toBe('2026-W46 (upcoming)');
  });

  it('names the line and column of a JSON syntax error', async () => {
    const file = join(dir, 'broken.json');
    writeFileSync(
      file,
      '{\n  "slug": "broken",\n  "title": "Broken"\n  "publishedAt": "2026-11-18T12:00:00Z"\n}\n',
    );
    const run = await digest(['import', file], env, clock);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `${file}: not valid JSON: line 4, column 3: Expected ',' or '}' after property value`,
    );
    expect(run.stderr).toContain('Nothing imported: 1 problem.');
  });
});
