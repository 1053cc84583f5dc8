// Sent editions of any week, written straight into the ledger: for the archive, the feed and the links
// between web versions, which need several sent weeks and do not care how they were sent.
import type { Db } from '../../src/adapters/database.js';
import { insertEdition } from '../../src/adapters/edition-repository.js';
import { requireWeek, weekWindow } from '../../src/domain/weeks.js';

/** Records week `weekKey` as sent at `at`, carrying no comparison. */
export async function markWeekSent(
  db: Db,
  weekKey: string,
  at: Date,
  subject = `The verdicts of ${weekKey}`,
) {
  return insertEdition(db, {
    weekKey,
    status: 'sent',
    reason: null,
    timeZone: 'UTC',
    window: weekWindow(requireWeek(weekKey), 'UTC'),
    subject,
    now: at,
  });
}
