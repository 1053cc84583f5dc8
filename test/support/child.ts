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

export function spawnDigest(args: string[], env: Record<string, string>) {
  return spawn(process.execPath, [...DIGEST_NODE_FLAGS, 'src/cli.ts', ...args], {
    cwd: projectRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export function runDigestProcess(args: string[], env: Record<string, string>): Promise<ChildResult> {
  const child = spawnDigest(args, env);
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
