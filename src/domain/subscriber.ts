import type { SubscriberStatus } from '../../db/schema.js';

export const SUBSCRIBER_STATUSES: readonly SubscriberStatus[] = [
  'pending',
  'active',
  'unsubscribed',
  'bounced',
  'complained',
];

export function isSubscriberStatus(value: string): value is SubscriberStatus {
  return (SUBSCRIBER_STATUSES as readonly string[]).includes(value);
}

/** Zero followed categories means all; otherwise a comparison matches when either tool's category is followed. */
export function followsAny(followed: readonly string[], categories: readonly string[]): boolean {
  if (followed.length === 0) return true;
  const wanted = new Set(followed.map((category) => category.toLowerCase()));
  return categories.some((category) => wanted.has(category.toLowerCase()));
}
