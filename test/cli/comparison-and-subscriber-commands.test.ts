import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { runDigestProcess } from '../support/child.js';
import { type CliRun, digest, scratchDir } from '../support/cli.js';
import { freshDatabase } from '../support/db.js';

const fixtures = new URL('../fixtures/', import.meta.url).pathname;
const comparisonsDir = join(fixtures, 'comparisons');

const slugsOf = (run: CliRun) =>
  run.stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split('\t')[0]);

describe('digest import and comparisons', () => {
  let env: Record<string, string>;
  beforeEach(async () => {
    env = { DIGEST_DB: await freshDatabase() };
  });

  it('imports the shared comparisons, lists them by week, and updates them on a second import', async () => {
    const first = await digest(['import', comparisonsDir], env);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toContain('Imported 5: 5 added, 0 updated.');

    const all = await digest(['comparisons', 'list'], env);
    expect(slugsOf(all)).toHaveLength(5);
    expect(all.stdout).toContain(
      'hugging-face-inference-providers-hub-vs-mistral-3-small-22b\tHugging Face Inference Providers Hub vs Mistral 3 Small (22B)\tWed 18 Nov 2026, 15:00 UTC\t2026-W47',
    );
    expect(slugsOf(await digest(['comparisons', 'list', '--week', '2026-W47'], env))).toEqual([
      'claude-code-vs-aider',
      'cursor-3-vs-windsurf-wave-14',
      'hugging-face-inference-providers-hub-vs-mistral-3-small-22b',
    ]);

    const again = await digest(['import', comparisonsDir], env);
    expect(again.stdout).toContain('Imported 5: 0 added, 5 updated.');
    expect(again.stdout.match(/^updated /gm)).toHaveLength(5);
    expect(slugsOf(await digest(['comparisons', 'list'], env))).toHaveLength(5);
  });

  it('reads weeks in DIGEST_TIMEZONE: Sunday 23:30 UTC is Monday in Berlin', async () => {
    const berlin = { ...env, DIGEST_TIMEZONE: 'Europe/Berlin' };
    await digest(['import', comparisonsDir], berlin);
    expect(slugsOf(await digest(['comparisons', 'list', '--week', '2026-W47'], berlin))).not.toContain(
      'claude-code-vs-aider',
    );
    expect(slugsOf(await digest(['comparisons', 'list', '--week', '2026-W48'], berlin))).toContain(
      'claude-code-vs-aider',
    );
  });

  it.each([
    'not-json.json',
    'score-out-of-range.json',
    'duplicate-persona.json',
    'one-tool.json',
    'several-errors.json',
  ])('rejects %s with the path of each problem and changes nothing', async (name) => {
    await digest(['import', join(comparisonsDir, '2026-w46-ollama-vs-lm-studio.json')], env);
    const before = await digest(['comparisons', 'list'], env);
    const file = join(fixtures, 'invalid', name);
    const run = await digest(['import', comparisonsDir, file], env);
    expect(run.code).not.toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`${file}: `);
    expect(run.stderr).toMatch(/Nothing imported: \d+ problems?\./);
    expect(await digest(['comparisons', 'list'], env)).toEqual(before);
  });

  it('names the JSON path of a score out of range', async () => {
    const run = await digest(['import', join(fixtures, 'invalid', 'score-out-of-range.json')], env);
    expect(run.stderr).toContain('score-out-of-range.json: tools[1].reviews[2].score: must be <= 100');
  });

  it('rejects an unreadable path', async () => {
    const run = await digest(['import', '/nonexistent/comparisons.json'], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('cannot read /nonexistent/comparisons.json: no such file');
  });

  it('removes a comparison and refuses unknown slugs and bad weeks', async () => {
    await digest(['import', comparisonsDir], env);
    expect(await digest(['comparisons', 'remove', 'ollama-vs-lm-studio'], env)).toMatchObject({ code: 0 });
    expect(slugsOf(await digest(['comparisons', 'list'], env))).toHaveLength(4);
    expect(await digest(['comparisons', 'remove', 'ollama-vs-lm-studio'], env)).toMatchObject({
      code: 1,
      stderr: 'No comparison with slug "ollama-vs-lm-studio".\n',
    });
    const badWeek = await digest(['comparisons', 'list', '--week', '2026-W60'], env);
    expect(badWeek.code).toBe(1);
    expect(badWeek.stderr).toContain('--week: "2026-W60" does not exist');
  });
});

describe('digest subscribers', () => {
  let env: Record<string, string>;
  beforeEach(async () => {
    const dir = scratchDir();
    env = { DIGEST_DB: await freshDatabase(dir), DIGEST_OUTBOX_DIR: join(dir, 'outbox') };
    // The comparisons define the categories a subscriber can follow.
    await digest(['import', comparisonsDir], env);
  });

  it('reports lines 5 and 7 of the shared CSV and imports nothing, then the other five with --skip-invalid', async () => {
    const csv = join(fixtures, 'subscribers.csv');
    const strict = await digest(['subscribers', 'import', csv], env);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain(`${csv}:5: "not-an-email" has no @`);
    expect(strict.stderr).toContain(`${csv}:7: status "sleeping"`);
    expect((await digest(['subscribers', 'list'], env)).stdout).toBe('');

    const lenient = await digest(['subscribers', 'import', csv, '--skip-invalid'], env);
    expect(lenient).toMatchObject({ code: 0 });
    expect(lenient.stdout).toContain('Imported 5 subscribers');
    expect(lenient.stdout).toContain('Sent 1 confirmation email to the pending subscribers.');
    const list = await digest(['subscribers', 'list'], env);
    expect(list.stdout.trim().split('\n')).toHaveLength(5);
    expect(list.stdout).toContain('linus@example.org\tactive\tLocal Inference;Coding Agents');
    expect(list.stdout).toContain('ada@example.com\tactive\t(all)');
    expect((await digest(['subscribers', 'list', '--status', 'pending'], env)).stdout).toBe(
      'margaret@example.net\tpending\t(all)\n',
    );
  });

  it('adds, refuses duplicates and bad addresses, and erases', async () => {
    const added = await digest(
      [
        'subscribers',
        'add',
        'a@example.com',
        'b@example.com',
        '--categories',
        'Coding Agents;Local Inference',
        '--status',
        'pending',
      ],
      env,
    );
    expect(added.stdout).toBe(
      'added    a@example.com (pending, confirmation email sent)\nadded    b@example.com (pending, confirmation email sent)\n',
    );
    const again = await digest(['subscribers', 'add', 'A@EXAMPLE.COM', 'broken@'], env);
    expect(again.code).toBe(1);
    expect(again.stdout).toBe('exists   a@example.com (pending), unchanged\n');
    expect(again.stderr).toContain('invalid  broken@: "broken@"');
    expect((await digest(['subscribers', 'list'], env)).stdout).toContain(
      'a@example.com\tpending\tCoding Agents;Local Inference',
    );
    expect(await digest(['subscribers', 'remove', 'a@example.com'], env)).toMatchObject({ code: 0 });
    expect(await digest(['subscribers', 'remove', 'a@example.com'], env)).toMatchObject({ code: 1 });
    expect(await digest(['subscribers', 'add', 'c@example.com', '--status', 'sleeping'], env)).toMatchObject({
      code: 1,
    });
    expect(await digest(['subscribers', 'list', '--status', 'sleeping'], env)).toMatchObject({ code: 1 });
  });
});

describe('digest command line', () => {
  it.each([
    [[]],
    [['import']],
    [['comparisons', 'list']],
    [['subscribers', 'import']],
    [['subscribers', 'remove']],
  ])('prints help for %j', async (args) => {
    const run = await digest([...args, '--help'], { DIGEST_DB: ':memory:' });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: digest/);
  });

  it('stops on a bad configuration value, naming the variable', async () => {
    const run = await digest(['comparisons', 'list'], {
      DIGEST_DB: ':memory:',
      DIGEST_TIMEZONE: 'Moon/Base',
    });
    expect(run.code).toBe(78);
    expect(run.stderr).toContain('DIGEST_TIMEZONE: must be an IANA time zone name');
    const rate = await digest(['comparisons', 'list'], { DIGEST_DB: ':memory:', DIGEST_SEND_RATE: 'lots' });
    expect(rate.stderr).toContain('DIGEST_SEND_RATE: must be a number');
  });

  it('runs as a real process with exit codes', async () => {
    const env = { DIGEST_DB: await freshDatabase() };
    const ok = await runDigestProcess(['import', comparisonsDir], env);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('Imported 5');
    const bad = await runDigestProcess(['import', join(fixtures, 'invalid')], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('several-errors.json: publishedAt');
    const config = await runDigestProcess(['comparisons', 'list'], { ...env, DIGEST_SEND_RATE: '0' });
    expect(config.code).toBe(78);
    expect(config.stderr).toContain('DIGEST_SEND_RATE');
  });
});
