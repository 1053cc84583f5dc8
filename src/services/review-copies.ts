// Copies of a week's digest for the people who make it, outside the ledger: `digest preview`, `digest
// test-send` and the reviewers' copies before an edition is due (docs/editorial.md). A copy is the
// week as it would go out (its draft, or the frozen edition), optionally as one subscriber gets it (their
// category variant, exactly as planning assigns it), with no personal links: nothing in it can change
// anyone's subscription, and no link in it leads to a page that does not exist yet.
import { randomUUID } from 'node:crypto';
import { renderedNote } from '../../emails/_components/editor-note.js';
import type { Db } from '../adapters/database.js';
import { claimReviewCopy, finishReviewCopy, listReviewCopies } from '../adapters/draft-repository.js';
import { findEdition, loadEditionItems } from '../adapters/edition-repository.js';
import { findContentSubject } from '../adapters/frozen-ledger-repository.js';
import type { Logger } from '../adapters/logger.js';
import { findSubscriberByKey, subscriberCategories } from '../adapters/subscriber-repository.js';
import type { SendOutcome, Transport } from '../adapters/transport.js';
import type { Config } from '../config.js';
import type { Clock } from '../domain/clock.js';
import type { DigestComparison } from '../domain/digest.js';
import { copyMessage } from '../domain/digest-message.js';
import { describeInstant, type ReviewCopyKind, reviewBanner, reviewCopyDue } from '../domain/draft.js';
import { contentKeyOf } from '../domain/edition-plan.js';
import { checkEmailAddress, parseAddressList } from '../domain/email-address.js';
import { count } from '../domain/plural.js';
import type { ReadersVsPanel } from '../domain/readers-vs-panel.js';
import { dueTime, weekToSend } from '../domain/schedule.js';
import { requireWeek, weekKeyOf, weekLabel } from '../domain/weeks.js';
import { renderDigestContent } from './digest-renderer.js';
import type { Refusal } from './draft.js';
import { createAssigner, planEdition, variantSubject } from './plan-edition.js';
import { readersVsPanelFor } from './votes.js';

export interface CopyDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly config: Pick<Config, 'timeZone' | 'siteUrl' | 'review' | 'publicUrl' | 'postalAddress'>;
}

export interface DigestCopy {
  readonly ok: true;
  readonly weekKey: string;
  readonly subject: string;
  readonly html: string;
  readonly text: string;
  /** How many comparisons the copy carries. */
  readonly comparisons: number;
  /** The reader it was rendered as, when one was asked for. */
  readonly reader?: { readonly email: string; readonly followed: readonly string[] } | undefined;
}

export interface CopyOptions {
  /** Render the variant this subscriber's address gets. */
  readonly as?: string | undefined;
  /** Render the variant a reader following only this category gets (ignored with `as`). */
  readonly category?: string | undefined;
  /** Prepended to the subject: "[TEST] ", "[REVIEW] ". */
  readonly subjectPrefix?: string | undefined;
  /** Markdown shown above the editor's note (the reviewer banner). */
  readonly banner?: string | undefined;
}

interface WeekContent {
  readonly items: readonly DigestComparison[];
  readonly note: string | null;
  readonly subjectFor: (comparisons: readonly DigestComparison[]) => Promise<string>;
  /** The web version exists only once the edition is sent. */
  readonly webVersion: boolean;
  /** As readers get it: counted at the freeze for a frozen edition, as of now for a draft. */
  readonly readersVsPanel: ReadersVsPanel | undefined;
}

/** The week as it goes out: the frozen edition once there is one, otherwise the draft as it stands. */
async function weekContent(deps: CopyDeps, weekKey: string): Promise<WeekContent> {
  const edition = await findEdition(deps.db, weekKey);
  if (edition) {
    const items = await loadEditionItems(deps.db, edition.id);
    return {
      items,
      note: edition.note,
      webVersion: edition.status === 'sent',
      readersVsPanel: await readersVsPanelFor(deps, weekKey, new Date(edition.planned_at)),
      subjectFor: async (comparisons) =>
        (await findContentSubject(deps.db, edition.id, contentKeyOf(comparisons))) ??
        edition.subject ??
        weekKey,
    };
  }
  const plan = await planEdition(deps, weekKey);
  return {
    items: plan.items.map((item) => item.view),
    note: plan.note,
    webVersion: false,
    readersVsPanel: await readersVsPanelFor(deps, weekKey, deps.clock.now()),
    subjectFor: async (comparisons) => variantSubject(plan, comparisons),
  };
}

/** Renders a copy of week `weekKey`, whole or as one subscriber gets it. */
export async function renderCopy(
  deps: CopyDeps,
  weekKey: string,
  options: CopyOptions = {},
): Promise<DigestCopy | Refusal> {
  const content = await weekContent(deps, weekKey);
  if (content.items.length === 0) return { ok: false, reason: `${weekKey} has no comparisons to show.` };
  const assign = createAssigner(content.items);
  let comparisons = content.items;
  let followed: readonly string[] = [];
  let reader: DigestCopy['reader'];
  if (options.as !== undefined) {
    const address = checkEmailAddress(options.as);
    const subscriber = address.ok ? await findSubscriberByKey(deps.db, address.key) : undefined;
    if (!subscriber) return { ok: false, reason: `No subscriber has the address ${options.as.trim()}.` };
    const assignment = assign(subscriber);
    if (assignment.status === 'skipped') {
      return {
        ok: false,
        reason: `${subscriber.email} would get nothing from ${weekKey}: ${assignment.reason}.`,
      };
    }
    comparisons = assignment.comparisons;
    // As planning renders variants: the footer names the categories only when they narrow the edition.
    followed = comparisons.length === content.items.length ? [] : subscriberCategories(subscriber);
    reader = { email: subscriber.email, followed };
  } else if (options.category !== undefined) {
    const assignment = assign({ status: 'active', categories: JSON.stringify([options.category]) });
    if (assignment.status === 'skipped') {
      return { ok: false, reason: `No comparison in ${weekKey} is in the category "${options.category}".` };
    }
    comparisons = assignment.comparisons;
    followed = comparisons.length === content.items.length ? [] : [options.category];
  }
  const subject = await content.subjectFor(comparisons);
  const note = [options.banner, content.note].filter((part) => part !== undefined && part !== null);
  const rendered = await renderDigestContent(deps.config, {
    weekKey,
    weekLabel: weekLabel(requireWeek(weekKey)),
    subject: `${options.subjectPrefix ?? ''}${subject}`,
    comparisons,
    followedCategories: followed,
    note: note.length > 0 ? renderedNote(note.join('\n\n')) : undefined,
    reviewCopy: true,
    webVersion: content.webVersion,
    readersVsPanel: content.readersVsPanel,
  });
  return {
    ok: true,
    weekKey,
    subject: rendered.subject,
    html: rendered.html,
    text: rendered.text,
    comparisons: comparisons.length,
    reader,
  };
}

/** Sends one copy to each address as a single request, outside the ledger. */
export function sendCopies(
  deps: { readonly transport: Transport; readonly config: Pick<Config, 'from'> },
  copy: DigestCopy,
  recipients: readonly string[],
  kind: 'test' | 'review',
  idempotencyKey: string,
): Promise<SendOutcome> {
  const messages = recipients.map((recipient) => copyMessage(deps.config.from, recipient, copy, kind));
  return deps.transport.sendBatch(messages, idempotencyKey);
}

export type TestSend =
  | {
      readonly ok: true;
      readonly copy: DigestCopy;
      readonly recipients: readonly string[];
      /** One sentence saying what went to whom. */
      readonly message: string;
    }
  | Refusal;

/**
 * `digest test-send` and the console's test-send: the week's copy (as `as` gets it, or as a category's
 * readers get it) to each address of the comma-separated `to`, subject prefixed [TEST], in one request.
 */
export async function sendTestCopy(
  deps: CopyDeps & { readonly transport: Transport; readonly config: Pick<Config, 'from'> },
  weekKey: string,
  options: { readonly to: string; readonly as?: string | undefined; readonly category?: string | undefined },
): Promise<TestSend> {
  const list = parseAddressList(options.to);
  if (!list.ok) return { ok: false, reason: `Cannot send to "${options.to.trim()}": ${list.reason}.` };
  if (list.addresses.length === 0) return { ok: false, reason: 'Say who gets the test copy.' };
  const copy = await renderCopy(deps, weekKey, { ...options, subjectPrefix: '[TEST] ' });
  if (!copy.ok) return copy;
  const outcome = await sendCopies(deps, copy, list.addresses, 'test', `verdict-digest/test/${randomUUID()}`);
  if (outcome.status !== 'accepted') return { ok: false, reason: `Test send failed: ${outcome.reason}` };
  const as = copy.reader ? `, as ${copy.reader.email} gets it` : '';
  const message = `Sent the ${weekKey} digest (${count(copy.comparisons, 'comparison')}${as}) to ${list.addresses.join(', ')}.`;
  return { ok: true, copy, recipients: list.addresses, message };
}

export interface ReminderDeps extends CopyDeps {
  readonly config: CopyDeps['config'] &
    Pick<Config, 'from' | 'schedule' | 'catchUpHours' | 'reviewers' | 'reviewLeadHours'>;
  readonly transport: Transport;
  readonly log: Pick<Logger, 'info' | 'warn'>;
}

/**
 * Sends the reviewers whatever copy is due now: for the week that has just ended and for the current one
 * (whose lead time can fall before it ends). Each copy is claimed in the database before it is sent, with
 * an idempotency key kept for retries, so neither a restart nor a second worker sends it twice.
 */
export async function remindReviewers(deps: ReminderDeps): Promise<ReviewCopyKind[]> {
  if (deps.config.reviewers.length === 0) return [];
  const now = deps.clock.now();
  const { timeZone } = deps.config;
  const sent: ReviewCopyKind[] = [];
  for (const weekKey of new Set([weekToSend(now, timeZone), weekKeyOf(now, timeZone)])) {
    const kind = await remindFor(deps, weekKey, now);
    if (kind) sent.push(kind);
  }
  return sent;
}

async function remindFor(
  deps: ReminderDeps,
  weekKey: string,
  now: Date,
): Promise<ReviewCopyKind | undefined> {
  const { config } = deps;
  const due = dueTime(weekKey, config.schedule, config.timeZone);
  // Most minutes of the week are before any lead time: answer those without planning anything.
  if (!due || now.getTime() < due.getTime() - config.reviewLeadHours * 3_600_000) return undefined;
  if (await findEdition(deps.db, weekKey)) return undefined;
  const copies = await listReviewCopies(deps.db, weekKey);
  const plan = await planEdition(deps, weekKey);
  const kind = reviewCopyDue({
    now,
    due,
    leadHours: config.reviewLeadHours,
    catchUpHours: config.catchUpHours,
    mode: config.review,
    approved: plan.approval.state === 'approved',
    itemCount: plan.items.length,
    frozen: false,
    sent: new Set(copies.filter((copy) => copy.status !== 'pending').map((copy) => copy.kind)),
  });
  if (!kind) return undefined;
  const claim = await claimReviewCopy(
    deps.db,
    weekKey,
    kind,
    `verdict-digest/review/${weekKey}/${kind}/${randomUUID()}`,
    now,
  );
  if (claim.status !== 'pending') return undefined;
  const banner = reviewBanner({
    kind,
    label: plan.label,
    due: describeInstant(due, config.timeZone),
    mode: config.review,
    approval: plan.approval,
    consoleUrl: `${config.publicUrl}/admin`,
  });
  const copy = await renderCopy(deps, weekKey, { subjectPrefix: '[REVIEW] ', banner });
  if (!copy.ok) return undefined;
  const outcome = await sendCopies(deps, copy, config.reviewers, 'review', claim.idempotencyKey);
  deps.log.info('review.copy', {
    week: weekKey,
    kind,
    reviewers: config.reviewers.length,
    outcome: outcome.status,
    ...(outcome.status === 'accepted' ? {} : { reason: outcome.reason }),
  });
  // Retryable and halting outcomes leave the claim pending: the next minute tries again, same key.
  if (outcome.status === 'accepted' || outcome.status === 'rejected') {
    await finishReviewCopy(
      deps.db,
      weekKey,
      kind,
      outcome.status === 'accepted'
        ? { status: 'sent', error: null }
        : { status: 'failed', error: outcome.reason },
      deps.clock.now(),
    );
  }
  return outcome.status === 'accepted' ? kind : undefined;
}
