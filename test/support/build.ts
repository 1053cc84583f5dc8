// Vitest's global setup: tests that run the built `digest` (dist/digest.js) must run the current sources, so
// it is rebuilt first when any source changed since the last build (a no-op otherwise).
import { execFileSync } from 'node:child_process';
import { projectRoot } from './child.js';

export default function buildDigest(): void {
  execFileSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { cwd: projectRoot, stdio: 'inherit' });
}
