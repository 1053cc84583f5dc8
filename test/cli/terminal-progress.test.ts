// On a terminal, `digest send` and `digest subscribers import` draw progress bars. The built command loads
// their library through Node's own ES module loader, where a CommonJS module's exports are not named: run
// it on a real pseudo-terminal (util-linux `script`), as a person at a shell would.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { BUILT_DIGEST, projectRoot } from '../support/child.js';
import { scratchDir } from '../support/cli.js';
import { engine, freshDatabase } from '../support/db.js';
import { comparisonsDir } from '../support/sending.js';

const run = promisify(execFile);

/** Runs the built command with a terminal on stdin, stdout and stderr; `script` returns its exit code. */
function onTerminal(args: string[], env: Record<string, string>) {
  const command = [BUILT_DIGEST, ...args].map((word) => `'${word}'`).join(' ');
  return run('script', ['--quiet', '--return', '--command', command, '/dev/null'], {
    cwd: projectRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TERM: 'xterm', ...env },
  });
}

describe.skipIf(engine !== 'sqlite')('progress bars on a terminal, through the built command', () => {
  it('imports subscribers and sends a week with their bars drawn, exit 0', async () => {
    const dir = scratchDir();
    const env = { DIGEST_DB: await freshDatabase(dir), DIGEST_OUTBOX_DIR: join(dir, 'outbox') };
    const csv = join(dir, 'readers.csv');
    writeFileSync(
      csv,
      `email\n${Array.from({ length: 50 }, (_, i) => `reader-${i}@example.com`).join('\n')}\n`,
    );
    await onTerminal(['import', comparisonsDir], env);
    const imported = await onTerminal(['subscribers', 'import', csv], env);
    expect(imported.stdout).not.toContain('is not a constructor');
    expect(imported.stdout).toContain('50');
    const sent = await onTerminal(['send', '--week', '2026-W47'], env);
    expect(sent.stdout).not.toContain('is not a constructor');
    expect(sent.stdout).toMatch(/sent\s+50/);
  });
});
