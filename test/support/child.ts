import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

/** The built command (scripts/build.mjs; vitest's global setup rebuilds it when a source changed). */
export const BUILT_DIGEST = join(projectRoot, 'dist', 'digest.js');

export interface ChildResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The built `digest` in a child process. */
export type DigestChild = ReturnType<typeof spawnDigest>;

export interface SpawnOptions {
  /** RLIMIT_FSIZE in KiB (`ulimit -f`): writes past it fail with EFBIG, like a disk that fills up. */
  readonly fileSizeLimitKb?: number;
  /** Start it as the leader of its own process group, as a service manager does. */
  readonly detached?: boolean;
}

/**
 * Runs dist/digest.js directly (its shebang starts Node), as the service unit and the `bin` do: what ships,
 * and it starts in about a quarter of the time the TypeScript sources take through tsx, which compiles them
 * again in every child.
 */
export function spawnDigest(args: string[], env: Record<string, string>, options: SpawnOptions = {}) {
  const [file, rest] =
    options.fileSizeLimitKb === undefined
      ? [BUILT_DIGEST, args]
      : ['bash', ['-c', `ulimit -f ${options.fileSizeLimitKb} && exec "$0" "$@"`, BUILT_DIGEST, ...args]];
  return spawn(file, rest, {
    cwd: projectRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.detached === true,
  });
}

export function runDigestProcess(
  args: string[],
  env: Record<string, string>,
  options: SpawnOptions = {},
): Promise<ChildResult> {
  return outcomeOf(spawnDigest(args, env, options));
}

/** Collects a child's output; resolves with it and how it ended once it has exited. */
export function outcomeOf(child: DigestChild): Promise<ChildResult> {
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
