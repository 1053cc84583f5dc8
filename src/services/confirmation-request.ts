// Asking a person to confirm: a fresh single-use confirmation link by email, at most a few a day per
// address, with the sign-up's choices waiting on the token (docs/consent.md). The sign-up, the confirmation
// itself and the reader's later choices are ./opt-in.ts.
import { randomBytes } from 'node:crypto';
import type { SubscriberStatus } from '../../db/schema.js';
import type { Db } from '../adapters/database.js';
import type { Logger } from '../adapters/logger.js';
import type { Transport } from '../adapters/transport.js';
import type { Config } from '../config.js';
import type { Clock } from '../domain/clock.js';
import { derivedKey, tokenHash as hashToken } from '../domain/keys.js';
import { CONFIRMATION_VALID_HOURS, type RenderedEmail, renderConfirmEmail } from './account-emails.js';

export interface OptInDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly config: Pick<Config, 'publicUrl' | 'postalAddress' | 'from' | 'unsubscribeMailto' | 'secret'>;
  readonly transport: Transport;
  readonly log: Logger;
}

export interface ConsentEvidence {
  readonly ip: string | undefined;
  readonly userAgent: string | undefined;
}

const HOUR = 3_600_000;

/** At most this many confirmation emails per address in any 24 hours, whoever asks (no flooding). */
export const CONFIRMATIONS_PER_DAY = 3;

/** Sends one consent email (a confirmation link, a welcome) outside the ledger; a refusal is logged. */
export async function sendOne(
  deps: OptInDeps,
  kind: 'confirm' | 'welcome',
  to: string,
  email: RenderedEmail,
  key: string,
  headers: Record<string, string> = {},
) {
  const outcome = await deps.transport.sendBatch(
    [
      {
        from: deps.config.from,
        to,
        subject: email.subject,
        html: email.html,
        text: email.text,
        headers,
        tags: [],
      },
    ],
    key,
  );
  if (outcome.status !== 'accepted') deps.log.warn('email.not-sent', { kind, reason: outcome.reason });
}

export type ConfirmationOutcome = 'sent' | 'throttled' | 'not pending';

/** A sign-up's choices and consent evidence, kept with its token until the person confirms. */
export interface PendingConsent {
  readonly categories: readonly string[];
  readonly consent: ConsentEvidence;
  readonly form: string;
}

/** Who may be sent a confirmation link: a sign-up not yet confirmed, or one who left and asks to return. */
export const CONFIRMABLE: readonly SubscriberStatus[] = ['pending', 'unsubscribed'];

/**
 * Sends a fresh single-use confirmation link to a pending or unsubscribed subscriber, unless the address has
 * already been sent CONFIRMATIONS_PER_DAY of them in the last 24 hours: a sign-up form must not become a way
 * to flood someone's inbox. The count and the new token are one IMMEDIATE transaction, so concurrent
 * requests for the same address cannot all pass the check. The sign-up's choices (`pending`) wait on the
 * token: nothing about the subscriber changes until the link is confirmed.
 */
export async function requestConfirmation(
  deps: OptInDeps,
  subscriberId: number,
  pending?: PendingConsent,
): Promise<ConfirmationOutcome> {
  const now = deps.clock.now();
  const token = randomBytes(32).toString('base64url');
  const outcome = await deps.db.transaction().execute(async (trx) => {
    const subscriber = await trx
      .selectFrom('subscribers')
      .select(['email', 'status'])
      .where('id', '=', subscriberId)
      .executeTakeFirst();
    if (!subscriber || !CONFIRMABLE.includes(subscriber.status)) return 'not pending' as const;
    const recent = await trx
      .selectFrom('confirmation_tokens')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('subscriber_id', '=', subscriberId)
      .where('created_at', '>', new Date(now.getTime() - 24 * HOUR).toISOString())
      .executeTakeFirstOrThrow();
    if (Number(recent.count) >= CONFIRMATIONS_PER_DAY) return 'throttled' as const;
    await trx
      .insertInto('confirmation_tokens')
      .values({
        token_hash: hashToken(token),
        subscriber_id: subscriberId,
        created_at: now.toISOString(),
        expires_at: new Date(now.getTime() + CONFIRMATION_VALID_HOURS * HOUR).toISOString(),
        used_at: null,
        categories: pending ? JSON.stringify(pending.categories) : null,
        consent_at: pending ? now.toISOString() : null,
        consent_ip: pending?.consent.ip ?? null,
        consent_user_agent: pending?.consent.userAgent?.slice(0, 500) ?? null,
        consent_form: pending?.form ?? null,
      })
      .execute();
    return { email: subscriber.email };
  });
  if (typeof outcome === 'string') {
    if (outcome === 'throttled') deps.log.info('confirmation.throttled', { subscriber: subscriberId });
    return outcome;
  }
  const confirmUrl = `${deps.config.publicUrl}/confirm?token=${encodeURIComponent(token)}`;
  await sendOne(
    deps,
    'confirm',
    outcome.email,
    await renderConfirmEmail(deps.config, confirmUrl),
    `verdict-digest/confirm/${derivedKey(deps.config.secret, 'confirm', hashToken(token))}`,
  );
  return 'sent';
}
