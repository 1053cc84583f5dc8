// Sending an edition exactly once. The ledger (one delivery row per subscriber) is written before the first
// send; batches of at most 100 pending rows are formed, with their composition and Idempotency-Key stored,
// before the first call; a batch is retried only with the same key and the same bytes; rows become `sent`
// only from the provider's answer. Whatever interrupts a send, running it again finishes it.
import { createHash, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BatchRow } from '../../db/schema.js';
import type { Db } from '../adapters/database.js';
import { finishEdition } from '../adapters/edition-repository.js';
import { acquireLease, type LeaseHolder, newHolderId, releaseLease, renewLease } from '../adapters/lease.js';
import {
  batchRecipients,
  countDeliveries,
  type DeliveryCounts,
  failBatch,
  formBatch,
  type LedgerRecipient,
  loadContents,
  markBatchSent,
  nextPendingRecipients,
  noteBatchAttempt,
  pendingBatches,
  requeueAlone,
  skipWithdrawn,
} from '../adapters/ledger-repository.js';
import { createRateLimiter, type RateLimiter } from '../adapters/rate-limiter.js';
import { type EmailMessage, MAX_BATCH_SIZE, type Transport } from '../adapters/transport.js';
import type { Config } from '../config.js';
import { consentReason } from '../domain/consent-reason.js';
import { countIn } from '../domain/delivery-status.js';
import {
  digestMessage,
  type Envelope,
  type RecipientLinks,
  recipientLinks,
} from '../domain/digest-message.js';
import { exclusionForStatus } from '../domain/edition-plan.js';
import { joinPieces } from '../domain/email-message.js';
import { type BackoffOptions, DEFAULT_BACKOFF, retryDelay } from '../domain/retry-policy.js';
import {
  type ContentRenderer,
  type PlanDeps,
  type RenderedContent,
  skippedMessage,
  startEdition,
} from './freeze-edition.js';
import type { PersonalisedPieces } from './personalise.js';

/** A recipient's copy of a variant, in pieces (personalisedPieces in ./personalise.ts). */
export type Personaliser = (content: RenderedContent, links: RecipientLinks) => PersonalisedPieces;

export interface SendLog {
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
}

export interface SendDeps extends PlanDeps {
  readonly config: Pick<
    Config,
    'timeZone' | 'siteUrl' | 'from' | 'publicUrl' | 'unsubscribeMailto' | 'sendRate' | 'review'
  >;
  readonly transport: Transport;
  readonly renderer: ContentRenderer;
  readonly personalise: Personaliser;
  readonly log: SendLog;
  readonly random?: () => number;
  readonly backoff?: BackoffOptions;
  /** Attempts per batch within one run before the run gives up and leaves the batch for the next run. */
  readonly maxAttempts?: number;
  readonly holder?: string;
  /** Aborting stops the send between batches (graceful shutdown); the batch in flight is finished. */
  readonly signal?: AbortSignal;
  readonly onBatch?: (progress: BatchProgress) => void;
}

export interface BatchProgress {
  readonly batchId: number;
  readonly size: number;
  readonly outcome: 'sent' | 'failed' | 'split';
  readonly attempts: number;
  readonly done: number;
  readonly eligible: number;
}

export type SendOutcomeKind =
  | 'sent' // this run finished the edition
  | 'already sent'
  | 'skipped' // nothing new this week
  | 'missed'
  | 'not approved' // DIGEST_REVIEW=required and no valid approval: nothing was written or sent
  | 'locked' // another live process holds the week
  | 'halted' // the provider refuses all sending for now; run again later
  | 'interrupted'; // stopped by a signal or lease loss; run again to resume

export interface SendReport {
  readonly weekKey: string;
  readonly outcome: SendOutcomeKind;
  readonly message: string;
  readonly counts?: DeliveryCounts;
  readonly lockedBy?: LeaseHolder;
}

class LeaseLost extends Error {}

type Recipient = LedgerRecipient;

/** A message whose bodies are kept in pieces until it is sent (joined, the pieces are the body). */
type PiecewiseMessage = Omit<EmailMessage, 'html' | 'text'> & PersonalisedPieces;

interface FormedBatch {
  readonly row: BatchRow;
  readonly recipients: readonly Recipient[];
  readonly messages: readonly PiecewiseMessage[];
}

type Hashable = Omit<EmailMessage, 'html' | 'text' | 'json'> & {
  readonly html: string | readonly string[];
  readonly text: string | readonly string[];
  /** Bodies in pieces may come with the same pieces in UTF-8 (PersonalisedPieces.utf8), hashed instead. */
  readonly utf8?: PersonalisedPieces['utf8'];
};

const piecesLength = (pieces: readonly string[]) =>
  pieces.reduce((length, piece) => length + piece.length, 0);

/**
 * A digest of exactly what a batch sends, field by field: serialising a batch first would make megabytes of
 * garbage per batch on the hot path. Field lengths go in too, so no two batches can hash alike by shifting
 * text from one field to the next. A body in pieces hashes as the whole body would (the same bytes in the
 * same order), without the whole body ever being built; pieces already in UTF-8 are hashed as they are.
 */
export function payloadHash(messages: readonly Hashable[]): string {
  const hash = createHash('sha256');
  // A hash reads one stream: updates with a and then b hash as one with a + b. Short text is gathered into
  // one update (a batch has thousands of short fields, and each call costs more than hashing them).
  let gathered = '';
  const add = (piece: string | Uint8Array) => {
    if (typeof piece === 'string' && piece.length < 1024) {
      gathered += piece;
      return;
    }
    if (gathered) hash.update(gathered);
    gathered = '';
    hash.update(piece);
  };
  const field = (value: string | readonly string[], encoded?: readonly (string | Uint8Array)[]) => {
    if (typeof value === 'string') {
      add(`${value.length}:`);
      return add(value);
    }
    add(`${piecesLength(value)}:`);
    for (const piece of encoded ?? value) add(piece);
  };
  for (const message of messages) {
    for (const value of [message.from, message.to, message.subject]) field(value);
    field(message.html, message.utf8?.html);
    field(message.text, message.utf8?.text);
    for (const [name, value] of Object.entries(message.headers)) field(`${name}: ${value}`);
    for (const tag of message.tags) field(`${tag.name}=${tag.value}`);
  }
  return hash.update(gathered).digest('hex');
}

// What one request may carry, in characters of HTML and text. A batch on the wire costs several bytes of
// memory per character (the bodies, the SDK's JSON of them, fetch's UTF-8 copies; twice as many for text V8
// holds as UTF-16, which ../domain/one-byte-text.ts keeps digest copies out of), so this bounds a send's
// memory whatever the size of the digest (see BENCHMARKS.md). Copies of up to 30,000 characters (two
// comparisons) still go 100 to a request, three comparisons 86; the largest digests the size budget allows
// about 25.
export const MAX_BATCH_CHARACTERS = 3_000_000;

/**
 * `promise`, with its failure kept for whoever awaits it later. The sender starts database work while a
 * request is on the wire and awaits it only when the answer is in: a failure in between (a full disk, a
 * lock held past the deadline, a lost connection) would otherwise be an unhandled rejection, which ends
 * the process with a stack trace instead of the fault's exit code. The await still throws it.
 */
function awaitedLater<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

/** The messages as the provider gets them, built when the batch goes on the wire. */
function wholeMessages(messages: readonly PiecewiseMessage[]): EmailMessage[] {
  return messages.map(({ utf8: _hashedOnly, ...message }) => ({
    ...message,
    html: joinPieces(message.html),
    text: joinPieces(message.text),
  }));
}

/** Sends week `weekKey`, planning it first if needed. Safe to run again after any interruption. */
export async function sendEdition(deps: SendDeps, weekKey: string): Promise<SendReport> {
  const lockName = `send:${weekKey}`;
  const holder = deps.holder ?? newHolderId();
  const lease = await acquireLease(deps.db, lockName, holder, deps.clock.now());
  if (!lease.acquired) {
    return {
      weekKey,
      outcome: 'locked',
      lockedBy: lease.current,
      message: `${weekKey} is being sent by another process (${lease.current.holder}); its lease runs until ${lease.current.expiresAt.toISOString()}. Try again after that, or let it finish.`,
    };
  }
  try {
    const edition = await startEdition(deps, weekKey);
    if (edition.status === 'unapproved') return { weekKey, outcome: 'not approved', message: edition.why };
    if (edition.status === 'skipped') {
      return {
        weekKey,
        outcome: 'skipped',
        message: skippedMessage(edition),
      };
    }
    if (edition.status === 'missed') {
      return {
        weekKey,
        outcome: 'missed',
        message: `${weekKey} was recorded as missed (${edition.reason}); nothing sent.`,
      };
    }
    if (edition.status === 'sent') {
      return {
        weekKey,
        outcome: 'already sent',
        counts: await countDeliveries(deps.db, edition.id),
        message: `${weekKey} was already sent (finished ${edition.finished_at}); nothing to do.`,
      };
    }
    const sender = new EditionSender(deps, edition.id, weekKey, lockName, holder);
    const outcome = await sender.run();
    const counts = await countDeliveries(deps.db, edition.id);
    const unsent = countIn(counts.byStatus, 'unfinished');
    if (outcome.kind === 'done') {
      if (unsent > 0) {
        return {
          weekKey,
          outcome: 'interrupted',
          counts,
          message: `${unsent} recipients still pending; run again to finish`,
        };
      }
      await finishEdition(deps.db, edition.id, deps.clock.now());
      return { weekKey, outcome: 'sent', counts, message: `${weekKey} sent.` };
    }
    return { weekKey, outcome: outcome.kind, counts, message: outcome.message };
  } finally {
    await releaseLease(deps.db, lockName, holder);
  }
}

type RunOutcome =
  | { kind: 'done' }
  | { kind: 'halted'; message: string }
  | { kind: 'interrupted'; message: string };

class EditionSender {
  private readonly limiter: RateLimiter;
  private contents: ReadonlyMap<number, RenderedContent> = new Map();
  private readonly random: () => number;
  private readonly backoff: BackoffOptions;
  private readonly maxAttempts: number;
  private done = 0;
  private eligible = 0;
  /** Whether the ledger may hold rows to send alone: an earlier run may have left some. */
  private soloPending = true;

  constructor(
    private readonly deps: SendDeps,
    private readonly editionId: number,
    private readonly weekKey: string,
    private readonly lockName: string,
    private readonly holder: string,
  ) {
    this.limiter = createRateLimiter(deps.config.sendRate);
    this.random = deps.random ?? Math.random;
    this.backoff = deps.backoff ?? DEFAULT_BACKOFF;
    this.maxAttempts = deps.maxAttempts ?? 10;
  }

  async run(): Promise<RunOutcome> {
    // An edition has a handful of rendered variants: all are held in memory for the run.
    this.contents = await loadContents(this.deps.db, this.editionId);
    const counts = await countDeliveries(this.deps.db, this.editionId);
    this.eligible = countIn(counts.byStatus, 'eligible');
    this.done = countIn(counts.byStatus, 'done');
    try {
      // Batches formed by an interrupted run go first, with their original key and bytes.
      for (const row of await pendingBatches(this.deps.db, this.editionId)) {
        const batch = await this.rebuild(row);
        if (!batch) continue;
        const outcome = await this.deliver(batch);
        if (outcome) return outcome;
      }
      // While a batch is on the wire, the batch before it is recorded and the next one formed (database
      // transactions, and the personalisation): from the moment its request has left, not before, or they
      // would hold the database while this batch renews its lease, on the way to the wire. A formed batch
      // is safe to leave behind: it is pending, and the next run sends it. So is an accepted one not yet
      // recorded: the next run sends it again under its key, and the provider answers as the first time.
      // Both are awaited only after the request in flight is answered, so each is created awaitedLater.
      let next = awaitedLater(this.formBatch());
      let recording: Promise<void> = Promise.resolve();
      let unrecorded: (() => Promise<void>) | undefined;
      const startRecording = () => {
        const write = unrecorded;
        unrecorded = undefined;
        if (write) recording = awaitedLater(recording.then(write));
      };
      const recordLater = (write: () => Promise<void>) => {
        startRecording(); // at most one waits
        unrecorded = write;
      };
      try {
        for (;;) {
          // A refused batch puts its rows back after `next` may have looked: look once more before stopping.
          const batch = (await next) ?? (await this.formBatch());
          next = Promise.resolve(undefined);
          if (!batch) {
            startRecording();
            await recording;
            return { kind: 'done' };
          }
          if (this.deps.signal?.aborted) {
            return { kind: 'interrupted', message: 'stopped on request; run again to finish' };
          }
          let left = false;
          const onLeft = () => {
            if (left) return;
            left = true;
            startRecording();
            next = awaitedLater(this.formBatch());
          };
          const outcome = await this.deliver(batch, onLeft, recordLater);
          await recording; // the batch before: written while this one was on the wire
          if (outcome) return outcome;
        }
      } finally {
        // Never leave a transaction running behind the caller's back (it may close the database next), nor
        // an accepted batch unrecorded.
        startRecording();
        await Promise.all([recording.catch(() => undefined), next.catch(() => undefined)]);
      }
    } catch (error) {
      if (error instanceof LeaseLost) {
        return {
          kind: 'interrupted',
          message: 'lost the send lease to another process; it will finish the send',
        };
      }
      throw error;
    }
  }

  private envelope(): Envelope {
    const { from, publicUrl, unsubscribeMailto } = this.deps.config;
    return { from, publicUrl, unsubscribeMailto: unsubscribeMailto ?? null, editionInLinks: true };
  }

  /** The messages of as many of `recipients`, from the first, as fit in one request: always at least one. */
  private fittingMessages(recipients: readonly Recipient[], envelope: Envelope): PiecewiseMessage[] {
    const messages: PiecewiseMessage[] = [];
    let characters = 0;
    for (const recipient of recipients) {
      const message = this.messageFor(recipient, envelope);
      characters += piecesLength(message.html) + piecesLength(message.text);
      if (characters > MAX_BATCH_CHARACTERS && messages.length > 0) break;
      messages.push(message);
    }
    return messages;
  }

  private messageFor(recipient: Recipient, envelope: Envelope): PiecewiseMessage {
    const content = this.contents.get(recipient.contentId);
    if (!content)
      throw new Error(`delivery ${recipient.deliveryId} refers to missing content ${recipient.contentId}`);
    const links = recipientLinks(
      envelope.publicUrl,
      recipient.token,
      envelope.editionInLinks ? this.weekKey : undefined,
      // SQLite answers EXISTS with 0 or 1, PostgreSQL with a boolean.
      consentReason(recipient.source, Boolean(Number(recipient.confirmedByLink))),
    );
    const pieces = this.deps.personalise(content, links);
    const message = digestMessage(
      envelope,
      recipient.email,
      links,
      { subject: content.subject, html: '', text: '' },
      this.weekKey,
    );
    return { ...message, ...pieces };
  }

  /** Rebuilds a batch formed by an earlier run; its bytes must match what that run may have sent. */
  private async rebuild(row: BatchRow): Promise<FormedBatch | undefined> {
    const recipients = await batchRecipients(this.deps.db, this.editionId, row.id);
    const envelope = JSON.parse(row.envelope) as Envelope;
    const messages = recipients.map((recipient) => this.messageFor(recipient, envelope));
    if (payloadHash(messages) === row.payload_hash) return { row, recipients, messages };
    // Someone in the batch was erased since it was formed. The first attempt may have been accepted, and a
    // different body under the same key would be refused, so the others are not risked a second copy.
    const reason =
      'batch changed after it was formed (a subscriber was erased); not resent to avoid duplicates';
    await failBatch(this.deps.db, row.id, reason, this.now());
    this.deps.log.warn('batch.changed', { batch: row.id, recipients: recipients.length });
    return undefined;
  }

  private now(): string {
    return this.deps.clock.now().toISOString();
  }

  /**
   * Takes the next pending rows into a new batch, stored with its key before any call. Consent is checked
   * here: someone who unsubscribed (or bounced, or complained) since the plan is skipped instead.
   */
  private async formBatch(): Promise<FormedBatch | undefined> {
    for (;;) {
      const formed = await this.deps.db.transaction().execute((trx) => this.tryFormBatch(trx));
      if (formed !== 'all withdrawn') return formed;
    }
  }

  private async tryFormBatch(trx: Db): Promise<FormedBatch | undefined | 'all withdrawn'> {
    // A row that was in a refused batch goes alone (see markRejected), before the others, while some may
    // exist (an earlier run or a refused batch left some).
    const next = await nextPendingRecipients(trx, this.editionId, MAX_BATCH_SIZE, this.soloPending);
    this.soloPending = next.solo;
    if (next.recipients.length === 0) return undefined;
    const recipients: Recipient[] = [];
    for (const entry of next.recipients) {
      if (entry.subscriberStatus === 'active') {
        recipients.push(entry);
        continue;
      }
      await skipWithdrawn(trx, entry.deliveryId, `${exclusionForStatus(entry.subscriberStatus)} during send`);
      this.eligible -= 1;
    }
    if (recipients.length === 0) return 'all withdrawn';
    const envelope = this.envelope();
    // Those beyond the request's size stay pending for the next batch (and are not personalised yet).
    const messages = this.fittingMessages(recipients, envelope);
    recipients.splice(messages.length);
    const row = await formBatch(
      trx,
      {
        editionId: this.editionId,
        idempotencyKey: `verdict-digest/${this.weekKey}/${randomUUID()}`,
        envelope: JSON.stringify(envelope),
        payloadHash: payloadHash(messages),
        createdAt: this.now(),
      },
      recipients.map((recipient) => recipient.deliveryId),
    );
    return { row, recipients, messages };
  }

  /**
   * Sends one batch until the provider settles it; returns an outcome only when the run must stop.
   * `onLeft` is called each time its request leaves or is over. An accepted batch's record (its rows
   * `sent`) is written through `record`: at once, or later by a caller that sends the next batch first.
   */
  private async deliver(
    batch: FormedBatch,
    onLeft: () => void = () => {},
    record: (write: () => Promise<void>) => Promise<void> | void = (write) => write(),
  ): Promise<RunOutcome | undefined> {
    for (let attempt = batch.row.attempts + 1; ; attempt++) {
      if (!(await renewLease(this.deps.db, this.lockName, this.holder, this.deps.clock.now())))
        throw new LeaseLost();
      await this.limiter.acquire();
      const outcome = await this.deps.transport.sendBatch(
        wholeMessages(batch.messages),
        batch.row.idempotency_key,
        () => {
          this.limiter.sent();
          onLeft();
        },
      );
      onLeft(); // a request that never left (refused connection) is over all the same
      if (outcome.announcedRate !== undefined) this.limiter.announce(outcome.announcedRate);
      // Each outcome's own write records the attempt count: no extra statement per batch.
      switch (outcome.status) {
        case 'accepted': {
          const { ids } = outcome;
          await record(async () => {
            await this.markSent(batch, ids, attempt);
            this.report(batch, 'sent', attempt);
          });
          return undefined;
        }
        case 'rejected':
          await this.markRejected(batch, outcome.reason, attempt);
          this.report(batch, batch.recipients.length > 1 ? 'split' : 'failed', attempt);
          return undefined;
        case 'halt':
          await this.noteError(batch, outcome.reason, attempt);
          this.deps.log.warn('send.halted', { batch: batch.row.id, reason: outcome.reason });
          return {
            kind: 'halted',
            message: `the provider refuses to send: ${outcome.reason}. Fix it and run again to resume.`,
          };
        case 'retryable': {
          await this.noteError(batch, outcome.reason, attempt);
          if (attempt - batch.row.attempts >= this.maxAttempts) {
            return {
              kind: 'halted',
              message: `batch ${batch.row.id} still unconfirmed after ${this.maxAttempts} attempts (${outcome.reason}); run again to resume.`,
            };
          }
          const wait = retryDelay(
            attempt - batch.row.attempts,
            this.random(),
            outcome.retryAfterMs,
            this.backoff,
          );
          if (outcome.retryAfterMs !== undefined) this.limiter.pause(wait);
          this.deps.log.warn('batch.retry', {
            batch: batch.row.id,
            attempt,
            waitMs: wait,
            reason: outcome.reason,
          });
          await this.wait(wait);
        }
      }
    }
  }

  /** Sleeps, renewing the lease so a long provider-requested wait does not let it lapse. */
  private async wait(ms: number): Promise<void> {
    const step = 10_000;
    for (let left = ms; left > 0; left -= step) {
      await sleep(Math.min(step, left));
      if (!(await renewLease(this.deps.db, this.lockName, this.holder, this.deps.clock.now())))
        throw new LeaseLost();
    }
  }

  private async noteError(batch: FormedBatch, reason: string, attempts: number): Promise<void> {
    await noteBatchAttempt(this.deps.db, batch.row.id, reason, attempts);
  }

  private async markSent(batch: FormedBatch, ids: readonly string[], attempts: number): Promise<void> {
    await markBatchSent(this.deps.db, {
      batchId: batch.row.id,
      deliveryIds: batch.recipients.map((recipient) => recipient.deliveryId),
      emailIds: ids,
      attempts,
      at: this.now(),
    });
    this.done += batch.recipients.length;
  }

  /**
   * A refused batch was not sent at all (strict validation refuses the whole request), so its recipients
   * can safely go again: each alone, so one bad address fails only itself, with the provider's message.
   */
  private async markRejected(batch: FormedBatch, reason: string, attempts: number): Promise<void> {
    const alone = batch.recipients.length === 1;
    if (alone) await failBatch(this.deps.db, batch.row.id, reason, this.now(), attempts);
    else await requeueAlone(this.deps.db, batch.row.id, reason, attempts, this.now());
    if (!alone) this.soloPending = true;
    if (alone) this.done += 1;
  }

  private report(batch: FormedBatch, outcome: BatchProgress['outcome'], attempts: number): void {
    const progress = {
      batchId: batch.row.id,
      size: batch.recipients.length,
      outcome,
      attempts,
      done: this.done,
      eligible: this.eligible,
    };
    this.deps.onBatch?.(progress);
    this.deps.log.info('batch.done', { ...progress });
  }
}
