// The comparisons with the edition each rode in or will ride in (docs/schedule.md): one listing for
// `digest comparisons list` and the console's comparisons page. The rule is src/domain/edition-of.ts.
import { type ComparisonListing, listComparisons } from '../adapters/comparison-repository.js';
import type { Db } from '../adapters/database.js';
import { listHeldWeeks } from '../adapters/draft-repository.js';
import { listEditions } from '../adapters/edition-repository.js';
import type { Config } from '../config.js';
import { type EditionOf, editionOf } from '../domain/edition-of.js';
import { requireWeek, weekKeyOf, weekWindow } from '../domain/weeks.js';

export interface ListedComparison extends ComparisonListing {
  /** The ISO week of its publication, in DIGEST_TIMEZONE. */
  readonly publishedWeek: string;
  readonly edition: EditionOf;
}

/** Every comparison, newest first, or those published in `week`. */
export async function comparisonListing(
  deps: { readonly db: Db; readonly config: Pick<Config, 'timeZone'> },
  options: { readonly week?: string | undefined } = {},
): Promise<ListedComparison[]> {
  const { db, config } = deps;
  const window = options.week ? weekWindow(requireWeek(options.week), config.timeZone) : undefined;
  const rows = await listComparisons(db, window ? { from: window.start, to: window.end } : {});
  const editions = new Map(
    (await listEditions(db)).map((edition) => [
      edition.week_key,
      { status: edition.status, reason: edition.reason, plannedAt: edition.planned_at },
    ]),
  );
  const held = await listHeldWeeks(db);
  return rows.map((row) => {
    const publishedWeek = weekKeyOf(row.publishedAt, config.timeZone);
    return {
      ...row,
      publishedWeek,
      edition: editionOf({
        publishedWeek,
        importedAt: row.importedAt,
        carriedBy: row.carriedBy,
        editions,
        heldIn: held.get(row.id),
      }),
    };
  });
}
