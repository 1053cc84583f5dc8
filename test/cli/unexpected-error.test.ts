// A bug, not a fault of the input or the machine: one line naming it and where it was thrown, exit 70
// (EX_SOFTWARE), instead of an uncaught stack followed by the built command's minified source line.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { systemClock } from '../../src/domain/clock.js';

describe('runCli on an unexpected error', () => {
  it('prints one line with the message and where it was thrown, and exits 70', async () => {
    const said: string[] = [];
    // An output that fails as no stream should: the command's own code meets an error nobody planned for.
    const broken = new Writable({ write: () => undefined });
    broken.write = () => {
      throw new TypeError('output went away \u001b[31m');
    };
    const stderr = new Writable({
      write(chunk, _encoding, done) {
        said.push(String(chunk));
        done();
      },
    });
    const code = await runCli(['editions'], {
      env: { DIGEST_DB: ':memory:' },
      clock: systemClock,
      stdout: broken,
      stderr,
    });
    expect(code).toBe(70);
    const text = said.join('');
    expect(text.trim().split('\n')).toHaveLength(1);
    expect(text).toContain('digest failed unexpectedly (a bug; please report this line): output went away');
    expect(text).toContain('\\u001b');
    expect(text).toMatch(/\(at .+:\d+:\d+\)/);
  });
});
