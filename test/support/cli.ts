import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { runCli } from '../../src/cli/program.js';
import { type Clock, systemClock } from '../../src/domain/clock.js';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function collector(): Writable & { text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return Object.assign(stream, { text: () => chunks.join('') });
}

/** A scratch directory for one test: its database file, outbox and other files. */
export function scratchDir(prefix = 'digest-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Runs `digest <args>` in this process against the given environment, capturing its output. */
export async function digest(
  args: string[],
  env: Record<string, string | undefined>,
  clock: Clock = systemClock,
): Promise<CliRun> {
  const stdout = collector();
  const stderr = collector();
  const code = await runCli(args, { env, clock, stdout, stderr });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}
