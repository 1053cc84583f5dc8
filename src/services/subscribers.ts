// Subscriber administration from the command line: add, CSV import, list, erase.
import type { SubscriberRow, SubscriberStatus } from '../../db/schema.js';
import { knownCategories } from '../adapters/comparison-repository.js';
import type { Db } from '../adapters/database.js';
import { eraseProviderEvents } from '../adapters/engagement-repository.js';
import { type CsvSource, readSubscriberCsv } from '../adapters/subscriber-csv.js';
import {
  deleteSubscriber,
  findSubscriberByKey,
  type ImportedSubscriber,
  importedRowsWriter,
  insertSubscriber,
} from '../adapters/subscriber-repository.js';
import { AddressSet } from '../domain/address-set.js';
import type { Clock } from '../domain/clock.js';
import { checkEmailAddress, parseCategoryList } from '../domain/email-address.js';
import { isSubscriberStatus, matchCategories, SUBSCRIBER_STATUSES } from '../domain/subscriber.js';

export interface SubscriberDeps {
  readonly db: Db;
  readonly clock: Clock;
}

export type AddOutcome =
  | { readonly input: string; readonly outcome: 'added'; readonly email: string; readonly id: number }
  | {
      readonly input: string;
      readonly outcome: 'exists';
      readonly email: string;
      readonly status: SubscriberStatus;
    }
  | { readonly input: string; readonly outcome: 'invalid'; readonly reason: string };

/**
 * Adds addresses with one status and category list. An address already present is left as it is: adding
 * must never re-activate someone who unsubscribed, bounced or complained.
 */
export async function addSubscribers(
  deps: SubscriberDeps,
  inputs: readonly string[],
  options: { status: 'active' | 'pending'; categories: readonly string[] },
): Promise<AddOutcome[]> {
  const outcomes: AddOutcome[] = [];
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    for (const input of inputs) {
      const checked = checkEmailAddress(input);
      if (!checked.ok) {
        outcomes.push({ input, outcome: 'invalid', reason: checked.reason });
        continue;
      }
      const existing = await findSubscriberByKey(trx, checked.key);
      if (existing) {
        outcomes.push({ input, outcome: 'exists', email: existing.email, status: existing.status });
        continue;
      }
      const added = await insertSubscriber(trx, { ...checked, ...options, source: 'cli' }, now);
      outcomes.push({ input, outcome: 'added', email: checked.email, id: added.id });
    }
  });
  return outcomes;
}

export interface CsvProblem {
  readonly line: number;
  readonly reason: string;
}

export type CsvImportResult =
  | { readonly ok: false; readonly error: string }
  | {
      readonly ok: true;
      /** False when bad rows stopped the import (nothing was written). */
      readonly imported: boolean;
      readonly added: number;
      readonly existing: number;
      /** Subscribers added as pending: each is owed a confirmation email, as the web form sends. */
      readonly pendingIds: IdList;
      /** How many rows are bad. */
      readonly badRows: number;
      /** The first PROBLEMS_KEPT of the bad rows, in file order. */
      readonly problems: CsvProblem[];
      readonly ignoredColumns: string[];
    };

/**
 * Bad rows described one by one; past these only their number is kept. A file of a million wrong rows
 * would otherwise hold a million sentences, and nobody reads beyond the first few hundred.
 */
export const PROBLEMS_KEPT = 1000;

/** Rows inserted per statement: large enough that a statement's overhead vanishes, far below any engine's limit on parameters. */
const CHUNK_ROWS = 500;

const KNOWN_COLUMNS = ['email', 'status', 'categories'];

export interface CsvImportProgress {
  /** After every few thousand rows checked, and once at the end of the first reading. */
  checked?(rows: number, done: boolean): void;
  /** After each chunk written, of `total` good rows. */
  written?(rows: number, total: number): void;
}

/** Ids in a typed array: a million pending readers take 8 MB outside the heap, not a million boxed numbers. */
export class IdList implements Iterable<number> {
  #ids = new Float64Array(1024);
  #length = 0;

  get length(): number {
    return this.#length;
  }

  push(id: number): void {
    if (this.#length === this.#ids.length) {
      const bigger = new Float64Array(this.#ids.length * 2);
      bigger.set(this.#ids);
      this.#ids = bigger;
    }
    this.#ids[this.#length++] = id;
  }

  *[Symbol.iterator](): Iterator<number> {
    for (let i = 0; i < this.#length; i++) yield this.#ids[i] as number;
  }
}

/** One bit per row of the file: set for a bad row, which the writing pass skips. */
class RowBits {
  #bits = new Uint8Array(1024);

  set(index: number): void {
    const byte = index >> 3;
    if (byte >= this.#bits.length) {
      const bigger = new Uint8Array(Math.max(this.#bits.length * 2, byte + 1));
      bigger.set(this.#bits);
      this.#bits = bigger;
    }
    this.#bits[byte] = (this.#bits[byte] ?? 0) | (1 << (index & 7));
  }

  has(index: number): boolean {
    return (((this.#bits[index >> 3] ?? 0) >> (index & 7)) & 1) === 1;
  }
}

type CheckedRow =
  | { readonly ok: true; readonly row: ImportedSubscriber }
  | { readonly ok: false; readonly reason: string };

function checkRow(
  fields: Readonly<Record<string, string>>,
  known: readonly string[],
  allowNewCategories: boolean,
): CheckedRow {
  const checked = checkEmailAddress(fields.email ?? '');
  if (!checked.ok) return { ok: false, reason: checked.reason };
  const status = (fields.status ?? '').toLowerCase() || 'active';
  if (!isSubscriberStatus(status)) {
    return {
      ok: false,
      reason: `status "${fields.status}" is not one of ${SUBSCRIBER_STATUSES.join(', ')}`,
    };
  }
  const requested = fields.categories ? parseCategoryList(fields.categories) : [];
  const categories = requested.length
    ? matchCategories(known, requested, allowNewCategories)
    : ({ ok: true, categories: [] } as const);
  if (!categories.ok) return { ok: false, reason: categories.reason };
  return {
    ok: true,
    row: { email: checked.email, key: checked.key, status, categories: categories.categories },
  };
}

/**
 * The checking pass: every row, with each address remembered (compactly) only until it returns, so the
 * writing pass has that memory for itself.
 */
async function checkCsv(
  source: CsvSource,
  known: readonly string[],
  allowNew: boolean,
  progress: CsvImportProgress,
) {
  const problems: CsvProblem[] = [];
  const bad = new RowBits();
  let badRows = 0;
  const problem = (index: number, line: number, reason: string) => {
    bad.set(index);
    badRows++;
    if (problems.length < PROBLEMS_KEPT) problems.push({ line, reason });
  };
  const seen = new AddressSet();
  const checked = await readSubscriberCsv(source, ({ line, index, fields }) => {
    const row = checkRow(fields, known, allowNew);
    if (!row.ok) problem(index, line, row.reason);
    else {
      const earlier = seen.add(row.row.key, line);
      if (earlier !== undefined) problem(index, line, `"${row.row.email}" repeats line ${earlier}`);
    }
    if (index % 5000 === 4999) progress.checked?.(index + 1, false);
  });
  return { checked, bad, badRows, problems };
}

/**
 * Imports a CSV: all rows or, when any is bad, none, unless `skipInvalid` imports the good ones. The file is
 * read twice, a record at a time: first to check every row (remembering, compactly, each address and which
 * rows are bad), then, only when the file may be imported, to write the good rows in one transaction.
 */
export async function importSubscriberCsv(
  deps: SubscriberDeps,
  source: CsvSource,
  options: { skipInvalid: boolean; allowNewCategories?: boolean; progress?: CsvImportProgress },
): Promise<CsvImportResult> {
  const known = await knownCategories(deps.db);
  const allowNew = options.allowNewCategories === true;
  const progress = options.progress ?? {};
  const { checked, bad, badRows, problems } = await checkCsv(source, known, allowNew, progress);
  if (!checked.ok) return checked;
  progress.checked?.(checked.rows, true);
  const ignoredColumns = checked.columns.filter((column) => !KNOWN_COLUMNS.includes(column));
  const pendingIds = new IdList();
  if (badRows > 0 && !options.skipInvalid) {
    return {
      ok: true,
      imported: false,
      added: 0,
      existing: 0,
      pendingIds,
      badRows,
      problems,
      ignoredColumns,
    };
  }

  const good = checked.rows - badRows;
  let added = 0;
  let existing = 0;
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    const writer = await importedRowsWriter(trx);
    let chunk: ImportedSubscriber[] = [];
    const flush = async () => {
      const written = await writer.write(chunk, now);
      added += written.added;
      existing += chunk.length - written.added;
      for (const id of written.pendingIds) pendingIds.push(id);
      chunk = [];
      progress.written?.(added + existing, good);
    };
    try {
      const written = await readSubscriberCsv(source, ({ index, fields }) => {
        if (bad.has(index)) return;
        const row = checkRow(fields, known, allowNew);
        if (!row.ok) throw new FileChangedError();
        chunk.push(row.row);
        return chunk.length === CHUNK_ROWS ? flush() : undefined;
      });
      if (!written.ok || written.rows !== checked.rows) throw new FileChangedError();
      await flush();
    } finally {
      await writer.close();
    }
  });
  return { ok: true, imported: true, added, existing, pendingIds, badRows, problems, ignoredColumns };
}

/** The CSV read for writing is not the one that was checked: it changed in between; nothing is written. */
export class FileChangedError extends Error {
  override name = 'FileChangedError';
  constructor() {
    super('the file changed while it was being imported; nothing was imported, run the command again');
  }
}

/** Erases everything stored about the address. Returns the removed row, or undefined when unknown. */
export async function removeSubscriber(
  deps: SubscriberDeps,
  input: string,
): Promise<SubscriberRow | undefined> {
  const checked = checkEmailAddress(input);
  const key = checked.ok ? checked.key : input.trim().toLowerCase();
  return deps.db.transaction().execute(async (trx) => {
    const row = await findSubscriberByKey(trx, key);
    if (row) {
      // Stored provider events keep the address in their payloads; their delivery events go by cascade.
      await eraseProviderEvents(trx, row.id);
      await deleteSubscriber(trx, row.id);
    }
    return row;
  });
}
