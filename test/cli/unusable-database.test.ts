// A DIGEST_DB in a place that cannot hold a database (under /proc or /sys, where mkdir answers ENOENT
// although the parent exists) is one sentence naming the path and exit 78, at once. Node's recursive mkdir
// looped on that answer for minutes inside one synchronous call, deaf to SIGTERM.
import { describe, expect, it } from 'vitest';
import { spawnDigest } from '../support/child.js';
import { engine } from '../support/db.js';

/** Runs the built `digest` and kills it after `limitMs`; how long it took and what it said. */
function runWithin(args: string[], env: Record<string, string>, limitMs: number) {
  const started = performance.now();
  const child = spawnDigest(args, env);
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), limitMs);
  return new Promise<{ code: number | null; ms: number; stdout: string; stderr: string }>((resolve) => {
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ code, ms: performance.now() - started, stdout: output, stderr });
    });
  });
}

describe.skipIf(engine === 'postgres')('a DIGEST_DB that cannot hold a database', () => {
  const cannotCreate = (folder: string) =>
    `its folder ${folder} cannot be created there; point DIGEST_DB at a file on a disk that can hold a database.`;
  it.each([
    ['/proc/nope/x.sqlite', cannotCreate('/proc/nope')],
    ['/proc/self/fd/nope/deeper/x.sqlite', cannotCreate('/proc/self/fd/nope')],
    // sysfs refuses mkdir outright.
    ['/sys/nope/x.sqlite', 'it is read-only; make the file and its folder writable.'],
  ])('%s is one sentence and exit 78 within a few seconds', async (location, reason) => {
    const result = await runWithin(['editions'], { DIGEST_DB: location }, 8000);
    expect(result.code).toBe(78);
    expect(result.ms).toBeLessThan(5000);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`DIGEST_DB (${location}) cannot be used: ${reason}\n`);
  });

  it.each(['/proc/x.sqlite', '/sys/x.sqlite'])(
    '%s, in a folder that exists, is one sentence and exit 78',
    async (location) => {
      const result = await runWithin(['editions'], { DIGEST_DB: location }, 8000);
      expect(result.code).toBe(78);
      expect(result.ms).toBeLessThan(5000);
      expect(result.stderr.trim().split('\n')).toEqual([
        `DIGEST_DB (${location}) cannot be used: it cannot be opened or created; check that its folder exists and is writable.`,
      ]);
    },
  );
});
