// A delivery's life in the ledger: its statuses, every move between them by name, and the groups the
// reports count by. Pure: src/adapters/ledger-repository.ts writes each move, and docs/delivery.md shows
// the same machine as a table. A batch (batches.status) moves alongside its deliveries.
import type { BatchStatus, DeliveryStatus } from '../../db/schema.js';

export type { BatchStatus, DeliveryStatus };

export const DELIVERY_STATUSES: readonly DeliveryStatus[] = [
  'pending',
  'batched',
  'sent',
  'failed',
  'skipped',
];

/** One move: `from` null is a row being written (there was none before). */
export interface Move<Status extends string> {
  readonly from: Status | null;
  readonly to: Status;
}

/**
 * Every move a delivery can make, by name: the name of the ledger function that makes it, but for the
 * freeze's two (insertLedger writes both).
 */
export const DELIVERY_MOVES = {
  /** The freeze writes a reader who has a rendered variant. */
  freezePending: { from: null, to: 'pending' },
  /** The freeze writes a reader who gets nothing this week, with the exclusion as reason. */
  freezeSkipped: { from: null, to: 'skipped' },
  /** Taken into a new batch, stored with its key before the first request. */
  formBatch: { from: 'pending', to: 'batched' },
  /** No longer active when its batch was formed (unsubscribed, bounced, complained since the freeze). */
  skipWithdrawn: { from: 'pending', to: 'skipped' },
  /** The provider accepted the batch. */
  markBatchSent: { from: 'batched', to: 'sent' },
  /** The provider refused a batch of several: nothing went out, so each reader goes again alone. */
  requeueAlone: { from: 'batched', to: 'pending' },
  /** The provider refused a batch of one, or the batch's bytes changed since it was formed. */
  failBatch: { from: 'batched', to: 'failed' },
} as const satisfies Record<string, Move<DeliveryStatus>>;

export type DeliveryMoveName = keyof typeof DELIVERY_MOVES;

/** The batch's own move in each of the ledger's moves that touch a batch. */
export const BATCH_MOVES = {
  formBatch: { from: null, to: 'pending' },
  markBatchSent: { from: 'pending', to: 'sent' },
  requeueAlone: { from: 'pending', to: 'failed' },
  failBatch: { from: 'pending', to: 'failed' },
} as const satisfies Partial<Record<DeliveryMoveName, Move<BatchStatus>>>;

/** The names of the moves that take a delivery from `from` (null: no row yet) to `to`; empty if none may. */
export function deliveryMovesBetween(from: DeliveryStatus | null, to: DeliveryStatus): DeliveryMoveName[] {
  return (Object.keys(DELIVERY_MOVES) as DeliveryMoveName[]).filter(
    (name) => DELIVERY_MOVES[name].from === from && DELIVERY_MOVES[name].to === to,
  );
}

/** The groups the reports and the sender count by. */
export const DELIVERY_GROUPS = {
  /** Still to be sent by this run or the next: an edition is sent only once none is left. */
  unfinished: ['pending', 'batched'],
  /** Settled for good: no move leaves them. */
  finished: ['sent', 'failed', 'skipped'],
  /** Meant for a reader this week: every row but those skipped (the report's "eligible"). */
  eligible: ['pending', 'batched', 'sent', 'failed'],
  /** Settled for an eligible reader: how far a send's progress has come. */
  done: ['sent', 'failed'],
  /**
   * May have reached the reader: sent, or handed to the provider by a run that stopped before it recorded
   * the answer (the provider may well have accepted it).
   */
  mayHaveReached: ['sent', 'batched'],
} as const satisfies Record<string, readonly DeliveryStatus[]>;

export type DeliveryGroup = keyof typeof DELIVERY_GROUPS;

/** The groups `status` belongs to. */
export function groupsOf(status: DeliveryStatus): DeliveryGroup[] {
  return (Object.keys(DELIVERY_GROUPS) as DeliveryGroup[]).filter((group) =>
    (DELIVERY_GROUPS[group] as readonly DeliveryStatus[]).includes(status),
  );
}

/** How many of the rows counted `byStatus` are in `group`. */
export function countIn(byStatus: Readonly<Record<string, number>>, group: DeliveryGroup): number {
  return DELIVERY_GROUPS[group].reduce((sum, status) => sum + (byStatus[status] ?? 0), 0);
}
