import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { beforeEach, describe, expect, it } from 'vitest';
import { listOutbox } from '../../src/adapters/outbox-transport.js';
import { fixedClock } from '../../src/domain/clock.js';
import { digest, scratchDir } from '../support/cli.js';
import { freshDatabase } from '../support/db.js';
import { AFTER_W47, comparisonsDir } from '../support/sending.js';

const clock = fixedClock(AFTER_W47);

describe('digest send, editions, preview and test-send', () => {
  let dir: string;
  let env: Record<string, string>;
  let setupMail: string[];
  beforeEach(async () => {
    dir = scratchDir();
    env = {
      DIGEST_DB: await freshDatabase(dir),
      DIGEST_OUTBOX_DIR: join(dir, 'outbox'),
      DIGEST_PUBLIC_URL: 'https://news.verdicts.test',
    };
    await digest(['import', comparisonsDir], env, clock);
    await digest(['subscribers', 'add', 'ada@example.com', 'grace@example.com'], env, clock);
    await digest(['subscribers', 'add', 'coder@example.com', '--categories', 'Coding Agents'], env, clock);
    await digest(['subscribers', 'add', 'pat@example.com', '--status', 'pending'], env, clock);
    // A category no comparison has yet: allowed explicitly, and matched by nothing this week.
    await digest(
      ['subscribers', 'add', 'robo@example.com', '--categories', 'Robotics', '--new-category'],
      env,
      clock,
    );
    // pat's confirmation email: the outbox's contents before any digest.
    setupMail = await listOutbox(env.DIGEST_OUTBOX_DIR ?? '');
  });

  it('plans without sending on --dry-run, listing every recipient and exclusion', async () => {
    const run = await digest(['send', '--dry-run'], env, clock);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('2026-W47 would carry 3 comparisons, in this order:');
    expect(run.stdout).toContain('ada@example.com\tgets 3: claude-code-vs-aider');
    expect(run.stdout).toContain('coder@example.com\tgets 2:');
    expect(run.stdout).toContain('pat@example.com\tskipped: pending confirmation');
    expect(run.stdout).toContain('robo@example.com\tskipped: no matching categories');
    expect(run.stdout).toContain('Subscribers: 5; would send 3; would skip 2');
    expect(await listOutbox(env.DIGEST_OUTBOX_DIR ?? '')).toEqual(setupMail);
    expect((await digest(['editions'], env, clock)).stdout).toBe('No editions yet.\n');
  });

  it('sends the last completed week once, reports, and lists the edition', async () => {
    const run = await digest(['send'], env, clock);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('2026-W47 sent.');
    expect(run.stdout).toContain(
      'Subscribers: 5\n  eligible  3\n  sent      3\n  failed    0\n  skipped   2\n',
    );
    expect(run.stdout).toContain('    1\tpending confirmation\n');
    expect(run.stdout).toContain('    1\tno matching categories\n');
    expect(await listOutbox(env.DIGEST_OUTBOX_DIR ?? '')).toHaveLength(setupMail.length + 3);
    const again = await digest(['send'], env, clock);
    expect(again.stdout).toContain('2026-W47 was already sent');
    expect(await listOutbox(env.DIGEST_OUTBOX_DIR ?? '')).toHaveLength(setupMail.length + 3);
    const editions = await digest(['editions'], env, clock);
    expect(editions.stdout.split('\n')[1]).toMatch(
      /^2026-W47 +sent +Claude Code vs Aider, and 2 more verdicts +sent 3, skipped 2 +Wed 25 Nov 2026, 10:00 UTC$/,
    );
  });

  it('refuses a week that has not ended and a malformed one', async () => {
    const current = await digest(['send', '--week', '2026-W48'], env, clock);
    expect(current).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('2026-W48 has not ended yet in UTC'),
    });
    expect((await digest(['send', '--week', 'W48'], env, clock)).code).toBe(1);
  });

  it('previews the real digest of a week, as HTML or text', async () => {
    const out = join(dir, 'w47.html');
    const run = await digest(['preview', '--week', '2026-W47', '--out', out], env, clock);
    expect(run.stdout).toContain(`Wrote the 2026-W47 digest (3 comparisons`);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('Claude Code vs Aider');
    const text = await digest(['preview', '--text', '--out', join(dir, 'w47.txt')], env, clock);
    expect(text.code).toBe(0);
    expect(readFileSync(join(dir, 'w47.txt'), 'utf8')).toContain('Builder   89/100 ship  79/100 ship');
    expect((await digest(['preview', '--week', '2026-W40'], env, clock)).stderr).toContain(
      'has no comparisons',
    );
  });

  it('test-sends the exact digest to one address outside the ledger', async () => {
    const run = await digest(['test-send', '--to', 'editor@example.com', '--week', '2026-W47'], env, clock);
    expect(run.code).toBe(0);
    const [file] = await listOutbox(env.DIGEST_OUTBOX_DIR ?? '');
    const parsed = await simpleParser(readFileSync(join(env.DIGEST_OUTBOX_DIR ?? '', file ?? '')));
    expect(parsed.subject).toBe('[TEST] Claude Code vs Aider, and 2 more verdicts');
    expect((await digest(['editions'], env, clock)).stdout).toBe('No editions yet.\n');
    expect((await digest(['test-send', '--to', 'not-an-address'], env, clock)).code).toBe(1);
  });
});
