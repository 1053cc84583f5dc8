// Sending an edition exactly once. The ledger (one delivery row per subscriber) is written before the first
// send; batches of at most 100 pending rows are formed, with their composition and Idempotency-Key stored,
// before the first call; a batch is retried only with the same key and the same bytes; rows become `sent`
// only from the provider's answer. Whatever interrupts a send, running it again finishes it.

import type { DeliveryCounts } from '../adapters/frozen-ledger-repository.js';
import { type LeaseHolder, newHolderId } from '../adapters/lease.js';
import type { Transport } from '../adapters/transport.js';
import type { Config } from '../config.js';
import type { RecipientLinks } from '../domain/digest-message.js';
import type { BackoffOptions } from '../domain/retry-policy.js';
import { type ContentRenderer, type PlanDeps, type RenderedContent, startEdition } from './freeze-edition.js';
import type { PersonalisedPieces } from './personalise.js';
import { BatchSender } from './sending/batch-sender.js';
import { reportRun, reportWithoutSending, withSendLease } from './sending/lease-and-report.js';
import { runBatches } from './sending/pipeline.js';

export { payloadHash } from '../domain/payload-hash.js';
export { MAX_BATCH_CHARACTERS } from './sending/batch-messages.js';

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

/**
 * Sends week `weekKey`, planning it first if needed. Safe to run again after any interruption. The pieces:
 * ./sending/lease-and-report.ts (the lease, the report), ./sending/batch-sender.ts (one batch),
 * ./sending/pipeline.ts (the run of batches, overlapping database work with each request).
 */
export async function sendEdition(deps: SendDeps, weekKey: string): Promise<SendReport> {
  return withSendLease(deps, weekKey, deps.holder ?? newHolderId(), async (lease) => {
    const edition = await startEdition(deps, weekKey);
    if (edition.status === 'unapproved') return { weekKey, outcome: 'not approved', message: edition.why };
    const settled = await reportWithoutSending(deps, weekKey, edition);
    if (settled) return settled;
    const sender = new BatchSender(deps, edition.id, weekKey, lease);
    const outcome = await runBatches(sender, edition.id, deps);
    return reportRun(deps, weekKey, edition.id, outcome);
  });
}
