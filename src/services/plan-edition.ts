// Planning an edition (reading only): which comparisons a week carries, as its editors shaped it, what
// each subscriber would get, and why someone gets nothing. Freezing the plan (writing the edition, its
// variants and its ledger) is ./freeze-edition.ts.
import { loadComparisons } from '../adapters/comparison-repository.js';
import type { Db } from '../adapters/database.js';
import { findDraft, loadShaping } from '../adapters/draft-repository.js';
import { findEdition, selectNewComparisonIds } from '../adapters/edition-repository.js';
import {
  type SubscriberSlice,
  subscriberGroups,
  subscriberPages,
} from '../adapters/subscriber-repository.js';
import type { Config } from '../config.js';
import type { Clock } from '../domain/clock.js';
import { type DigestComparison, defaultSubject, toDigestComparison } from '../domain/digest.js';
import { type ApprovalState, approvalState, arrangeItems, draftFingerprint } from '../domain/draft.js';
import {
  type Assignment,
  assignContent,
  carriedOver,
  type ExclusionReason,
  handsOn,
  type RecordedEdition,
} from '../domain/edition-plan.js';
import {
  formatWeekKey,
  requireWeek,
  shiftWeek,
  type WeekWindow,
  weekLabel,
  weekWindow,
} from '../domain/weeks.js';

/** What planning reads: the database, the time, and the settings the selection and review depend on. */
export interface PlanningDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly config: Pick<Config, 'timeZone' | 'siteUrl' | 'review'>;
}

export interface PlannedItem {
  readonly comparisonId: number;
  readonly view: DigestComparison;
}

export interface EditionSelection {
  readonly weekKey: string;
  readonly window: WeekWindow;
  readonly items: readonly PlannedItem[];
}

/** A week's edition as it would go out now: the selection shaped by its draft, and the draft's approval. */
export interface PlannedEdition {
  readonly weekKey: string;
  readonly window: WeekWindow;
  readonly label: string;
  /** What the edition would carry, in the editor's order. */
  readonly items: readonly PlannedItem[];
  /** Held back by the editor: offered again by next week's draft. */
  readonly held: readonly PlannedItem[];
  /** The editor's subject, or null for the default. */
  readonly subjectOverride: string | null;
  /** The subject of the whole edition (a category variant with fewer items may differ; see variantSubject). */
  readonly subject: string;
  /** Markdown of the editor's note, or null. */
  readonly note: string | null;
  /** The draft's revision (-1: no draft yet); freezing checks it did not change meanwhile. */
  readonly revision: number;
  readonly fingerprint: string;
  readonly approval: ApprovalState;
}

/** The editions of the weeks before `weekKey`, newest first, back to the first that did not hand its comparisons on. */
async function earlierEditions(db: Db, weekKey: string) {
  const earlier: { weekKey: string; edition: RecordedEdition | undefined }[] = [];
  for (let week = shiftWeek(requireWeek(weekKey), -1); ; week = shiftWeek(week, -1)) {
    const key = formatWeekKey(week);
    const row = await findEdition(db, key);
    const edition = row && {
      status: row.status,
      reason: row.reason,
      plannedAt: row.planned_at,
    };
    earlier.push({ weekKey: key, edition });
    if (!edition || !handsOn(edition)) return earlier;
  }
}

/** The comparisons week `weekKey` would carry if it were planned now (newest first). */
export async function selectEdition(deps: PlanningDeps, weekKey: string): Promise<EditionSelection> {
  const { timeZone, siteUrl } = deps.config;
  const week = requireWeek(weekKey);
  const window = weekWindow(week, timeZone);
  const carried = carriedOver(await earlierEditions(deps.db, weekKey));
  // Weeks that were missed or had nobody to send to pass on everything published in them: the window
  // reaches back to the first of them.
  const from = carried.fromWeek ? weekWindow(requireWeek(carried.fromWeek), timeZone).start : window.start;
  const late = carried.lateImportsOf;
  const ids = await selectNewComparisonIds(
    deps.db,
    weekKey,
    { start: from, end: window.end },
    late
      ? { window: weekWindow(requireWeek(late.weekKey), timeZone), plannedAt: late.plannedAt }
      : { window, plannedAt: null },
  );
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

/** The subject of a variant carrying `comparisons`: the editor's when set, otherwise the default. */
export function variantSubject(plan: PlannedEdition, comparisons: readonly DigestComparison[]): string {
  return plan.subjectOverride ?? defaultSubject(comparisons);
}

/** Week `weekKey` as it would be frozen now: the selection rule (docs/schedule.md, What a week carries), shaped by the week's draft. */
export async function planEdition(deps: PlanningDeps, weekKey: string): Promise<PlannedEdition> {
  const selection = await selectEdition(deps, weekKey);
  const draft = await findDraft(deps.db, weekKey);
  const shaping = await loadShaping(deps.db, weekKey);
  const byView = new Map(selection.items.map((item) => [item.view, item]));
  const arranged = arrangeItems(
    selection.items.map((item) => item.view),
    shaping,
  );
  const pick = (views: readonly DigestComparison[]) => views.flatMap((view) => byView.get(view) ?? []);
  const items = pick(arranged.included);
  const held = pick(arranged.held);
  const subjectOverride = draft?.subject ?? null;
  const note = draft?.note ?? null;
  const subject = subjectOverride ?? defaultSubject(arranged.included);
  const fingerprint = draftFingerprint({
    subject,
    note,
    items: arranged.included,
    held: arranged.held.map((view) => view.slug),
  });
  const approval = approvalState(
    draft && { by: draft.approved_by, at: draft.approved_at, fingerprint: draft.approved_fingerprint },
    fingerprint,
  );
  return {
    weekKey,
    window: selection.window,
    label: weekLabel(requireWeek(weekKey)),
    items,
    held,
    subjectOverride,
    subject,
    note,
    revision: draft?.revision ?? -1,
    fingerprint,
    approval,
  };
}

/** Why review stops a week from going out, in one sentence. */
export function notApprovedReason(weekKey: string, approval: ApprovalState): string {
  if (approval.state === 'changed') {
    return `${weekKey} is not approved: its draft changed after ${approval.by} approved it, so it needs \`digest approve --week ${weekKey}\` again.`;
  }
  return `${weekKey} is not approved: with DIGEST_REVIEW=required it goes out only after \`digest approve --week ${weekKey}\`.`;
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

export interface Audience {
  readonly total: number;
  readonly eligible: number;
  /** Why the others would get nothing, with how many each. */
  readonly excluded: ReadonlyMap<ExclusionReason, number>;
}

/** Counts an audience as assignments come: `add` each one with how many subscribers it stands for. */
function audienceTally() {
  const excluded = new Map<ExclusionReason, number>();
  let total = 0;
  let eligible = 0;
  return {
    add(assignment: Assignment, count = 1): void {
      total += count;
      if (assignment.status === 'pending') eligible += count;
      else excluded.set(assignment.reason, (excluded.get(assignment.reason) ?? 0) + count);
    },
    audience: (): Audience => ({ total, eligible, excluded }),
  };
}

/** Who would get an edition carrying `items` if it were frozen now, and who would not, by reason. */
export async function audienceOf(db: Db, items: readonly DigestComparison[]): Promise<Audience> {
  const assign = createAssigner(items);
  const tally = audienceTally();
  for (const group of await subscriberGroups(db)) tally.add(assign(group), group.count);
  return tally.audience();
}

/** A subscriber and what an edition would give them. */
export interface AssignedSubscriber {
  readonly email: string;
  readonly assignment: Assignment;
}

/**
 * Who would get an edition carrying `items`, subscriber by subscriber in id order, a page at a time (for a
 * listing of every address): `visit` takes each page and says whether to go on. The answer is the audience
 * counted on the way, as audienceOf counts it, or undefined when `visit` stopped the walk.
 */
export async function walkAudience(
  db: Db,
  items: readonly DigestComparison[],
  visit: (page: readonly AssignedSubscriber[]) => Promise<boolean>,
): Promise<Audience | undefined> {
  const assign = createAssigner(items);
  const tally = audienceTally();
  for await (const page of subscriberPages(db)) {
    const assigned = page.map((subscriber) => {
      const assignment = assign(subscriber);
      tally.add(assignment);
      return { email: subscriber.email, assignment };
    });
    if (!(await visit(assigned))) return undefined;
  }
  return tally.audience();
}
