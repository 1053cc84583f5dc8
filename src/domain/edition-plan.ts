// Who gets what in an edition, and why someone gets nothing. Pure: the services feed it rows.
import type { SubscriberStatus } from '../../db/schema.js';
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
