// Keys derived from DIGEST_SECRET, and how tokens are stored. The secret keys the idempotency keys of
// confirmation, welcome and editor sign-in emails, so the provider never sees a token or anything else
// long-lived; and the editor console's form tokens (CSRF), so a form is accepted only from a page the
// console served to that browser. Changing the secret invalidates nothing a reader holds; open console
// forms must be reloaded.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** HMAC-SHA256 of the parts under `secret`, hex: stable for the same inputs, unguessable without it. */
export function derivedKey(secret: string, ...parts: readonly string[]): string {
  return createHmac('sha256', secret).update(parts.join('\u0000')).digest('hex');
}

/** Compares a presented key with the expected one in constant time (no timing oracle on the prefix). */
export function sameKey(presented: string, expected: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * What the database keeps of a bearer token (confirmation and sign-in links, console sessions): its
 * SHA-256, hex. The tokens are 256 random bits, so no salt or slow hash is needed, and a copy of the
 * database lets nobody in.
 */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
