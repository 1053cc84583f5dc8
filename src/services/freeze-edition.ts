// Freezing an edition (writing): `startEdition` takes the week's plan (./plan-edition.ts) and writes it in
// one transaction: the items (as snapshots, in the editor's order, without those held back), one rendered
// content variant per distinct selection, and one ledger row per subscriber, before anything is sent.

import type { EditionRow } from '../../db/schema.js';
import { renderedNote } from '../../emails/_components/editor-note.js';
import type { Db } from '../adapters/database.js';
import { findDraft } from '../adapters/draft-repository.js';
import {
  findEdition,
  insertContentVariant,
  insertEdition,
  insertEditionItems,
} from '../adapters/edition-repository.js';
import { insertLedger, type LedgerEntry } from '../adapters/frozen-ledger-repository.js';
import { type SubscriberGroup, subscriberGroups } from '../adapters/subscriber-repository.js';
import type { DigestComparison } from '../domain/digest.js';
import { reviewAllows } from '../domain/draft.js';
import { NO_ELIGIBLE_READERS } from '../domain/edition-plan.js';
import type { RenderedNote } from '../domain/editor-note.js';
import type { ReadersVsPanel } from '../domain/readers-vs-panel.js';
import { formatWeekKey, requireWeek, shiftWeek } from '../domain/weeks.js';
import {
  createAssigner,
  notApprovedReason,
  type PlannedEdition,
  type PlanningDeps,
  planEdition,
  variantSubject,
} from './plan-edition.js';
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

/** What planning and freezing a week need: planning's reads, and a renderer for the variants. */
export interface PlanDeps extends PlanningDeps {
  readonly renderer: ContentRenderer;
}

/** startEdition's answer when review stops the week: nothing was written. */
export interface Unapproved {
  readonly status: 'unapproved';
  readonly why: string;
}

// An editor changing the draft (or the last readers leaving) while it is being frozen makes the freeze plan
// again; a handful of rounds covers any real editor, and a loop that never settles is a bug worth a stack
// trace.
const FREEZE_ATTEMPTS = 5;

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

type FreezeOutcome = EditionRow | 'draft changed' | 'audience changed';
type Assign = ReturnType<typeof createAssigner>;
type Variants = ReadonlyMap<string, RenderedContent>;

/** The edition row's fields every outcome of one freeze shares. */
function editionBase(deps: PlanDeps, plan: PlannedEdition, now: Date) {
  return {
    weekKey: plan.weekKey,
    timeZone: deps.config.timeZone,
    window: plan.window,
    now,
    note: plan.note,
    approval: plan.approval.state === 'approved' ? plan.approval : null,
  };
}

async function freezeEdition(deps: PlanDeps, plan: PlannedEdition): Promise<FreezeOutcome> {
  const now = deps.clock.now();
  const base = editionBase(deps, plan, now);
  const skip = (reason: string) =>
    deps.db.transaction().execute(async (trx) => {
      if ((await draftRevision(trx, plan.weekKey)) !== plan.revision) return 'draft changed' as const;
      return insertEdition(trx, { ...base, status: 'skipped', reason, subject: null });
    });
  if (plan.items.length === 0) {
    return skip(plan.held.length > 0 ? 'every comparison held back to the next week' : 'no new comparisons');
  }
  const assign = createAssigner(plan.items.map((item) => item.view));
  const variants = await renderVariants(deps, plan, assign, now);
  // Nobody to send to: the week is skipped and carries no items. Binding its comparisons to it (through
  // edition_items, whose unique comparison_id means "carried once") would use them up unread; left
  // unbound, they ride the next week (selectEdition reaches back over such a week).
  if (variants.size === 0) return skip(NO_ELIGIBLE_READERS);

  const frozen = deps.db.transaction().execute(async (trx): Promise<FreezeOutcome> => {
    if ((await draftRevision(trx, plan.weekKey)) !== plan.revision) return 'draft changed';
    const row = await insertEdition(trx, { ...base, status: 'sending', reason: null, subject: plan.subject });
    await insertEditionItems(trx, row.id, plan.items);
    const contentIds = new Map<string, number>();
    for (const [contentKey, content] of variants) {
      contentIds.set(contentKey, await insertContentVariant(trx, row.id, { contentKey, ...content }));
    }
    await writeLedger(
      trx,
      plan.weekKey,
      row.id,
      ledgerOf(await subscriberGroups(trx), assign, contentIds),
      now,
    );
    return row;
  });
  return frozen.catch((error: unknown) => {
    if (error instanceof AudienceGone) return 'audience changed' as const;
    throw error;
  });
}

/**
 * Renders every distinct variant the subscribers get, before the freezing transaction: rendering is the
 * slow part, and the write lock should be held only for writing. Empty when nobody would get anything.
 */
async function renderVariants(
  deps: PlanDeps,
  plan: PlannedEdition,
  assign: Assign,
  now: Date,
): Promise<Variants> {
  const note = renderedNote(plan.note);
  // Counted as of `now`, the edition's planning time, which its web version counts by too.
  const readersVsPanel = await readersVsPanelFor(deps, plan.weekKey, now);
  const variants = new Map<string, RenderedContent>();
  for (const subscriber of await subscriberGroups(deps.db)) {
    const assignment = assign(subscriber);
    if (assignment.status !== 'pending' || variants.has(assignment.contentKey)) continue;
    const followed = JSON.parse(subscriber.categories) as string[];
    const content = await deps.renderer.render({
      weekKey: plan.weekKey,
      weekLabel: plan.label,
      subject: variantSubject(plan, assignment.comparisons),
      comparisons: assignment.comparisons,
      followedCategories: assignment.comparisons.length === plan.items.length ? [] : followed,
      note,
      readersVsPanel,
    });
    variants.set(assignment.contentKey, content);
  }
  await deps.renderer.release?.();
  return variants;
}

interface Ledger {
  readonly entries: readonly LedgerEntry[];
  readonly subscribers: number;
  readonly eligible: number;
}

/** What each (status, categories) pair gets in the ledger, with how many subscribers and eligible readers. */
function ledgerOf(
  groups: readonly SubscriberGroup[],
  assign: Assign,
  contentIds: ReadonlyMap<string, number>,
): Ledger {
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
  return { entries, subscribers, eligible };
}

/**
 * The ledger, one row per subscriber, written by the database from what each (status, categories) pair
 * gets: a million readers share a handful of pairs, so nothing is read into this process row by row.
 */
async function writeLedger(trx: Db, weekKey: string, editionId: number, ledger: Ledger, now: Date) {
  // Everyone rendered for left meanwhile (unsubscribed, removed): undo, and plan again as skipped.
  if (ledger.eligible === 0) throw new AudienceGone();
  const written = await insertLedger(trx, editionId, ledger.entries, now);
  if (written !== ledger.subscribers) {
    throw new Error(`the ledger of ${weekKey} has ${written} rows for ${ledger.subscribers} subscribers`);
  }
}

/** Rolls back a freeze whose ledger came out with nobody to send to. */
class AudienceGone extends Error {}
