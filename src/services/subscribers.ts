// Subscriber administration from the command line: add, CSV import, list, erase (SPEC section 5).
import type { SubscriberRow, SubscriberStatus } from '../../db/schema.js';
import { knownCategories } from '../adapters/comparison-repository.js';
import type { Db } from '../adapters/database.js';
import { eraseProviderEvents } from '../adapters/engagement-repository.js';
import { parseSubscriberCsv } from '../adapters/subscriber-csv.js';
import {
  deleteSubscriber,
  findSubscriberByKey,
  insertSubscriber,
} from '../adapters/subscriber-repository.js';
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
      readonly pendingIds: number[];
      readonly problems: CsvProblem[];
      readonly ignoredColumns: string[];
    };

const KNOWN_COLUMNS = ['email', 'status', 'categories'];

/** Imports a CSV: all rows or, when any is bad, none, unless `skipInvalid` imports the good ones. */
export async function importSubscriberCsv(
  deps: SubscriberDeps,
  text: string,
  options: { skipInvalid: boolean; allowNewCategories?: boolean },
): Promise<CsvImportResult> {
  const parsed = parseSubscriberCsv(text);
  if (!parsed.ok) return parsed;
  const known = await knownCategories(deps.db);
  const problems: CsvProblem[] = [];
  const candidates: {
    line: number;
    email: string;
    key: string;
    status: SubscriberStatus;
    categories: string[];
  }[] = [];
  const firstLineOfKey = new Map<string, number>();
  for (const row of parsed.rows) {
    const checked = checkEmailAddress(row.fields.email ?? '');
    const status = (row.fields.status ?? '').toLowerCase() || 'active';
    const categories = matchCategories(
      known,
      parseCategoryList(row.fields.categories),
      options.allowNewCategories === true,
    );
    if (!checked.ok) {
      problems.push({ line: row.line, reason: checked.reason });
    } else if (!isSubscriberStatus(status)) {
      problems.push({
        line: row.line,
        reason: `status "${row.fields.status}" is not one of ${SUBSCRIBER_STATUSES.join(', ')}`,
      });
    } else if (!categories.ok) {
      problems.push({ line: row.line, reason: categories.reason });
    } else if (firstLineOfKey.has(checked.key)) {
      problems.push({
        line: row.line,
        reason: `"${checked.email}" repeats line ${firstLineOfKey.get(checked.key)}`,
      });
    } else {
      firstLineOfKey.set(checked.key, row.line);
      candidates.push({
        line: row.line,
        ...checked,
        status,
        categories: categories.categories,
      });
    }
  }
  const ignoredColumns = parsed.columns.filter((column) => !KNOWN_COLUMNS.includes(column));
  if (problems.length > 0 && !options.skipInvalid) {
    return { ok: true, imported: false, added: 0, existing: 0, pendingIds: [], problems, ignoredColumns };
  }
  let added = 0;
  const pendingIds: number[] = [];
  let existing = 0;
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    for (const candidate of candidates) {
      if (await findSubscriberByKey(trx, candidate.key)) {
        existing++;
        continue;
      }
      const inserted = await insertSubscriber(trx, { ...candidate, source: 'csv' }, now);
      if (inserted.status === 'pending') pendingIds.push(inserted.id);
      added++;
    }
  });
  return { ok: true, imported: true, added, existing, pendingIds, problems, ignoredColumns };
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
