// The sent editions as the home page and the archive list them, newest first.
import type { Db } from '../../adapters/database.js';
import { listEditions } from '../../adapters/edition-repository.js';
import { sentDay } from '../../domain/edition-dates.js';
import { requireWeek, weekLabel } from '../../domain/weeks.js';
import type { EditionLink } from './archive-page.js';

export async function sentEditions(db: Db): Promise<EditionLink[]> {
  return (await listEditions(db, ['sent'])).map((edition) => {
    const sentAt = new Date(edition.finished_at ?? edition.planned_at);
    return {
      weekKey: edition.week_key,
      subject: edition.subject ?? edition.week_key,
      weekLabel: weekLabel(requireWeek(edition.week_key)),
      // The day as the newsletter's readers saw it arrive: in the zone the edition was sent in.
      sent: { at: sentAt.toISOString(), day: sentDay(sentAt, edition.time_zone) },
    };
  });
}
