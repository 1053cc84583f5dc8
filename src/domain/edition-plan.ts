// Who gets what in an edition, and why someone gets nothing. Pure: the services feed it rows.
import type { EditionStatus, SubscriberStatus } from '../../db/schema.js';
import type { DigestComparison } from './digest.js';
import { followsAny } from './subscriber.js';

export type ExclusionReason =
  | 'pending confirmation'
  | 'unsubscribed'
  | 'bounced'
  | 'complained'
  | 'no matching categories'
  | 'unsubscribed during send';

export type Assignment =
  | {
      readonly status: 'pending';
      readonly contentKey: string;
      readonly comparisons: readonly DigestComparison[];
    }
  | { readonly status: 'skipped'; readonly reason: ExclusionReason };

const STATUS_EXCLUSIONS: Record<Exclude<SubscriberStatus, 'active'>, ExclusionReason> = {
  pending: 'pending confirmation',
  unsubscribed: 'unsubscribed',
  bounced: 'bounced',
  complained: 'complained',
};

export function exclusionForStatus(status: SubscriberStatus): ExclusionReason | undefined {
  return status === 'active' ? undefined : STATUS_EXCLUSIONS[status];
}

/** The content variant key: which of the edition's comparisons a reader gets, in edition order. */
export function contentKeyOf(comparisons: readonly Pick<DigestComparison, 'slug'>[]): string {
  return JSON.stringify(comparisons.map((comparison) => comparison.slug));
}

/**
 * What one subscriber gets from an edition's items (newest first): the comparisons whose tools are in a
 * followed category (none followed = all), or an exclusion with its reason.
 */
export function assignContent(
  subscriber: { readonly status: SubscriberStatus; readonly categories: readonly string[] },
  items: readonly DigestComparison[],
): Assignment {
  const excluded = exclusionForStatus(subscriber.status);
  if (excluded) return { status: 'skipped', reason: excluded };
  const comparisons = items.filter((item) => followsAny(subscriber.categories, item.categories));
  if (comparisons.length === 0) return { status: 'skipped', reason: 'no matching categories' };
  return { status: 'pending', contentKey: contentKeyOf(comparisons), comparisons };
}

/** Why a week with comparisons but nobody to receive them is recorded as skipped. */
export const NO_ELIGIBLE_READERS = 'no eligible readers';

/** A week's edition as recorded, as far as the selection rule asks: how it ended, and when it was planned. */
export interface RecordedEdition {
  readonly status: EditionStatus;
  /** Why it was skipped or missed, if it was. */
  readonly reason?: string | null | undefined;
  /** ISO instant it was planned (sent, skipped, missed or started). */
  readonly plannedAt: string;
}

/**
 * Whether a recorded week passes every comparison of its own on to the next week: one that was missed
 * (never sent), or skipped because nobody could receive it. Neither carries items, so nothing of theirs
 * counts as sent; a week skipped for having nothing new had nothing to pass on.
 */
export function handsOn(edition: Pick<RecordedEdition, 'status' | 'reason'>): boolean {
  return (
    edition.status === 'missed' || (edition.status === 'skipped' && edition.reason === NO_ELIGIBLE_READERS)
  );
}

export interface CarriedOver {
  /** The earliest of the weeks just before this one that handed their comparisons on, if any. */
  readonly fromWeek: string | undefined;
  /** The week before those, whose late imports (after it was planned) ride this week, and when it was planned. */
  readonly lateImportsOf: { readonly weekKey: string; readonly plannedAt: string } | undefined;
}

/**
 * What a week takes over from the weeks before it, given their editions newest first (the previous week's
 * first; `weekKey` and `undefined` where a week has none): everything from the unbroken run of weeks that
 * handed their comparisons on, and the late imports of the week before that run, when it went out (sent)
 * or had nothing (skipped).
 */
export function carriedOver(
  earlier: readonly { readonly weekKey: string; readonly edition: RecordedEdition | undefined }[],
): CarriedOver {
  let fromWeek: string | undefined;
  for (const { weekKey, edition } of earlier) {
    if (edition && handsOn(edition)) {
      fromWeek = weekKey;
      continue;
    }
    const lateImports = edition && (edition.status === 'sent' || edition.status === 'skipped');
    return { fromWeek, lateImportsOf: lateImports ? { weekKey, plannedAt: edition.plannedAt } : undefined };
  }
  return { fromWeek, lateImportsOf: undefined };
}
