// Creates a folder and its missing parents, one level at a time. Node's own recursive mkdir loops forever
// when mkdir answers ENOENT although the parent exists, as it does anywhere under /proc: a DIGEST_DB of
// /proc/nope/x.sqlite spun the CPU for minutes inside one synchronous call, deaf to SIGTERM. Here every
// failure is thrown as it comes, with its errno code, so the caller can say what is wrong with the path.
import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** mkdir -p: creates `path` and any missing parents; throws the first error met (ENOENT, ENOTDIR, EACCES...). */
export function makeDirectory(path: string): void {
  const missing: string[] = [];
  for (let current = path; !isDirectory(current); current = dirname(current)) {
    missing.push(current);
    if (dirname(current) === current) break;
  }
  for (const folder of missing.reverse()) {
    try {
      mkdirSync(folder);
    } catch (error) {
      // Another process may have created it meanwhile; anything else in the way is the caller's to report.
      if ((error as { code?: string }).code !== 'EEXIST' || !isDirectory(folder)) throw error;
    }
  }
}
