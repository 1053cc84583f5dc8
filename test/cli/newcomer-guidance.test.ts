// What a newcomer meets first on the command line: the import schema, the known categories, a pending
// subscriber's confirmation, the edition each comparison rides in, and where a JSON file is broken.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/domain/clock.js';
import { projectRoot } from '../support/child.js';
import { digest, scratchDir } from '../support/cli.js';
import { freshDatabase } from '../support/db.js';
import { comparisonsDir, writeManyComparisons } from '../support/sending.js';

const clock = fixedClock(new Date('2026-11-25T10:00:00Z'));

describe('guidance for a newcomer', () => {
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
