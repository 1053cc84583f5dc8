// Double opt-in, one-click unsubscribe and preferences (SPEC section 8). Every answer to the person asking
// is the same whether or not the address is known: the web layer never learns more than "done".
import { randomBytes } from 'node:crypto';
import type { SubscriberRow, SubscriberStatus } from '../../db/schema.js';
import { knownCategories } from '../adapters/comparison-repository.js';
import type { Db } from '../adapters/database.js';
import type { Logger } from '../adapters/logger.js';
import {
  findSubscriberByKey,
  findSubscriberByToken,
  insertSubscriber,
  setSubscriberCategories,
  setSubscriberStatus,
  subscriberCategories,
} from '../adapters/subscriber-repository.js';
import type { Transport } from '../adapters/transport.js';
import type { Config } from '../config.js';
import type { Clock } from '../domain/clock.js';
import { listHeaders, recipientLinks } from '../domain/digest-message.js';
import { checkEmailAddress } from '../domain/email-address.js';
import { derivedKey, tokenHash as hashToken } from '../domain/keys.js';
import {
  CONFIRMATION_VALID_HOURS,
  type RenderedEmail,
  renderConfirmEmail,
  renderWelcomeEmail,
} from './digest-renderer.js';
import { recordUnsubscribe } from './engagement.js';

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

/** At most this many confirmation emails per address per rolling day, whoever asks (SPEC section 17). */
export const CONFIRMATIONS_PER_DAY = 3;

async function sendOne(
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

/** Only categories that exist can be followed; anything else a form sends is dropped. */
export async function validCategories(db: Db, requested: readonly string[]): Promise<string[]> {
  const known = new Map((await knownCategories(db)).map((category) => [category.toLowerCase(), category]));
  return [
    ...new Set(
      requested.map((category) => known.get(category.trim().toLowerCase())).filter((c): c is string => !!c),
    ),
  ];
}

export type ConfirmationOutcome = 'sent' | 'throttled' | 'not pending';

/**
 * Sends a fresh single-use confirmation link to a pending subscriber, unless the address has already been
 * sent CONFIRMATIONS_PER_DAY of them in the last 24 hours: a sign-up form must not become a way to flood
 * someone's inbox. The count and the new token are one IMMEDIATE transaction, so concurrent requests for
 * the same address cannot all pass the check.
 */
export async function requestConfirmation(
  deps: OptInDeps,
  subscriberId: number,
): Promise<ConfirmationOutcome> {
  const now = deps.clock.now();
  const token = randomBytes(32).toString('base64url');
  const outcome = await deps.db.transaction().execute(async (trx) => {
    const subscriber = await trx
      .selectFrom('subscribers')
      .select(['email', 'status'])
      .where('id', '=', subscriberId)
      .executeTakeFirst();
    if (subscriber?.status !== 'pending') return 'not pending' as const;
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

export type SubscribeResult =
  | { readonly status: 'ok' }
  | { readonly status: 'invalid'; readonly reason: string };

/** Subscription form fields worth keeping as consent evidence: a short name of the form, nothing else. */
function formName(value: string): string {
  return /^[a-z][a-z0-9-]{0,31}$/.test(value) ? value : 'signup';
}

/**
 * Starts a subscription. New, pending and unsubscribed addresses get a fresh single-use confirmation link
 * (coming back after unsubscribing needs a new confirmation). Active addresses get nothing: the person is
 * already subscribed, and an email would only let a stranger probe the list. Bounced and complained
 * addresses get nothing either: mailing them again hurts deliverability for everyone.
 */
export async function subscribe(
  deps: OptInDeps,
  input: { email: string; categories: readonly string[]; consent: ConsentEvidence; form: string },
): Promise<SubscribeResult> {
  const checked = checkEmailAddress(input.email);
  if (!checked.ok) return { status: 'invalid', reason: checked.reason };
  const categories = await validCategories(deps.db, input.categories);
  const now = deps.clock.now();
  const form = formName(input.form);
  const subscriberId = await deps.db.transaction().execute(async (trx) => {
    const subscriber = await findSubscriberByKey(trx, checked.key);
    if (subscriber && !['pending', 'unsubscribed'].includes(subscriber.status)) return undefined;
    if (!subscriber) {
      const inserted = await insertSubscriber(
        trx,
        { ...checked, status: 'pending', categories, source: 'form', consent: { ...input.consent, form } },
        now,
      );
      return inserted.id;
    }
    await trx
      .updateTable('subscribers')
      .set({
        consent_at: now.toISOString(),
        consent_ip: input.consent.ip ?? null,
        consent_user_agent: input.consent.userAgent?.slice(0, 500) ?? null,
        consent_form: form,
        status: 'pending',
        categories: JSON.stringify(categories),
        status_changed_at: now.toISOString(),
        updated_at: now.toISOString(),
      })
      .where('id', '=', subscriber.id)
      .execute();
    return subscriber.id;
  });
  if (subscriberId !== undefined) await requestConfirmation(deps, subscriberId);
  return { status: 'ok' };
}

/**
 * "Subscribe again" from the unsubscribe or preferences page of someone who unsubscribed: back to pending,
 * with a confirmation email, exactly as a new sign-up. Bounced and complained addresses stay as they are.
 */
export async function resubscribe(
  deps: OptInDeps,
  token: string,
): Promise<
  | { readonly outcome: 'unknown' }
  | { readonly outcome: 'confirmation sent' | 'refused'; readonly status: SubscriberStatus }
> {
  const subscriber = await findSubscriberByToken(deps.db, token);
  if (!subscriber) return { outcome: 'unknown' };
  const { status } = subscriber;
  if (status !== 'unsubscribed' && status !== 'pending') return { outcome: 'refused', status };
  if (status === 'unsubscribed')
    await setSubscriberStatus(
      deps.db,
      subscriber.id,
      'pending',
      deps.clock.now(),
      'asked to subscribe again',
    );
  await requestConfirmation(deps, subscriber.id);
  return { outcome: 'confirmation sent', status: 'pending' };
}

export type ConfirmResult =
  | { readonly status: 'confirmed'; readonly subscriber: SubscriberRow }
  | { readonly status: 'invalid' | 'expired' };

/** Activates the subscriber behind a confirmation link (once, within its validity) and welcomes them. */
export async function confirm(deps: OptInDeps, token: string): Promise<ConfirmResult> {
  const now = deps.clock.now();
  const result = await deps.db.transaction().execute(async (trx): Promise<ConfirmResult> => {
    const row = await trx
      .selectFrom('confirmation_tokens')
      .selectAll()
      .where('token_hash', '=', hashToken(token))
      .executeTakeFirst();
    if (!row || row.used_at) return { status: 'invalid' };
    if (new Date(row.expires_at) <= now) return { status: 'expired' };
    await trx
      .updateTable('confirmation_tokens')
      .set({ used_at: now.toISOString() })
      .where('token_hash', '=', row.token_hash)
      .execute();
    const subscriber = await trx
      .selectFrom('subscribers')
      .selectAll()
      .where('id', '=', row.subscriber_id)
      .executeTakeFirst();
    if (subscriber?.status !== 'pending') return { status: 'invalid' };
    await setSubscriberStatus(trx, subscriber.id, 'active', now);
    return { status: 'confirmed', subscriber: { ...subscriber, status: 'active' } };
  });
  if (result.status === 'confirmed') {
    const links = recipientLinks(deps.config.publicUrl, result.subscriber.token);
    const welcome = await renderWelcomeEmail(deps.config, links, subscriberCategories(result.subscriber));
    const envelope = {
      from: deps.config.from,
      publicUrl: deps.config.publicUrl,
      unsubscribeMailto: deps.config.unsubscribeMailto ?? null,
    };
    await sendOne(
      deps,
      'welcome',
      result.subscriber.email,
      welcome,
      // Derived, not the subscriber's token: nothing long-lived is handed to the provider.
      `verdict-digest/welcome/${derivedKey(deps.config.secret, 'welcome', String(result.subscriber.id), now.toISOString())}`,
      listHeaders(envelope, links),
    );
  }
  return result;
}

/**
 * RFC 8058 one-click unsubscribe: immediate and idempotent. Bounced or complained stay as they are.
 * `linkWeek` is the edition the link came from (its `e` parameter), so the unsubscribe counts against it.
 */
export async function unsubscribe(
  deps: Pick<OptInDeps, 'db' | 'clock'>,
  token: string,
  linkWeek?: string,
): Promise<boolean> {
  return deps.db.transaction().execute(async (trx) => {
    const subscriber = await findSubscriberByToken(trx, token);
    if (!subscriber) return false;
    if (subscriber.status === 'active' || subscriber.status === 'pending') {
      const now = deps.clock.now();
      await setSubscriberStatus(trx, subscriber.id, 'unsubscribed', now, 'unsubscribed by link');
      await recordUnsubscribe(trx, subscriber, linkWeek, now);
    }
    return true;
  });
}

export async function updatePreferences(
  deps: Pick<OptInDeps, 'db' | 'clock'>,
  token: string,
  categories: readonly string[],
): Promise<string[] | undefined> {
  const subscriber = await findSubscriberByToken(deps.db, token);
  if (!subscriber) return undefined;
  const chosen = await validCategories(deps.db, categories);
  await setSubscriberCategories(deps.db, subscriber.id, chosen, deps.clock.now());
  return chosen;
}
