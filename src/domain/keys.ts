// Keys derived from DIGEST_SECRET. The secret keys the idempotency keys of confirmation and welcome emails,
// so the provider never sees a token or anything else long-lived of a subscriber's. Changing the secret
// invalidates nothing a reader holds.
import { createHmac } from 'node:crypto';

/** HMAC-SHA256 of the parts under `secret`, hex: stable for the same inputs, unguessable without it. */
export function derivedKey(secret: string, ...parts: readonly string[]): string {
  return createHmac('sha256', secret).update(parts.join('\u0000')).digest('hex');
}
