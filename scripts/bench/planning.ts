// Planning an edition in this process: the ledger rows written for every active reader.
import { openDatabase } from '../../src/adapters/database.js';
import { fixedClock } from '../../src/domain/clock.js';
import { createDigestRenderer } from '../../src/services/digest-renderer.js';
import { startEdition } from '../../src/services/freeze-edition.js';
import { testConfig } from '../../test/support/sending.js';
import { AFTER_WEEK, benchDatabase, row, WEEK } from './kit.js';

export async function planning(count: number): Promise<void> {
  const path = await benchDatabase(count);
  const db = await openDatabase(path);
  const config = testConfig();
  const started = performance.now();
  await startEdition(
    { db, clock: fixedClock(AFTER_WEEK), config, renderer: createDigestRenderer(config) },
    WEEK,
  );
  const elapsed = performance.now() - started;
  const rowsWritten = (
    await db
      .selectFrom('deliveries')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
  ).n;
  await db.destroy();
  row(
    `plan an edition, ${count.toLocaleString('en')} subscribers`,
    `${elapsed.toFixed(0)} ms (${Number(rowsWritten).toLocaleString('en')} ledger rows)`,
  );
}
