// The editorial workflow (docs/editorial.md) in one service for the CLI and the console (src/web/admin):
// look at a week's draft, shape it (note, subject, order, holds), approve it or take the approval back.
// A refusal is a value carrying one sentence; the pure rules live in src/domain/draft.ts. The draft is data
// in the database; startEdition applies it when the edition is frozen.
import type { EditionRow } from '../../db/schema.js';
import type { Db } from '../adapters/database.js';
import { findDraft, setApproval, setHeld, setLeadOrder, touchDraft } from '../adapters/draft-repository.js';
import { findEdition, loadEditionItems } from '../adapters/edition-repository.js';
import { countDeliveries, type DeliveryCounts } from '../adapters/frozen-ledger-repository.js';
import type { Config } from '../config.js';
import type { Clock } from '../domain/clock.js';
import type { DigestComparison } from '../domain/digest.js';
import {
  approverProblem,
  frozenReason,
  type ReviewMode,
  subjectProblem,
  upcomingWeek,
} from '../domain/draft.js';
import { noteProblem } from '../domain/editor-note.js';
import { count } from '../domain/plural.js';
import { dueTime, weekToSend } from '../domain/schedule.js';
import { formatWeekKey, requireWeek, shiftWeek, weekLabel } from '../domain/weeks.js';
import { type Audience, audienceOf, type PlannedEdition, planEdition } from './plan-edition.js';

export interface DraftDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly config: Pick<Config, 'timeZone' | 'siteUrl' | 'review' | 'schedule'>;
}

export interface Refusal {
  readonly ok: false;
  readonly reason: string;
}

export interface DraftChange {
  readonly ok: true;
  /** False when the verb left what would go out as it was (holding a held item, say). */
  readonly changed: boolean;
  /** One sentence saying what changed. */
  readonly message: string;
  /** Set when this change cleared an approval: any change to an approved draft does. */
  readonly approvalCleared?: { readonly by: string; readonly at: string } | undefined;
  /** The draft as it stands after the change. */
  readonly plan: PlannedEdition;
}

/** The edition editors are preparing now: the last completed week until it is frozen, then this week. */
export async function defaultDraftWeek(deps: Pick<DraftDeps, 'db' | 'clock' | 'config'>): Promise<string> {
  const now = deps.clock.now();
  const last = weekToSend(now, deps.config.timeZone);
  return upcomingWeek(now, deps.config.timeZone, (await findEdition(deps.db, last)) !== undefined);
}

export type DraftView =
  | {
      readonly kind: 'draft';
      readonly plan: PlannedEdition;
      readonly review: ReviewMode;
      readonly due: Date | undefined;
      readonly audience: Audience;
    }
  | {
      readonly kind: 'frozen';
      readonly weekKey: string;
      readonly label: string;
      readonly edition: EditionRow;
      readonly items: readonly DigestComparison[];
      readonly counts: DeliveryCounts;
    };

/** A week's draft as it stands (or, once frozen, the edition it became). */
export async function viewDraft(deps: DraftDeps, weekKey: string): Promise<DraftView> {
  const edition = await findEdition(deps.db, weekKey);
  if (edition) {
    return {
      kind: 'frozen',
      weekKey,
      label: weekLabel(requireWeek(weekKey)),
      edition,
      items: await loadEditionItems(deps.db, edition.id),
      counts: await countDeliveries(deps.db, edition.id),
    };
  }
  const plan = await planEdition(deps, weekKey);
  return {
    kind: 'draft',
    plan,
    review: deps.config.review,
    due: dueTime(weekKey, deps.config.schedule, deps.config.timeZone),
    audience: await audienceOf(
      deps.db,
      plan.items.map((item) => item.view),
    ),
  };
}

const refuse = (reason: string): Refusal => ({ ok: false, reason });

async function frozenRefusal(db: Db, weekKey: string): Promise<Refusal | undefined> {
  const reason = frozenReason(weekKey, (await findEdition(db, weekKey))?.status);
  return reason === undefined ? undefined : refuse(reason);
}

/**
 * Writes one change to a week's draft, refusing it if the week was frozen meanwhile (checked in the same
 * transaction as the write, so a change is either in the edition or refused, never silently lost), then
 * clears an approval the change voided.
 */
async function applyChange(
  deps: DraftDeps,
  weekKey: string,
  before: PlannedEdition,
  write: { fields?: { note?: string | null; subject?: string | null }; items?: (trx: Db) => Promise<void> },
  describe: (after: PlannedEdition) => string,
): Promise<DraftChange | Refusal> {
  const now = deps.clock.now();
  const frozen = await deps.db.transaction().execute(async (trx) => {
    const reason = frozenReason(weekKey, (await findEdition(trx, weekKey))?.status);
    if (reason !== undefined) return reason;
    await touchDraft(trx, weekKey, now, write.fields);
    await write.items?.(trx);
    return undefined;
  });
  if (frozen !== undefined) return refuse(frozen);
  let after = await planEdition(deps, weekKey);
  let approvalCleared: DraftChange['approvalCleared'];
  if (after.approval.state === 'changed') {
    approvalCleared = { by: after.approval.by, at: after.approval.at };
    await deps.db.transaction().execute(async (trx) => {
      await touchDraft(trx, weekKey, now);
      await setApproval(trx, weekKey, null);
    });
    after = { ...after, approval: { state: 'unapproved' } };
  }
  return {
    ok: true,
    changed: after.fingerprint !== before.fingerprint,
    message: describe(after),
    approvalCleared,
    plan: after,
  };
}

function unchanged(plan: PlannedEdition, message: string): DraftChange {
  return { ok: true, changed: false, message, plan };
}

/** The editor's note (Markdown), or null to remove it. */
export async function setNote(
  deps: DraftDeps,
  weekKey: string,
  markdown: string | null,
): Promise<DraftChange | Refusal> {
  const frozen = await frozenRefusal(deps.db, weekKey);
  if (frozen) return frozen;
  const problem = markdown === null ? undefined : noteProblem(markdown);
  if (problem) return refuse(problem);
  const before = await planEdition(deps, weekKey);
  if (markdown === null && before.note === null) {
    return unchanged(before, `${weekKey} has no note; nothing to remove.`);
  }
  return applyChange(deps, weekKey, before, { fields: { note: markdown } }, () =>
    markdown === null ? `Removed the note of ${weekKey}.` : `Set the note of ${weekKey}.`,
  );
}

/** The editor's subject, or null to go back to the default one. */
export async function setSubject(
  deps: DraftDeps,
  weekKey: string,
  subject: string | null,
): Promise<DraftChange | Refusal> {
  const frozen = await frozenRefusal(deps.db, weekKey);
  if (frozen) return frozen;
  const problem = subject === null ? undefined : subjectProblem(subject);
  if (problem) return refuse(problem);
  const before = await planEdition(deps, weekKey);
  const value = subject?.trim() ?? null;
  return applyChange(deps, weekKey, before, { fields: { subject: value } }, (after) =>
    after.subject === before.subject
      ? `The subject of ${weekKey} stays "${after.subject}".`
      : `The subject of ${weekKey} is now "${after.subject}"${value === null ? ' (the default)' : ''}, was "${before.subject}".`,
  );
}

/** Finds `slug` among the draft's items, included or held; a refusal naming what the draft has if not. */
function findItem(plan: PlannedEdition, slug: string) {
  const item = [...plan.items, ...plan.held].find((candidate) => candidate.view.slug === slug);
  if (item) return item;
  const slugs = [...plan.items, ...plan.held].map((candidate) => candidate.view.slug);
  return refuse(
    slugs.length === 0
      ? `"${slug}" is not in the ${plan.weekKey} draft, which has no comparisons.`
      : `"${slug}" is not in the ${plan.weekKey} draft, which has: ${slugs.join(', ')}.`,
  );
}

/** These comparisons first, in this order; the rest follow newest first. */
export async function setOrder(
  deps: DraftDeps,
  weekKey: string,
  slugs: readonly string[],
): Promise<DraftChange | Refusal> {
  const frozen = await frozenRefusal(deps.db, weekKey);
  if (frozen) return frozen;
  const twice = slugs.find((slug, index) => slugs.indexOf(slug) !== index);
  if (twice !== undefined) return refuse(`"${twice}" is named twice; name each comparison once.`);
  const before = await planEdition(deps, weekKey);
  const ids: number[] = [];
  for (const slug of slugs) {
    const item = findItem(before, slug);
    if ('ok' in item) return item;
    ids.push(item.comparisonId);
  }
  return applyChange(
    deps,
    weekKey,
    before,
    { items: (trx) => setLeadOrder(trx, weekKey, ids) },
    (after) =>
      `${after.fingerprint === before.fingerprint ? 'The order stays' : 'New order'} of ${weekKey}: ${after.items.map((item) => item.view.slug).join(', ')}.`,
  );
}

/** Leaves a comparison out of this week's edition; next week's draft offers it again. */
export async function holdItem(
  deps: DraftDeps,
  weekKey: string,
  slug: string,
): Promise<DraftChange | Refusal> {
  const frozen = await frozenRefusal(deps.db, weekKey);
  if (frozen) return frozen;
  const before = await planEdition(deps, weekKey);
  const item = findItem(before, slug);
  if ('ok' in item) return item;
  if (before.held.includes(item)) return unchanged(before, `${slug} is already held back from ${weekKey}.`);
  const next = formatWeekKey(shiftWeek(requireWeek(weekKey), 1));
  return applyChange(
    deps,
    weekKey,
    before,
    { items: (trx) => setHeld(trx, weekKey, item.comparisonId, true) },
    () => `Held ${slug} back from ${weekKey}; the ${next} draft offers it again.`,
  );
}

/** Puts a held comparison back into this week's edition. */
export async function releaseItem(
  deps: DraftDeps,
  weekKey: string,
  slug: string,
): Promise<DraftChange | Refusal> {
  const frozen = await frozenRefusal(deps.db, weekKey);
  if (frozen) return frozen;
  const before = await planEdition(deps, weekKey);
  const item = findItem(before, slug);
  if ('ok' in item) return item;
  if (!before.held.includes(item)) {
    return unchanged(before, `${slug} is not held back from ${weekKey}; nothing to release.`);
  }
  return applyChange(
    deps,
    weekKey,
    before,
    { items: (trx) => setHeld(trx, weekKey, item.comparisonId, false) },
    () => `Released ${slug}: it goes out in ${weekKey} again.`,
  );
}

/**
 * Approves the draft exactly as it stands, recording who and when. The approval stores the draft's
 * fingerprint, so a change made at the same moment voids it rather than slipping through unreviewed.
 */
export async function approve(deps: DraftDeps, weekKey: string, by: string): Promise<DraftChange | Refusal> {
  const problem = approverProblem(by);
  if (problem) return refuse(problem);
  const frozen = await frozenRefusal(deps.db, weekKey);
  if (frozen) return frozen;
  const plan = await planEdition(deps, weekKey);
  if (plan.items.length === 0) {
    return refuse(
      plan.held.length > 0
        ? `${weekKey} has nothing to approve: every comparison in it is held back.`
        : `${weekKey} has nothing to approve: no comparisons are in it.`,
    );
  }
  if (plan.approval.state === 'approved') {
    return unchanged(plan, `${weekKey} is already approved by ${plan.approval.by} (${plan.approval.at}).`);
  }
  const now = deps.clock.now();
  const approver = by.trim();
  const refused = await deps.db.transaction().execute(async (trx) => {
    const reason = frozenReason(weekKey, (await findEdition(trx, weekKey))?.status);
    if (reason !== undefined) return reason;
    await touchDraft(trx, weekKey, now);
    await setApproval(trx, weekKey, { by: approver, at: now.toISOString(), fingerprint: plan.fingerprint });
    return undefined;
  });
  if (refused !== undefined) return refuse(refused);
  const after = await planEdition(deps, weekKey);
  if (after.approval.state !== 'approved') {
    return refuse(
      `The ${weekKey} draft changed while it was being approved; look at it again and approve it once more.`,
    );
  }
  return {
    ok: true,
    changed: true,
    message: `Approved ${weekKey} as ${approver}: ${count(after.items.length, 'comparison')}, subject "${after.subject}".`,
    plan: after,
  };
}

/** Takes an approval back, until the week starts sending. */
export async function unapprove(deps: DraftDeps, weekKey: string): Promise<DraftChange | Refusal> {
  const frozen = await frozenRefusal(deps.db, weekKey);
  if (frozen) return frozen;
  const draft = await findDraft(deps.db, weekKey);
  const plan = await planEdition(deps, weekKey);
  if (!draft?.approved_by) return unchanged(plan, `${weekKey} is not approved; nothing to take back.`);
  const refused = await deps.db.transaction().execute(async (trx) => {
    const reason = frozenReason(weekKey, (await findEdition(trx, weekKey))?.status);
    if (reason !== undefined) return reason;
    await touchDraft(trx, weekKey, deps.clock.now());
    await setApproval(trx, weekKey, null);
    return undefined;
  });
  if (refused !== undefined) return refuse(refused);
  return {
    ok: true,
    changed: true,
    message: `Took back the approval of ${weekKey} by ${draft.approved_by}.`,
    plan: await planEdition(deps, weekKey),
  };
}
