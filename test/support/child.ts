import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface ChildResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The Node flags of `npm run digest` (package.json), so children run as the real command does. */
export const DIGEST_NODE_FLAGS = ['--max-old-space-size=192', '--import', 'tsx'];

/** Runs the real `digest` entry point in a child Node process, as `npm run digest` does. */
export type DigestChild = ReturnType<typeof spawnDigest>;

export interface SpawnOptions {
  /** RLIMIT_FSIZE in KiB (`ulimit -f`): writes past it fail with EFBIG, like a disk that fills up. */
  readonly fileSizeLimitKb?: number;
}

export function spawnDigest(args: string[], env: Record<string, string>, options: SpawnOptions = {}) {
  const command = [process.execPath, ...DIGEST_NODE_FLAGS, 'src/cli.ts', ...args];
  const [file, ...rest] =
    options.fileSizeLimitKb === undefined
      ? command
      : ['bash', '-c', `ulimit -f ${options.fileSizeLimitKb} && exec "$0" "$@"`, ...command];
  return spawn(file ?? process.execPath, rest, {
    cwd: projectRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export function runDigestProcess(
  args: string[],
  env: Record<string, string>,
  options: SpawnOptions = {},
): Promise<ChildResult> {
  const child = spawnDigest(args, env, options);
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
