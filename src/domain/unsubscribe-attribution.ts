// Who counts as unsubscribed by an edition (docs/engagement.md): a reader whose unsubscribe came through a
// link of that edition. Digest links carry the edition (`/unsubscribe/<token>?e=2026-W47`, and the same
// in List-Unsubscribe for the mail client's button). Nothing is guessed: a link that names no edition
// (the welcome email, a digest sent before links carried one) or an edition that was not sent to this
// reader (a mistyped or altered link) is counted against no edition.
import type { DeliveryStatus, SubscriberStatus } from '../../db/schema.js';
import { parseWeekKey } from './weeks.js';

/** The edition named by a link's `e` parameter, when it is a well-formed week key. */
export function linkEdition(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return 'error' in parseWeekKey(value) ? undefined : value.trim();
}

/**
 * Whether this unsubscribe counts against the edition its link names. `before` is the reader's status
 * before the click (only a change from active counts: repeating the POST is not a second unsubscribe);
 * `delivery` is that reader's row in the named edition's ledger, if any.
 */
export function countsAsUnsubscribedBy(
  before: SubscriberStatus,
  delivery: { readonly status: DeliveryStatus } | undefined,
): boolean {
  return before === 'active' && delivery?.status === 'sent';
}
