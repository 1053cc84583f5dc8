// The editorial rules (docs/editorial.md), pure: how an editor's order and holds arrange a week's items,
// what an approval vouches for and when it still holds, which week is "upcoming", and when reviewers are
// due a copy. The draft service (src/services/draft.ts) feeds them rows.
import { createHash } from 'node:crypto';
import type { EditionStatus, ReviewCopyKind } from '../../db/schema.js';
import { codePointLabel, findControlCharacter } from './control-characters.js';
import { formatWeekKey, lastCompletedWeek, shiftWeek } from './weeks.js';

/** The editor's shaping of a week: these slugs first, in this order; these held back to next week. */
export interface Shaping {
  readonly order: readonly string[];
  readonly held: readonly string[];
}

export interface Arrangement<T> {
  /** What the edition carries: the ordered slugs first, then the rest in their given (newest-first) order. */
  readonly included: readonly T[];
  /** Left out of this edition, offered again next week; in their given order. */
  readonly held: readonly T[];
}

/**
 * Arranges a week's items (given newest first) by the editor's shaping. Slugs the shaping names that are
 * no longer among the items (a comparison removed, or re-dated into another week) are ignored.
 */
export function arrangeItems<T extends { readonly slug: string }>(
  items: readonly T[],
  shaping: Shaping,
): Arrangement<T> {
  const held = new Set(shaping.held);
  const rank = new Map(shaping.order.map((slug, index) => [slug, index]));
  const kept = items.filter((item) => !held.has(item.slug));
  const ordered = kept
    .filter((item) => rank.has(item.slug))
    .sort((a, b) => (rank.get(a.slug) ?? 0) - (rank.get(b.slug) ?? 0));
  return {
    included: [...ordered, ...kept.filter((item) => !rank.has(item.slug))],
    held: items.filter((item) => held.has(item.slug)),
  };
}

/** What an approval vouches for: exactly what would go out, and what was held back. */
export interface DraftContent {
  readonly subject: string;
  readonly note: string | null;
  /** The included items in edition order, each as the JSON-able view that would be frozen. */
  readonly items: readonly { readonly slug: string }[];
  readonly held: readonly string[];
}

/**
 * A SHA-256 of the draft's content. An approval stores it; the approval holds only while the draft still
 * hashes the same, so any change voids it, whether an editor made it or the draft changed by itself (a
 * comparison published later joined it, or an included one was re-imported with edits).
 */
export function draftFingerprint(content: DraftContent): string {
  const canonical = JSON.stringify([content.subject, content.note, content.items, content.held]);
  return createHash('sha256').update(canonical).digest('hex');
}

export interface StoredApproval {
  readonly by: string | null;
  readonly at: string | null;
  readonly fingerprint: string | null;
}

export type ApprovalState =
  | { readonly state: 'approved'; readonly by: string; readonly at: string }
  | { readonly state: 'unapproved' }
  /** Approved once, but the draft has changed since: no longer an approval. */
  | { readonly state: 'changed'; readonly by: string; readonly at: string };

export function approvalState(stored: StoredApproval | undefined, fingerprint: string): ApprovalState {
  if (!stored?.by || !stored.at || !stored.fingerprint) return { state: 'unapproved' };
  if (stored.fingerprint !== fingerprint) return { state: 'changed', by: stored.by, at: stored.at };
  return { state: 'approved', by: stored.by, at: stored.at };
}

/** `auto`: the worker sends at the due time; `required`: only once an editor has approved the week. */
export type ReviewMode = 'auto' | 'required';

/**
 * Whether review lets a week be frozen and sent: always in `auto` mode; in `required` mode once approved,
 * or when there is nothing to send (an empty week is recorded as skipped, and nobody can approve it).
 */
export function reviewAllows(mode: ReviewMode, approval: ApprovalState, itemCount: number): boolean {
  return mode === 'auto' || itemCount === 0 || approval.state === 'approved';
}

/**
 * The edition editors are preparing at `now`: the most recent completed week while it has no edition,
 * otherwise the current week (before it completes).
 */
export function upcomingWeek(now: Date, timeZone: string, lastCompletedFrozen: boolean): string {
  const last = lastCompletedWeek(now, timeZone);
  return formatWeekKey(lastCompletedFrozen ? shiftWeek(last, 1) : last);
}

/** Why a week can no longer be shaped or approved, in one sentence; undefined while it can. */
export function frozenReason(weekKey: string, status: EditionStatus | undefined): string | undefined {
  if (status === undefined) return undefined;
  if (status === 'sending' || status === 'sent') {
    const what = status === 'sending' ? 'is sending' : 'is already sent';
    return `${weekKey} ${what}: a week that has started sending can no longer be changed.`;
  }
  return `${weekKey} was recorded as ${status}: its edition can no longer be changed.`;
}

/** Reviewer copies: `lead`, before the due time; `due`, when the due time passes unapproved. */
export type { ReviewCopyKind };

const HOUR = 3_600_000;

/**
 * Which reviewer copy of a week is due at `now`, if any. The `lead` copy goes `leadHours` before the due
 * time (not after it: by then the edition is going out, or the `due` copy covers it). In `required` mode
 * the `due` copy goes once the due time passes unapproved, while the week can still be sent (within the
 * catch-up window). Nothing goes for a week already frozen or with nothing in it, or twice.
 */
export function reviewCopyDue(input: {
  readonly now: Date;
  readonly due: Date;
  readonly leadHours: number;
  readonly catchUpHours: number;
  readonly mode: ReviewMode;
  readonly approved: boolean;
  readonly itemCount: number;
  readonly frozen: boolean;
  readonly sent: ReadonlySet<ReviewCopyKind>;
}): ReviewCopyKind | undefined {
  if (input.frozen || input.itemCount === 0) return undefined;
  const now = input.now.getTime();
  const due = input.due.getTime();
  if (now >= due) {
    const late = (now - due) / HOUR;
    const wanted = input.mode === 'required' && !input.approved && late <= input.catchUpHours;
    return wanted && !input.sent.has('due') ? 'due' : undefined;
  }
  return now >= due - input.leadHours * HOUR && !input.sent.has('lead') ? 'lead' : undefined;
}

/** Long enough for any sensible subject line; inboxes show far less. */
export const SUBJECT_MAX_CHARACTERS = 200;

/** Why an editor's subject cannot be used, in one sentence; undefined when it can. */
export function subjectProblem(subject: string): string | undefined {
  if (subject.trim() === '') return 'The subject is empty; use --clear to go back to the default subject.';
  // A line break in a subject would let it write mail headers of its own.
  if (/[\r\n]/.test(subject)) return 'A subject must be one line of text, with no control characters.';
  const control = findControlCharacter(subject);
  if (control !== undefined)
    return `The subject contains a control character (${codePointLabel(control)}); remove it.`;
  if (subject.trim().length > SUBJECT_MAX_CHARACTERS) {
    return `The subject has ${subject.trim().length} characters; keep it to ${SUBJECT_MAX_CHARACTERS} or fewer.`;
  }
  return undefined;
}

/** Why an approver's name cannot be recorded, in one sentence; undefined when it can. */
export function approverProblem(by: string): string | undefined {
  if (by.trim() === '') return 'Say who approves with --by <name or email>.';
  if (by.length > 200 || findControlCharacter(by) !== undefined)
    return 'The approver must be a name or an address on one line.';
  return undefined;
}

/** "Monday, 23 November 2026 at 09:00 UTC": a due time as editors read it, in the newsletter's zone. */
export function describeInstant(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone,
    timeZoneName: 'short',
  }).format(instant);
}

/** Backslash-escapes Markdown punctuation, so a name or label shows as written inside generated Markdown. */
function escapeMarkdown(value: string): string {
  return value.replace(/[\\`*_[\]()<>#!|~&]/g, '\\$&');
}

/**
 * The paragraph a reviewer copy opens with (Markdown, rendered like the editor's note): what it is, when
 * the edition is due, where it stands, and the link to the console.
 */
export function reviewBanner(input: {
  readonly kind: ReviewCopyKind;
  readonly label: string;
  readonly due: string;
  readonly mode: ReviewMode;
  readonly approval: ApprovalState;
  readonly consoleUrl: string;
}): string {
  const label = escapeMarkdown(input.label);
  const due = escapeMarkdown(input.due);
  const link = `[Review it in the editor console](${input.consoleUrl})`;
  if (input.kind === 'due') {
    return `**Review copy.** The ${label} edition was due ${due} and has not gone out: it is not approved yet. ${link}.`;
  }
  const state =
    input.approval.state === 'approved'
      ? `It is approved by ${escapeMarkdown(input.approval.by)}.`
      : input.mode === 'required'
        ? 'It goes out only once an editor approves it.'
        : 'It goes out then as it stands.';
  return `**Review copy.** The ${label} edition is due ${due}. ${state} ${link}.`;
}
