// Planning an edition: which comparisons a week carries, as its editors shaped it, what each subscriber
// gets, and why someone gets nothing. `startEdition` freezes the plan in one transaction: the items (as
// snapshots, in the editor's order, without those held back), one rendered content variant per distinct
// selection, and one ledger row per subscriber, before anything is sent.
import type { EditionRow, SubscriberStatus } from '../../db/schema.js';
import { colors } from '../../emails/_components/styles.js';
import { loadComparisons } from '../adapters/comparison-repository.js';
import type { Db } from '../adapters/database.js';
import { findDraft, loadShaping } from '../adapters/draft-repository.js';
import {
  findEdition,
  insertEdition,
  insertEditionItems,
  selectNewComparisonIds,
} from '../adapters/edition-repository.js';
import { insertLedger, type LedgerEntry } from '../adapters/ledger-repository.js';
import type { Config } from '../config.js';
import type { Clock } from '../domain/clock.js';
import { type DigestComparison, defaultSubject, toDigestComparison } from '../domain/digest.js';
import {
  type ApprovalState,
  approvalState,
  arrangeItems,
  draftFingerprint,
  reviewAllows,
} from '../domain/draft.js';
import {
  type Assignment,
  assignContent,
  carriedOver,
  type ExclusionReason,
  handsOn,
  NO_ELIGIBLE_READERS,
  type RecordedEdition,
} from '../domain/edition-plan.js';
import { type RenderedNote, renderEditorNote } from '../domain/editor-note.js';
import type { ReadersVsPanel } from '../domain/readers-vs-panel.js';
import {
  formatWeekKey,
  requireWeek,
  shiftWeek,
  type WeekWindow,
  weekLabel,
  weekWindow,
} from '../domain/weeks.js';
import { readersVsPanelFor } from './votes.js';

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
    /** The editor's note, already rendered from Markdown (domain/editor-note.ts); absent or empty shows nothing. */
    note?: RenderedNote | undefined;
    /** Last edition's reader tallies beside the panel's verdicts; absent shows nothing. */
    readersVsPanel?: ReadersVsPanel | undefined;
  }): Promise<RenderedContent>;
  /**
   * Frees what rendering holds (a render thread and its heap) before sending begins, so the two never
   * occupy memory at once. Rendering again starts afresh.
   */
  release?(): Promise<void>;
}

export interface PlanDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly config: Pick<Config, 'timeZone' | 'siteUrl' | 'review'>;
  readonly renderer: ContentRenderer;
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
      weekKey: key,
      status: row.status,
      reason: row.reason,
      plannedAt: row.planned_at,
    };
    earlier.push({ weekKey: key, edition });
    if (!edition || !handsOn(edition)) return earlier;
  }
}

/** The comparisons week `weekKey` would carry if it were planned now (newest first). */
export async function selectEdition(
  deps: Omit<PlanDeps, 'renderer'>,
  weekKey: string,
): Promise<EditionSelection> {
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

/** The note as the renderer takes it: safe HTML (links in the template's link colour) and plain text. */
export function renderedNote(markdown: string | null): RenderedNote | undefined {
  return markdown === null ? undefined : renderEditorNote(markdown, colors.link);
}

/** Week `weekKey` as it would be frozen now: the selection rule (docs/schedule.md, What a week carries), shaped by the week's draft. */
export async function planEdition(
  deps: Omit<PlanDeps, 'renderer'>,
  weekKey: string,
): Promise<PlannedEdition> {
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

/** Subscribers who share a status and a choice of categories: what an edition gives one, it gives all. */
interface SubscriberGroup {
  readonly status: SubscriberStatus;
  readonly categories: string;
  readonly count: number;
}

/**
 * Every distinct (status, categories) pair with how many subscribers have it, in the order of each pair's
 * first subscriber by id (so whatever is listed by group comes in the order a walk through the subscribers
 * would meet it). A million subscribers share a handful of pairs: one scan in the database, a few rows here.
 */
async function subscriberGroups(db: Db): Promise<SubscriberGroup[]> {
  const rows = await db
    .selectFrom('subscribers')
    .select(['status', 'categories', (eb) => eb.fn.countAll<number>().as('count')])
    .groupBy(['status', 'categories'])
    .orderBy((eb) => eb.fn.min('id'))
    .execute();
  return rows.map((row) => ({ ...row, count: Number(row.count) }));
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

/** startEdition's answer when review stops the week: nothing was written. */
export interface Unapproved {
  readonly status: 'unapproved';
  readonly why: string;
}

// An editor changing the draft (or the last readers leaving) while it is being frozen makes the freeze plan
// again; a handful of rounds
// covers any real editor, and a loop that never settles is a bug worth a stack trace.
const FREEZE_ATTEMPTS = 5;

export interface Audience {
  readonly total: number;
  readonly eligible: number;
  /** Why the others would get nothing, with how many each. */
  readonly excluded: ReadonlyMap<ExclusionReason, number>;
}

/** Counts an audience as assignments come: `add` each one with how many subscribers it stands for. */
export function audienceTally() {
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

/**
 * Plans week `weekKey` as its draft shapes it and freezes it, unless an edition for it already exists
 * (then it is returned as it is: re-running never turns a sent or skipped week into a second send). A week
 * with nothing to send, or nobody to send it to, comes back as `skipped`. With DIGEST_REVIEW=required, a week whose draft is not
 * approved exactly as it stands is not frozen at all. Call it holding the week's lease.
 */
export async function startEdition(deps: PlanDeps, weekKey: string): Promise<EditionRow | Unapproved> {
  for (let attempt = 1; ; attempt++) {
    const existing = await findEdition(deps.db, weekKey);
    if (existing) return existing;
    const plan = await planEdition(deps, weekKey);
    if (!reviewAllows(deps.config.review, plan.approval, plan.items.length)) {
      return { status: 'unapproved', why: notApprovedReason(weekKey, plan.approval) };
    }
    const frozen = await freezeEdition(deps, plan);
    if (frozen !== 'draft changed' && frozen !== 'audience changed') return frozen;
    if (attempt === FREEZE_ATTEMPTS)
      throw new Error(`the draft or the readers of ${weekKey} kept changing while it was frozen`);
  }
}

/** What a send says of a skipped week: why, and where its comparisons go when nobody could receive it. */
export function skippedMessage(edition: Pick<EditionRow, 'week_key' | 'reason'>): string {
  const reason = edition.reason ?? 'no new comparisons';
  const next = formatWeekKey(shiftWeek(requireWeek(edition.week_key), 1));
  if (reason === NO_ELIGIBLE_READERS) {
    return `${edition.week_key} skipped: ${reason} (no active subscriber follows its categories); nothing sent, and its comparisons ride ${next}.`;
  }
  return `${edition.week_key} skipped: ${reason}; nothing sent.`;
}

/** Reads the draft's revision inside the freezing transaction: a change since planning means plan again. */
async function draftRevision(db: Db, weekKey: string): Promise<number> {
  return (await findDraft(db, weekKey))?.revision ?? -1;
}

async function freezeEdition(
  deps: PlanDeps,
  plan: PlannedEdition,
): Promise<EditionRow | 'draft changed' | 'audience changed'> {
  const { weekKey } = plan;
  const now = deps.clock.now();
  const base = {
    weekKey,
    timeZone: deps.config.timeZone,
    window: plan.window,
    now,
    note: plan.note,
    approval: plan.approval.state === 'approved' ? plan.approval : null,
  };
  const skip = (reason: string) =>
    deps.db.transaction().execute(async (trx) => {
      if ((await draftRevision(trx, weekKey)) !== plan.revision) return 'draft changed' as const;
      return insertEdition(trx, { ...base, status: 'skipped', reason, subject: null });
    });
  if (plan.items.length === 0) {
    return skip(plan.held.length > 0 ? 'every comparison held back to the next week' : 'no new comparisons');
  }
  const views = plan.items.map((item) => item.view);
  const assign = createAssigner(views);
  const note = renderedNote(plan.note);
  // Counted as of `now`, the edition's planning time, which its web version counts by too.
  const readersVsPanel = await readersVsPanelFor(deps, weekKey, now);

  // Render every distinct variant before the transaction: rendering is the slow part, and the write lock
  // should be held only for writing.
  const variants = new Map<string, { content: RenderedContent; followed: string[] }>();
  for (const subscriber of await subscriberGroups(deps.db)) {
    const assignment = assign(subscriber);
    if (assignment.status !== 'pending' || variants.has(assignment.contentKey)) continue;
    const followed = JSON.parse(subscriber.categories) as string[];
    const content = await deps.renderer.render({
      weekKey,
      weekLabel: plan.label,
      subject: variantSubject(plan, assignment.comparisons),
      comparisons: assignment.comparisons,
      followedCategories: assignment.comparisons.length === views.length ? [] : followed,
      note,
      readersVsPanel,
    });
    variants.set(assignment.contentKey, { content, followed });
  }
  await deps.renderer.release?.();
  // Nobody to send to: the week is skipped and carries no items. Binding its comparisons to it (through
  // edition_items, whose unique comparison_id means "carried once") would use them up unread; left
  // unbound, they ride the next week (selectEdition reaches back over such a week).
  if (variants.size === 0) return skip(NO_ELIGIBLE_READERS);

  const frozen = deps.db.transaction().execute(async (trx) => {
    if ((await draftRevision(trx, weekKey)) !== plan.revision) return 'draft changed';
    const row = await insertEdition(trx, {
      ...base,
      status: 'sending',
      reason: null,
      subject: plan.subject,
    });
    await insertEditionItems(trx, row.id, plan.items);
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
    // The ledger, one row per subscriber, written by the database from what each (status, categories)
    // pair gets: a million readers share a handful of pairs, so nothing is read into this process row by row.
    const groups = await subscriberGroups(trx);
    let subscribers = 0;
    let eligible = 0;
    const entries = groups.map((group): LedgerEntry => {
      const assignment = assign(group);
      const contentId = assignment.status === 'pending' ? contentIds.get(assignment.contentKey) : undefined;
      subscribers += group.count;
      if (contentId !== undefined) eligible += group.count;
      return {
        subscriberStatus: group.status,
        categories: group.categories,
        // A subscriber who became active between the variant query and this transaction has no
        // rendered variant: they wait for next week rather than getting an unrendered digest.
        status: contentId === undefined ? 'skipped' : 'pending',
        reason:
          assignment.status === 'skipped'
            ? assignment.reason
            : contentId === undefined
              ? 'confirmed during planning'
              : null,
        contentId: contentId ?? null,
      };
    });
    // Everyone rendered for left meanwhile (unsubscribed, removed): undo, and plan again as skipped.
    if (eligible === 0) throw new AudienceGone();
    const written = await insertLedger(trx, row.id, entries, now);
    if (written !== subscribers) {
      throw new Error(`the ledger of ${weekKey} has ${written} rows for ${subscribers} subscribers`);
    }
    return row;
  });
  return frozen.catch((error: unknown) => {
    if (error instanceof AudienceGone) return 'audience changed' as const;
    throw error;
  });
}

/** Rolls back a freeze whose ledger came out with nobody to send to. */
class AudienceGone extends Error {}
