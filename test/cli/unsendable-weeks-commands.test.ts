// What `digest send`, `send --dry-run` and `editions` say of a week with comparisons but nobody to send it to.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/domain/clock.js';
import { digest, scratchDir } from '../support/cli.js';
import { freshDatabase } from '../support/db.js';
import { AFTER_W47, comparisonsDir } from '../support/sending.js';

const clock = fixedClock(AFTER_W47);

describe('a week with no eligible readers, at the command line', () => {
  it('is called so by the dry run, the send and the editions list, and its comparisons ride the next week', async () => {
    const dir = scratchDir();
    const env = {
      DIGEST_DB: await freshDatabase(dir),
      DIGEST_OUTBOX_DIR: join(dir, 'outbox'),
      DIGEST_PUBLIC_URL: 'https://news.verdicts.test',
    };
    await digest(['import', comparisonsDir], env, clock);
    await digest(['subscribers', 'add', 'pat@example.com', '--status', 'pending'], env, clock);

    const dry = await digest(['send', '--dry-run'], env, clock);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(
      '2026-W47: no eligible readers; the week would be recorded as skipped, nothing sent, and its comparisons would ride 2026-W48.',
    );

    const sent = await digest(['send'], env, clock);
    expect(sent.code).toBe(0);
    expect(sent.stdout).toContain('2026-W47 skipped: no eligible readers');
    expect(sent.stdout).toContain('its comparisons ride 2026-W48.');

    const editions = await digest(['editions'], env, clock);
    expect(editions.stdout).toMatch(/2026-W47\s+skipped\s+no eligible readers/);

    const listed = await digest(['comparisons', 'list', '--week', '2026-W47'], env, clock);
    expect(listed.stdout).toContain('2026-W48 (upcoming)');
    expect(listed.stdout).not.toContain('2026-W47 (skipped)');
  });
});
