// The database the first release left behind (test/fixtures/release-1, made by the script in its README),
// for the tests of the migrations that upgrade it.
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Db, openDatabase } from '../../src/adapters/database.js';
import { scratchDir } from './cli.js';

const FIXTURE = new URL('../fixtures/release-1/digest.sqlite', import.meta.url).pathname;

/** A copy of the first release's database in a new scratch folder, opened: every migration since has run. */
export async function upgradedFirstRelease(): Promise<{ db: Db; dir: string }> {
  const dir = scratchDir('digest-upgrade-');
  const path = join(dir, 'digest.sqlite');
  copyFileSync(FIXTURE, path);
  return { db: await openDatabase(path), dir };
}
