// Small writes that arrive together commit together. Each write is applied in arrival order, one after the
// other, inside one transaction with the others waiting at that moment, and each caller is answered only
// once that transaction has committed, so what a caller is told is as durable as before. What it saves is
// the transaction around each write: on SQLite a BEGIN IMMEDIATE and a COMMIT (a WAL append), on
// PostgreSQL the writers' lock, a BEGIN and a COMMIT, round trips that every other writer queues behind.
//
// States: idle (nothing queued, no transaction open) and writing (one transaction open; writes arriving
// meanwhile queue for the next one). A write that fails takes its companions down with it, so when a
// shared transaction fails each of its writes is tried again alone and only the failing one is refused;
// a database that stays locked is the exception, since trying again alone would only wait as long again.
import type { Db } from '../adapters/database.js';
import { DatabaseBusyError } from '../adapters/storage-fault.js';

/** The most writes one transaction takes: a flood is committed in steps, each answered as it commits. */
const MOST_WRITES = 64;

interface Queued<T, R> {
  readonly item: T;
  readonly resolve: (result: R) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * A function that hands an item to `write` within a transaction shared with the items queued with it.
 * `write` takes the items in arrival order and answers one result for each, in the same order.
 */
export function sharedTransactions<T, R>(
  db: Db,
  write: (trx: Db, items: readonly T[]) => Promise<R[]>,
): (item: T) => Promise<R> {
  const queue: Queued<T, R>[] = [];
  let writing = false;

  const alone = async (queued: Queued<T, R>) => {
    try {
      const [result] = await db.transaction().execute((trx) => write(trx, [queued.item]));
      queued.resolve(result as R);
    } catch (error) {
      queued.reject(error);
    }
  };

  const drain = async () => {
    while (queue.length > 0) {
      const group = queue.splice(0, MOST_WRITES);
      try {
        const results = await db.transaction().execute((trx) =>
          write(
            trx,
            group.map((queued) => queued.item),
          ),
        );
        for (const [index, queued] of group.entries()) queued.resolve(results[index] as R);
      } catch (error) {
        if (group.length === 1 || error instanceof DatabaseBusyError)
          for (const queued of group) queued.reject(error);
        else for (const queued of group) await alone(queued);
      }
    }
    writing = false;
  };

  return (item) =>
    new Promise<R>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      if (writing) return;
      writing = true;
      // On SQLite a transaction runs to its end without giving way to the sockets (each statement is a
      // synchronous call), so a write started at once would always be alone. Starting after the event
      // loop's current turn lets every request that has already arrived queue first.
      setImmediate(drain);
    });
}
