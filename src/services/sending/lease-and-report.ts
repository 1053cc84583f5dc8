// The send lease of one week, held for the whole run and renewed before every request, and the run's
// report: what `sendEdition` answers for each way a run can end (docs/delivery.md, Exactly once).
import type { EditionRow } from '../../../db/schema.js';
import { finishEdition } from '../../adapters/edition-repository.js';
import { countDeliveries } from '../../adapters/frozen-ledger-repository.js';
import { acquireLease, releaseLease, renewLease } from '../../adapters/lease.js';
import { countIn } from '../../domain/delivery-status.js';
import { sendLeaseName } from '../../domain/send-run.js';
import { skippedMessage } from '../freeze-edition.js';
import type { SendDeps, SendReport } from '../send-edition.js';

/** Thrown when a renewal finds the lease taken over: the run stops, and the new holder finishes the send. */
export class LeaseLost extends Error {}

/** The lease a run holds: `renew` throws LeaseLost once another process has it. */
export interface SendLease {
  readonly name: string;
  readonly holder: string;
  renew(): Promise<void>;
}

/** How a run of the batches ended: done (every batch settled), or stopped with the reason why. */
export type RunOutcome =
  | { kind: 'done' }
  | { kind: 'halted'; message: string }
  | { kind: 'interrupted'; message: string };

/**
 * Runs `body` holding week `weekKey`'s send lease, released afterwards whatever happens; a week another
 * live process holds is answered `locked`, with who holds it and until when.
 */
export async function withSendLease(
  deps: Pick<SendDeps, 'db' | 'clock'>,
  weekKey: string,
  holder: string,
  body: (lease: SendLease) => Promise<SendReport>,
): Promise<SendReport> {
  const name = sendLeaseName(weekKey);
  const acquired = await acquireLease(deps.db, name, holder, deps.clock.now());
  if (!acquired.acquired) {
    return {
      weekKey,
      outcome: 'locked',
      lockedBy: acquired.current,
      message: `${weekKey} is being sent by another process (${acquired.current.holder}); its lease runs until ${acquired.current.expiresAt.toISOString()}. Try again after that, or let it finish.`,
    };
  }
  const lease: SendLease = {
    name,
    holder,
    async renew() {
      if (!(await renewLease(deps.db, name, holder, deps.clock.now()))) throw new LeaseLost();
    },
  };
  try {
    return await body(lease);
  } finally {
    await releaseLease(deps.db, name, holder);
  }
}

/** The report of a week that has nothing (left) to send, or undefined when it is `sending`. */
export async function reportWithoutSending(
  deps: Pick<SendDeps, 'db'>,
  weekKey: string,
  edition: EditionRow,
): Promise<SendReport | undefined> {
  switch (edition.status) {
    case 'skipped':
      return { weekKey, outcome: 'skipped', message: skippedMessage(edition) };
    case 'missed':
      return {
        weekKey,
        outcome: 'missed',
        message: `${weekKey} was recorded as missed (${edition.reason}); nothing sent.`,
      };
    case 'sent':
      return {
        weekKey,
        outcome: 'already sent',
        counts: await countDeliveries(deps.db, edition.id),
        message: `${weekKey} was already sent (finished ${edition.finished_at}); nothing to do.`,
      };
    default:
      return undefined;
  }
}

/**
 * The report of a run: a run that settled every batch finishes the edition, unless rows are still
 * unsent (then it is interrupted, and the next run sends them).
 */
export async function reportRun(
  deps: Pick<SendDeps, 'db' | 'clock'>,
  weekKey: string,
  editionId: number,
  outcome: RunOutcome,
): Promise<SendReport> {
  const counts = await countDeliveries(deps.db, editionId);
  if (outcome.kind !== 'done') return { weekKey, outcome: outcome.kind, counts, message: outcome.message };
  const unsent = countIn(counts.byStatus, 'unfinished');
  if (unsent > 0) {
    return {
      weekKey,
      outcome: 'interrupted',
      counts,
      message: `${unsent} recipients still pending; run again to finish`,
    };
  }
  await finishEdition(deps.db, editionId, deps.clock.now());
  return { weekKey, outcome: 'sent', counts, message: `${weekKey} sent.` };
}
