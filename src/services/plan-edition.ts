// Planning an edition: which comparisons a week carries, what each subscriber gets, and why someone gets
// nothing. `startEdition` freezes the plan in one transaction: the items (as snapshots), one rendered content
// variant per distinct selection, and one ledger row per subscriber, before anything is sent.
import type { EditionRow, SubscriberStatus } from '../../db/schema.js';
import { loadComparisons } from '../adapters/comparison-repository.js';
import type { Db } from '../adapters/database.js';
import {
  findEdition,
  insertEdition,
  insertEditionItems,
  selectNewComparisonIds,
} from '../adapters/edition-repository.js';
import type { Config } from '../config.js';
import type { Clock } from '../domain/clock.js';
import { type DigestComparison, defaultSubject, toDigestComparison } from '../domain/digest.js';
import { type Assignment, assignContent } from '../domain/edition-plan.js';
import {
  formatWeekKey,
  requireWeek,
  shiftWeek,
  type WeekWindow,
  weekLabel,
  weekWindow,
} from '../domain/weeks.js';

/** A digest variant rendered once, with per-recipient links left as placeholders. */
export interface RenderedContent {
  readonly subject: string;
  readonly html: string;
  readonly text: string;
  /** Placeholder strings standing in for each recipient's links, by link name. */
  readonly placeholders: Readonly<Record<string, string>>;
}

export interface ContentRenderer {
  render(input: {
    weekKey: string;
    weekLabel: string;
    subject: string;
    comparisons: readonly DigestComparison[];
    followedCategories: readonly string[];
    /** The editor's note (SPEC 13), already rendered from Markdown; absent or empty shows nothing. */
    note?: { readonly html: string; readonly text: string } | undefined;
  }): Promise<RenderedContent>;
}

export interface PlanDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly config: Pick<Config, 'timeZone' | 'siteUrl'>;
  readonly renderer: ContentRenderer;
}

export interface EditionSelection {
  readonly weekKey: string;
  readonly window: WeekWindow;
  readonly items: readonly { comparisonId: number; view: DigestComparison }[];
}

const LEDGER_CHUNK = 500;

/** The comparisons week `weekKey` would carry if it were planned now (newest first). */
export async function selectEdition(
  deps: Omit<PlanDeps, 'renderer'>,
  weekKey: string,
): Promise<EditionSelection> {
  const { timeZone, siteUrl } = deps.config;
  const week = requireWeek(weekKey);
  const window = weekWindow(week, timeZone);
  const previousKey = formatWeekKey(shiftWeek(week, -1));
  const previous = await findEdition(deps.db, previousKey);
  const plannedAt =
    previous && (previous.status === 'sent' || previous.status === 'skipped') ? previous.planned_at : null;
  const ids = await selectNewComparisonIds(deps.db, window, {
    window: weekWindow(requireWeek(previousKey), timeZone),
    plannedAt,
  });
  const comparisons = await loadComparisons(deps.db, ids, siteUrl);
  return {
    weekKey,
    window,
    items: comparisons.map((comparison, index) => ({
      comparisonId: ids[index] ?? 0,
      view: toDigestComparison(comparison),
    })),
  };
}

interface SubscriberSlice {
  readonly id: number;
  readonly email: string;
  readonly status: SubscriberStatus;
  readonly categories: string;
}

/** Walks every subscriber in id order, a page at a time, so memory stays flat however many there are. */
export async function* subscriberPages(db: Db, pageSize = 1000): AsyncGenerator<SubscriberSlice[]> {
  let after = 0;
  for (;;) {
    const page = await db
      .selectFrom('subscribers')
      .select(['id', 'email', 'status', 'categories'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(pageSize)
      .execute();
    if (page.length === 0) return;
    yield page;
    after = page.at(-1)?.id ?? after;
  }
}

/**
 * Assignments are computed once per distinct (status, categories) pair: subscribers share a handful of
 * category choices, so 100,000 rows need only a few filter passes.
 */
export function createAssigner(items: readonly DigestComparison[]) {
  const cache = new Map<string, Assignment>();
  return (subscriber: Pick<SubscriberSlice, 'status' | 'categories'>): Assignment => {
    const key = `${subscriber.status}|${subscriber.categories}`;
    let assignment = cache.get(key);
    if (!assignment) {
      assignment = assignContent(
        { status: subscriber.status, categories: JSON.parse(subscriber.categories) as string[] },
        items,
      );
      cache.set(key, assignment);
    }
    return assignment;
  };
}

/**
 * Plans week `weekKey` and freezes it, unless an edition for it already exists (then it is returned as
 * it is: re-running never turns a sent or skipped week into a second send). A week with nothing new comes
 * back as `skipped`. Call it holding the week's lease.
 */
export async function startEdition(deps: PlanDeps, weekKey: string): Promise<EditionRow> {
  const existing = await findEdition(deps.db, weekKey);
  if (existing) return existing;
  const selection = await selectEdition(deps, weekKey);
  const now = deps.clock.now();
  const base = { weekKey, timeZone: deps.config.timeZone, window: selection.window, now };
  if (selection.items.length === 0) {
    return insertEdition(deps.db, {
      ...base,
      status: 'skipped',
      reason: 'no new comparisons',
      subject: null,
    });
  }
  const views = selection.items.map((item) => item.view);
  const assign = createAssigner(views);
  const label = weekLabel(requireWeek(weekKey));

  // Render every distinct variant before the transaction: rendering is the slow part, and the write lock
  // should be held only for writing.
  const variants = new Map<string, { content: RenderedContent; followed: string[] }>();
  const distinct = await deps.db
    .selectFrom('subscribers')
    .select(['status', 'categories'])
    .where('status', '=', 'active')
    .distinct()
    .execute();
  for (const subscriber of distinct) {
    const assignment = assign(subscriber);
    if (assignment.status !== 'pending' || variants.has(assignment.contentKey)) continue;
    const followed = JSON.parse(subscriber.categories) as string[];
    const content = await deps.renderer.render({
      weekKey,
      weekLabel: label,
      subject: defaultSubject(assignment.comparisons),
      comparisons: assignment.comparisons,
      followedCategories: assignment.comparisons.length === views.length ? [] : followed,
    });
    variants.set(assignment.contentKey, { content, followed });
  }

  const edition = await deps.db.transaction().execute(async (trx) => {
    const row = await insertEdition(trx, {
      ...base,
      status: 'sending',
      reason: null,
      subject: defaultSubject(views),
    });
    await insertEditionItems(trx, row.id, selection.items);
    const contentIds = new Map<string, number>();
    for (const [contentKey, { content }] of variants) {
      const inserted = await trx
        .insertInto('edition_contents')
        .values({
          edition_id: row.id,
          content_key: contentKey,
          subject: content.subject,
          html: content.html,
          text: content.text,
          placeholders: JSON.stringify(content.placeholders),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      contentIds.set(contentKey, inserted.id);
    }
    const at = now.toISOString();
    for await (const page of subscriberPages(trx)) {
      const rows = page.map((subscriber) => {
        const assignment = assign(subscriber);
        const contentId = assignment.status === 'pending' ? contentIds.get(assignment.contentKey) : undefined;
        return {
          edition_id: row.id,
          subscriber_id: subscriber.id,
          // A subscriber who became active between the variant query and this transaction has no
          // rendered variant: they wait for next week rather than getting an unrendered digest.
          status: contentId === undefined ? ('skipped' as const) : ('pending' as const),
          reason:
            assignment.status === 'skipped'
              ? assignment.reason
              : contentId === undefined
                ? 'confirmed during planning'
                : null,
          content_id: contentId ?? null,
          created_at: at,
        };
      });
      for (let start = 0; start < rows.length; start += LEDGER_CHUNK) {
        await trx
          .insertInto('deliveries')
          .values(rows.slice(start, start + LEDGER_CHUNK))
          .execute();
      }
    }
    return row;
  });
  return edition;
}
