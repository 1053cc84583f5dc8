import type { SubscriberStatus } from '../../db/schema.js';
import { controlCharacterProblem } from './control-characters.js';
import { terminalSafe } from './terminal-text.js';

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

export type CategoryMatch =
  | { readonly ok: true; readonly categories: string[] }
  | { readonly ok: false; readonly reason: string };

/**
 * The requested categories as the comparisons spell them (matched ignoring case). An unknown one is refused
 * unless `allowNew`: a typo such as "Robotcs" would otherwise leave the reader matching nothing, and skipped
 * every week without anyone noticing.
 */
export function matchCategories(
  known: readonly string[],
  requested: readonly string[],
  allowNew: boolean,
): CategoryMatch {
  // Refused even with allowNew: a category is printed in pages, emails and the terminal.
  for (const category of requested) {
    const problem = controlCharacterProblem(category);
    if (problem) return { ok: false, reason: `category "${terminalSafe(category)}" ${problem}` };
  }
  const byKey = new Map(known.map((category) => [category.toLowerCase(), category]));
  const unknown = requested.filter((category) => !byKey.has(category.toLowerCase()));
  if (unknown.length > 0 && !allowNew) {
    const names = unknown.map((category) => `"${category}"`).join(', ');
    const knownList = known.length > 0 ? `known: ${known.join(', ')}` : 'no category is known yet';
    return {
      ok: false,
      reason: `unknown ${unknown.length === 1 ? 'category' : 'categories'} ${names} (${knownList}); use --new-category to allow ${unknown.length === 1 ? 'it' : 'them'}`,
    };
  }
  return { ok: true, categories: requested.map((category) => byKey.get(category.toLowerCase()) ?? category) };
}
