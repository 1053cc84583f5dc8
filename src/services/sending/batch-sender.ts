// One batch at a time: forming it (consent checked, messages fitted under the request size, stored with its
// key and hash before any request), rebuilding one an earlier run formed, and sending it until the provider
// settles it, each answer recorded through the ledger's named moves (docs/delivery.md).
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BatchRow } from '../../../db/schema.js';
import type { Db } from '../../adapters/database.js';
import { countDeliveries, loadContents } from '../../adapters/frozen-ledger-repository.js';
import {
  batchRecipients,
  failBatch,
  formBatch,
  type LedgerRecipient,
  markBatchSent,
  nextPendingRecipients,
  noteBatchAttempt,
  requeueAlone,
  skipWithdrawn,
} from '../../adapters/ledger-repository.js';
import { createRateLimiter, type RateLimiter } from '../../adapters/rate-limiter.js';
import { MAX_BATCH_SIZE } from '../../adapters/transport.js';
import { countIn } from '../../domain/delivery-status.js';
import type { Envelope } from '../../domain/digest-message.js';
import { exclusionForStatus } from '../../domain/edition-plan.js';
import { payloadHash } from '../../domain/payload-hash.js';
import { type BackoffOptions, DEFAULT_BACKOFF, retryDelay } from '../../domain/retry-policy.js';
import type { RenderedContent } from '../freeze-edition.js';
import type { BatchProgress, SendDeps } from '../send-edition.js';
import {
  fittingMessages,
  type MessageSource,
  messageFor,
  type PiecewiseMessage,
  wholeMessages,
} from './batch-messages.js';
import type { RunOutcome, SendLease } from './lease-and-report.js';

export interface FormedBatch {
  readonly row: BatchRow;
  readonly recipients: readonly LedgerRecipient[];
  readonly messages: readonly PiecewiseMessage[];
}

/** What `deliver` tells its caller along the way; the pipeline uses it to overlap work with the request. */
export interface DeliveryHooks {
  /** Called each time the batch's request leaves or is over (at least once per attempt). */
  onLeft(): void;
  /** Writes an accepted batch's record (its rows `sent`): at once, or later, after the next request left. */
  record(write: () => Promise<void>): Promise<void> | void;
}

/** Hooks for a batch sent on its own: nothing overlaps it, and its record is written at once. */
export const AT_ONCE: DeliveryHooks = { onLeft: () => {}, record: (write) => write() };

export class BatchSender {
  private readonly limiter: RateLimiter;
  private readonly random: () => number;
  private readonly backoff: BackoffOptions;
  private readonly maxAttempts: number;
  private source: MessageSource;
  private done = 0;
  private eligible = 0;
  /** Whether the ledger may hold rows to send alone: an earlier run may have left some. */
  private soloPending = true;

  constructor(
    private readonly deps: SendDeps,
    private readonly editionId: number,
    private readonly weekKey: string,
    private readonly lease: SendLease,
  ) {
    this.limiter = createRateLimiter(deps.config.sendRate);
    this.random = deps.random ?? Math.random;
    this.backoff = deps.backoff ?? DEFAULT_BACKOFF;
    this.maxAttempts = deps.maxAttempts ?? 10;
    this.source = { weekKey, contents: new Map<number, RenderedContent>(), personalise: deps.personalise };
  }

  /** Loads the edition's variants and its counts; called once, before the first batch. */
  async load(): Promise<void> {
    // An edition has a handful of rendered variants: all are held in memory for the run.
    this.source = { ...this.source, contents: await loadContents(this.deps.db, this.editionId) };
    const counts = await countDeliveries(this.deps.db, this.editionId);
    this.eligible = countIn(counts.byStatus, 'eligible');
    this.done = countIn(counts.byStatus, 'done');
  }

  private envelope(): Envelope {
    const { from, publicUrl, unsubscribeMailto } = this.deps.config;
    return { from, publicUrl, unsubscribeMailto: unsubscribeMailto ?? null, editionInLinks: true };
  }

  private now(): string {
    return this.deps.clock.now().toISOString();
  }

  /** Rebuilds a batch formed by an earlier run; its bytes must match what that run may have sent. */
  async rebuild(row: BatchRow): Promise<FormedBatch | undefined> {
    const recipients = await batchRecipients(this.deps.db, this.editionId, row.id);
    const envelope = JSON.parse(row.envelope) as Envelope;
    const messages = recipients.map((recipient) => messageFor(this.source, recipient, envelope));
    if (payloadHash(messages) === row.payload_hash) return { row, recipients, messages };
    // Someone in the batch was erased since it was formed. The first attempt may have been accepted, and a
    // different body under the same key would be refused, so the others are not risked a second copy.
    const reason =
      'batch changed after it was formed (a subscriber was erased); not resent to avoid duplicates';
    await failBatch(this.deps.db, row.id, reason, this.now());
    this.deps.log.warn('batch.changed', { batch: row.id, recipients: recipients.length });
    return undefined;
  }

  /**
   * Takes the next pending rows into a new batch, stored with its key before any call. Consent is checked
   * here: someone who unsubscribed (or bounced, or complained) since the plan is skipped instead.
   */
  async formBatch(): Promise<FormedBatch | undefined> {
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
    const recipients: LedgerRecipient[] = [];
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
    const messages = fittingMessages(this.source, recipients, envelope);
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
   * Sends one batch until the provider settles it; returns an outcome only when the run must stop. Every
   * attempt renews the lease first and goes with the batch's stored key and the same bytes.
   */
  async deliver(batch: FormedBatch, hooks: DeliveryHooks): Promise<RunOutcome | undefined> {
    for (let attempt = batch.row.attempts + 1; ; attempt++) {
      await this.lease.renew();
      await this.limiter.acquire();
      const outcome = await this.deps.transport.sendBatch(
        wholeMessages(batch.messages),
        batch.row.idempotency_key,
        () => {
          this.limiter.sent();
          hooks.onLeft();
        },
      );
      hooks.onLeft(); // a request that never left (refused connection) is over all the same
      if (outcome.announcedRate !== undefined) this.limiter.announce(outcome.announcedRate);
      // Each outcome's own write records the attempt count: no extra statement per batch.
      switch (outcome.status) {
        case 'accepted': {
          const { ids } = outcome;
          await hooks.record(async () => {
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
          await noteBatchAttempt(this.deps.db, batch.row.id, outcome.reason, attempt);
          this.deps.log.warn('send.halted', { batch: batch.row.id, reason: outcome.reason });
          return {
            kind: 'halted',
            message: `the provider refuses to send: ${outcome.reason}. Fix it and run again to resume.`,
          };
        case 'retryable': {
          await noteBatchAttempt(this.deps.db, batch.row.id, outcome.reason, attempt);
          const tried = attempt - batch.row.attempts;
          if (tried >= this.maxAttempts) {
            return {
              kind: 'halted',
              message: `batch ${batch.row.id} still unconfirmed after ${this.maxAttempts} attempts (${outcome.reason}); run again to resume.`,
            };
          }
          const wait = retryDelay(tried, this.random(), outcome.retryAfterMs, this.backoff);
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
      await this.lease.renew();
    }
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
