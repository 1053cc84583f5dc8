// What the built command prints for a person: control characters refused at import and shown inert when an
// older database holds them, human times, the editions table, and a missing file in one sentence.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/adapters/database.js';
import { fixedClock } from '../../src/domain/clock.js';
import { findControlCharacter } from '../../src/domain/control-characters.js';
import { runDigestProcess } from '../support/child.js';
import { digest, scratchDir } from '../support/cli.js';
import { freshDatabase } from '../support/db.js';
import { AFTER_W47, comparisonsDir } from '../support/sending.js';

const CLAUDE = 'claude-code-vs-aider';
const ESC = '\u001b';
const clock = fixedClock(AFTER_W47);

/** The built `digest`, as an operator runs it. */
const built = (args: string[], env: Record<string, string>) => runDigestProcess(args, env);

describe('the built command and control characters', () => {
  let dir: string;
  let env: Record<string, string>;
  beforeEach(async () => {
    dir = scratchDir();
    env = { DIGEST_DB: await freshDatabase(dir), DIGEST_OUTBOX_DIR: join(dir, 'outbox') };
  });

  it('refuses a document with control characters at import, naming each by its path', async () => {
    const document = JSON.parse(
      readFileSync(join(comparisonsDir, '2026-w47-claude-code-vs-aider.json'), 'utf8'),
    );
    document.title = 'Claude Code vs Aider\u0001';
    document.tools[0].name = `Claude Code${ESC}[31m`;
    document.tools[1].category = 'Coding Agents\u0000';
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify(document));
    const run = await built(['import', file], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      [
        `${file}: title: contains a control character (U+0001); remove it`,
        `${file}: tools[0].name: contains a control character (U+001B); remove it`,
        `${file}: tools[1].category: contains a control character (U+0000); remove it`,
        'Nothing imported: 3 problems.',
        '',
      ].join('\n'),
    );
    expect(run.stdout).toBe('');
    expect((await built(['comparisons', 'list'], env)).stdout).toBe('');
  });

  it('refuses a subscriber category with a control character, even a new one', async () => {
    const run = await built(
      ['subscribers', 'add', 'ada@example.com', '--categories', `Coding${ESC}[8m`, '--new-category'],
      env,
    );
    expect(run).toMatchObject({
      code: 1,
      stdout: '',
      stderr: '--categories: category "Coding\\u001b[8m" contains a control character (U+001B); remove it.\n',
    });
  });

  it('prints what an older database holds with its control characters escaped', async () => {
    await digest(['import', comparisonsDir], env, clock);
    const db = await openDatabase(env.DIGEST_DB ?? '');
    try {
      // Rows as an older release could have stored them, written past today's import checks.
      await db
        .updateTable('comparisons')
        .set({ title: `Claude Code${ESC}[2J vs Aider\u009b` })
        .where('slug', '=', CLAUDE)
        .execute();
      await db
        .insertInto('editions')
        .values({
          week_key: '2026-W40',
          status: 'sent',
          reason: null,
          time_zone: 'UTC',
          window_start: '2026-09-28T00:00:00.000Z',
          window_end: '2026-10-05T00:00:00.000Z',
          subject: `Owned${ESC}]0;title${'\u0007'}`,
          planned_at: '2026-10-05T09:00:00.000Z',
          started_at: '2026-10-05T09:00:00.000Z',
          finished_at: '2026-10-05T09:01:00.000Z',
          note: null,
          approved_by: null,
          approved_at: null,
        })
        .execute();
    } finally {
      await db.destroy();
    }
    const listed = await built(['comparisons', 'list'], env);
    expect(listed.code).toBe(0);
    expect(findControlCharacter(listed.stdout, 'multi-line')).toBeUndefined();
    expect(listed.stdout).toContain(`${CLAUDE}\tClaude Code\\u001b[2J vs Aider\\u009b\t`);
    const editions = await built(['editions'], env);
    expect(editions.code).toBe(0);
    expect(findControlCharacter(editions.stdout, 'multi-line')).toBeUndefined();
    expect(editions.stdout).toContain('Owned\\u001b]0;title\\u0007');
  });
});

describe('the built command prints for people', () => {
  let dir: string;
  let env: Record<string, string>;
  beforeEach(async () => {
    clock.set(AFTER_W47);
    dir = scratchDir();
    env = { DIGEST_DB: await freshDatabase(dir), DIGEST_OUTBOX_DIR: join(dir, 'outbox') };
  });

  it('says "No editions yet." on stdout, exit 0', async () => {
    expect(await built(['editions'], env)).toMatchObject({
      code: 0,
      stdout: 'No editions yet.\n',
      stderr: '',
    });
  });

  it('lists editions under a header row, in aligned columns, with human times in DIGEST_TIMEZONE', async () => {
    await digest(['import', comparisonsDir], env, clock);
    await digest(['subscribers', 'add', 'ada@example.com', 'grace@example.com'], env, clock);
    expect((await digest(['send', '--week', '2026-W47'], env, clock)).code).toBe(0);
    // AFTER_W47 is Wed 25 Nov 2026 10:00 UTC: the send finished then.
    const utc = await built(['editions'], env);
    expect(utc).toMatchObject({ code: 0, stderr: '' });
    const lines = utc.stdout.trimEnd().split('\n');
    expect(lines).toEqual([
      'week      status  subject or reason                          deliveries  finished',
      '2026-W47  sent    Claude Code vs Aider, and 2 more verdicts  sent 2      Wed 25 Nov 2026, 10:00 UTC',
    ]);
    const berlin = await built(['editions'], { ...env, DIGEST_TIMEZONE: 'Europe/Berlin' });
    expect(berlin.stdout).toContain('Wed 25 Nov 2026, 11:00 CET');
    expect(berlin.stdout).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:/);
    // A send of a week already sent reports when it finished, in words.
    const again = await built(['send', '--week', '2026-W47'], env);
    expect(again.stdout).toContain(
      '2026-W47 was already sent (finished Wed 25 Nov 2026, 10:00 UTC); nothing to do.',
    );
  });

  it('prints published, approval and due times as people read them', async () => {
    await digest(['import', comparisonsDir], env, clock);
    const listed = await built(['comparisons', 'list', '--week', '2026-W47'], env);
    expect(listed.stdout).toContain(
      'hugging-face-inference-providers-hub-vs-mistral-3-small-22b\tHugging Face Inference Providers Hub vs Mistral 3 Small (22B)\tWed 18 Nov 2026, 15:00 UTC\t2026-W47',
    );
    const inNewYork = await built(['comparisons', 'list', '--week', '2026-W47'], {
      ...env,
      DIGEST_TIMEZONE: 'America/New_York',
    });
    expect(inNewYork.stdout).toContain('\tWed 18 Nov 2026, 10:00 UTC-05:00\t');
    expect(listed.stdout).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:/);

    await digest(['approve', '--by', 'ada'], env, clock);
    // The draft command reads the real clock: name the week.
    const shown = await built(['draft', '--week', '2026-W47'], env);
    expect(shown.stdout).toContain('Review: approved by ada at Wed 25 Nov 2026, 10:00 UTC;');
    expect(shown.stdout).toContain('Due: Mon 23 Nov 2026, 09:00 UTC\n');
    expect(shown.stdout).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:/);
  });

  it('names a file it cannot read in one sentence', async () => {
    const missing = join(dir, 'nope.json');
    expect(await built(['import', missing], env)).toMatchObject({
      code: 1,
      stdout: '',
      stderr: `cannot read ${missing}: no such file\nNothing imported: 1 problem.\n`,
    });
    const notes = join(dir, 'notes.md');
    expect(await built(['draft', 'note', '--week', '2026-W47', '--file', notes], env)).toMatchObject({
      code: 1,
      stdout: '',
      stderr: `cannot read ${notes}: no such file\n`,
    });
    const folder = join(dir, 'folder.md');
    mkdirSync(folder);
    expect((await built(['draft', 'note', '--week', '2026-W47', '--file', folder], env)).stderr).toBe(
      `cannot read ${folder}: is a directory\n`,
    );
  });
});
