// The run of an edition's batches. Batches an interrupted run formed go first, alone, with their original
// key and bytes. Then new batches go one after another, and while one is on the wire the database work
// around it is done: the batch before it is recorded and the next one formed (docs/delivery.md, Memory and
// speed). That work starts only once the request has left, not before, or it would hold the database while
// this batch renews its lease on the way to the wire. A formed batch is safe to leave behind: it is
// pending, and the next run sends it. So is an accepted one not yet recorded: the next run sends it again
// under its key, and the provider answers as the first time.
import { pendingBatches } from '../../adapters/ledger-repository.js';
import type { SendDeps } from '../send-edition.js';
import { AT_ONCE, type BatchSender, type DeliveryHooks, type FormedBatch } from './batch-sender.js';
import { LeaseLost, type RunOutcome } from './lease-and-report.js';

/**
 * `promise`, with its failure kept for whoever awaits it later. Database work started while a request is
 * on the wire is awaited only when the answer is in: a failure in between (a full disk, a lock held past
 * the deadline, a lost connection) would otherwise be an unhandled rejection, which ends the process with
 * a stack trace instead of the fault's exit code. The await still throws it.
 */
function awaitedLater<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

/** The record of the last accepted batch, between the provider's answer and its write. */
type HeldRecord =
  | { readonly state: 'none' } // nothing waits
  | { readonly state: 'held'; readonly write: () => Promise<void> }; // waits for the next request to leave

/** The request of the batch in flight: on the way (lease, rate limit, connection) until it leaves. */
type RequestState = 'on the way' | 'left';

/** Runs every batch of the edition; an outcome other than `done` says why the run stopped early. */
export async function runBatches(
  sender: BatchSender,
  editionId: number,
  deps: Pick<SendDeps, 'db' | 'signal'>,
): Promise<RunOutcome> {
  await sender.load();
  try {
    for (const row of await pendingBatches(deps.db, editionId)) {
      const batch = await sender.rebuild(row);
      if (!batch) continue;
      const outcome = await sender.deliver(batch, AT_ONCE);
      if (outcome) return outcome;
    }
    return await new Pipeline(sender, deps.signal).run();
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

/** New batches, each request overlapped with the previous batch's record and the next batch's forming. */
class Pipeline {
  private held: HeldRecord = { state: 'none' };
  /** Records started, written one after another in the order their batches were accepted. */
  private recording: Promise<void> = Promise.resolve();
  /** The next batch, being formed (undefined once taken, until the request in flight has left). */
  private next: Promise<FormedBatch | undefined>;

  constructor(
    private readonly sender: BatchSender,
    private readonly signal: AbortSignal | undefined,
  ) {
    // Awaited only after the request in flight is answered, like every promise here: so awaitedLater.
    this.next = awaitedLater(sender.formBatch());
  }

  /** held → none: the held record's write joins the queue of records (a no-op when none is held). */
  private startRecording(): void {
    if (this.held.state === 'none') return;
    const { write } = this.held;
    this.held = { state: 'none' };
    this.recording = awaitedLater(this.recording.then(write));
  }

  /** none → held: an accepted batch's record waits; one already held is started first (at most one waits). */
  private hold(write: () => Promise<void>): void {
    this.startRecording();
    this.held = { state: 'held', write };
  }

  async run(): Promise<RunOutcome> {
    try {
      for (;;) {
        // A refused batch puts its rows back after `next` may have looked: look once more before stopping.
        const batch = (await this.next) ?? (await this.sender.formBatch());
        this.next = Promise.resolve(undefined);
        if (!batch) {
          this.startRecording();
          await this.recording;
          return { kind: 'done' };
        }
        if (this.signal?.aborted) {
          return { kind: 'interrupted', message: 'stopped on request; run again to finish' };
        }
        const outcome = await this.sender.deliver(batch, this.hooksFor());
        await this.recording; // the batch before: written while this one was on the wire
        if (outcome) return outcome;
      }
    } finally {
      // Never leave a transaction running behind the caller's back (it may close the database next), nor
      // an accepted batch unrecorded.
      this.startRecording();
      await Promise.all([this.recording.catch(() => undefined), this.next.catch(() => undefined)]);
    }
  }

  /** The hooks of one batch's delivery: its request's state goes 'on the way' → 'left' once. */
  private hooksFor(): DeliveryHooks {
    let request: RequestState = 'on the way';
    return {
      onLeft: () => {
        if (request === 'left') return;
        // on the way → left: the previous record and the next batch's forming may use the database now.
        request = 'left';
        this.startRecording();
        this.next = awaitedLater(this.sender.formBatch());
      },
      record: (write) => this.hold(write),
    };
  }
}
