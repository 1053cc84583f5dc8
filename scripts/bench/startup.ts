// Start-up: `digest editions` against the floor of Node loading the modules every command needs.
import { execFileSync } from 'node:child_process';
import { BUILT_DIGEST, projectRoot } from '../../test/support/child.js';
import { median, row, sentEditionDatabase } from './kit.js';

/** Wall time of a child process from spawn to exit, in ms. */
function timeProcess(file: string, args: string[], env: Record<string, string> = {}): number {
  const started = performance.now();
  execFileSync(file, args, {
    cwd: projectRoot,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: 'ignore',
  });
  return performance.now() - started;
}

/**
 * `digest editions` on a database of 10,000 subscribers against Node loading better-sqlite3, kysely and
 * the argument parser (commander) and exiting; each run alternately, 7 times, medians compared.
 */
export async function startup(): Promise<void> {
  const path = await sentEditionDatabase(10_000);
  const floor: number[] = [];
  const editions: number[] = [];
  for (let run = 0; run < 7; run++) {
    floor.push(
      timeProcess(process.execPath, [
        '--input-type=module',
        '--eval',
        "import 'better-sqlite3'; import 'kysely'; import 'commander';",
      ]),
    );
    editions.push(timeProcess(BUILT_DIGEST, ['editions'], { DIGEST_DB: path }));
  }
  const [floorMs, editionsMs] = [median(floor), median(editions)];
  row('Node + better-sqlite3 + kysely + commander, exit (median of 7)', `${floorMs.toFixed(0)} ms`);
  row('digest editions, 10,000 subscribers, built command (median of 7)', `${editionsMs.toFixed(0)} ms`);
  row('digest editions / that floor (target ≤ 1.7)', (editionsMs / floorMs).toFixed(2));
}
