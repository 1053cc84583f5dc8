// The editor console's rules (docs/editorial.md), pure: who is an editor, how long a sign-in link and a
// session last, where a sign-in may return to, and what "move up" means for a draft's order. The sign-in
// service and the web routes feed them values; the clock is always an argument.
import { checkEmailAddress } from './email-address.js';

/** A sign-in link works once, for this long after it was asked for. */
export const SIGN_IN_LINK_MINUTES = 15;
/** A session ends after this long without a request. */
export const SESSION_IDLE_HOURS = 12;
/** At most this many sign-in links per editor address in any hour, whoever asks. */
export const SIGN_IN_LINKS_PER_HOUR = 5;
/** At most this many sign-in requests per client in SIGN_IN_CLIENT_WINDOW_MINUTES. */
export const SIGN_IN_REQUESTS_PER_CLIENT = 10;
export const SIGN_IN_CLIENT_WINDOW_MINUTES = 15;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** The editor whose address this is (as DIGEST_EDITORS spells it), ignoring letter case; else undefined. */
export function editorOf(editors: readonly string[], address: string): string | undefined {
  const checked = checkEmailAddress(address);
  if (!checked.ok) return undefined;
  return editors.find((editor) => editor.toLowerCase() === checked.key);
}

export function signInLinkExpiry(createdAt: Date): Date {
  return new Date(createdAt.getTime() + SIGN_IN_LINK_MINUTES * MINUTE);
}

export type SignInLinkState = 'valid' | 'unknown' | 'used' | 'expired';

/** Whether a stored sign-in link can still sign someone in at `now`. */
export function signInLinkState(
  link: { readonly expiresAt: string; readonly usedAt: string | null } | undefined,
  now: Date,
): SignInLinkState {
  if (!link) return 'unknown';
  if (link.usedAt !== null) return 'used';
  return new Date(link.expiresAt).getTime() <= now.getTime() ? 'expired' : 'valid';
}

/** True while a session last used at `lastSeenAt` is still open at `now`. */
export function sessionOpen(lastSeenAt: string, now: Date): boolean {
  return now.getTime() - new Date(lastSeenAt).getTime() < SESSION_IDLE_HOURS * HOUR;
}

/** The start of the idle stretch after which a session is over: sessions last seen before it are closed. */
export function sessionIdleCutoff(now: Date): Date {
  return new Date(now.getTime() - SESSION_IDLE_HOURS * HOUR);
}

/** The console's pages a sign-in may return to; anything else returns to the upcoming edition. */
export const CONSOLE_PAGES = ['/admin', '/admin/editions', '/admin/subscribers', '/admin/comparisons'];

/**
 * Where to go once signed in: `requested` when it is one of the console's pages (with a plain query
 * string), otherwise `/admin`. Never another site, never a sign-in or sign-out address (no open redirect,
 * no loop).
 */
export function returnPath(requested: string | undefined): string {
  const match = /^(\/[a-z/-]*?)\/?(\?[\w%=&.+@-]*)?$/.exec(requested ?? '');
  if (!match?.[1] || !CONSOLE_PAGES.includes(match[1])) return '/admin';
  return `${match[1]}${match[2] ?? ''}`;
}

export type Direction = 'up' | 'down';

/**
 * The draft's order after moving `slug` one place up or down among `slugs` (the included items, in
 * order); undefined when it cannot move that way (first, last, or not there).
 */
export function movedOrder(
  slugs: readonly string[],
  slug: string,
  direction: Direction,
): string[] | undefined {
  const from = slugs.indexOf(slug);
  const to = direction === 'up' ? from - 1 : from + 1;
  if (from === -1 || to < 0 || to >= slugs.length) return undefined;
  const order = [...slugs];
  order[from] = slugs[to] as string;
  order[to] = slug;
  return order;
}
