// Double opt-in, one-click unsubscribe and preferences (docs/consent.md). Every answer to the person asking
// is the same whether or not the address is known: the web layer never learns more than "done".
import { randomBytes } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { ConfirmationTokensTable, SubscriberRow, SubscriberStatus } from '../../db/schema.js';
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

/** At most this many confirmation emails per address in any 24 hours, whoever asks (no flooding). */
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

/** A sign-up's choices and consent evidence, kept with its token until the person confirms. */
export interface PendingConsent {
  readonly categories: readonly string[];
  readonly consent: ConsentEvidence;
  readonly form: string;
}

/** Who may be sent a confirmation link: a sign-up not yet confirmed, or one who left and asks to return. */
const CONFIRMABLE: readonly SubscriberStatus[] = ['pending', 'unsubscribed'];

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

export type SubscribeResult =
  | { readonly status: 'ok' }
  | { readonly status: 'invalid'; readonly reason: string };

/** Subscription form fields worth keeping as consent evidence: a short name of the form, nothing else. */
function formName(value: string): string {
  return /^[a-z][a-z0-9-]{0,31}$/.test(value) ? value : 'signup';
}

/**
 * Starts a subscription. New, pending and unsubscribed addresses get a fresh single-use confirmation link;
 * an address already on the list keeps its status and its choices until the person confirms (whoever
 * filled in the form may not be them: a stranger or a scanner must not move someone who left back to
 * pending). Active addresses get nothing: the person is already subscribed, and an email would only let a
 * stranger probe the list. Bounced and complained addresses get nothing either: mailing them again hurts
 * deliverability for everyone.
 */
export async function subscribe(
  deps: OptInDeps,
  input: { email: string; categories: readonly string[]; consent: ConsentEvidence; form: string },
): Promise<SubscribeResult> {
  const checked = checkEmailAddress(input.email);
  if (!checked.ok) return { status: 'invalid', reason: checked.reason };
  const categories = await validCategories(deps.db, input.categories);
  const now = deps.clock.now();
  const pending: PendingConsent = { categories, consent: input.consent, form: formName(input.form) };
  const subscriberId = await deps.db.transaction().execute(async (trx) => {
    const subscriber = await findSubscriberByKey(trx, checked.key);
    if (subscriber) return CONFIRMABLE.includes(subscriber.status) ? subscriber.id : undefined;
    const inserted = await insertSubscriber(
      trx,
      {
        ...checked,
        status: 'pending',
        categories,
        source: 'form',
        consent: { ...input.consent, form: pending.form },
      },
      now,
    );
    return inserted.id;
  });
  if (subscriberId !== undefined) await requestConfirmation(deps, subscriberId, pending);
  return { status: 'ok' };
}

/**
 * "Subscribe again" from the unsubscribe or preferences page of someone who unsubscribed: a confirmation
 * email, exactly as a new sign-up, and the status stays as it is until the link is confirmed. Bounced and
 * complained addresses stay as they are.
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
  if (!CONFIRMABLE.includes(status)) return { outcome: 'refused', status };
  await requestConfirmation(deps, subscriber.id);
  return { outcome: 'confirmation sent', status };
}

/**
 * Where a confirmation link stands: `confirmable` (its form would confirm), `subscribed` (the address is
 * confirmed already, by this link or another), `expired`, or `invalid`.
 */
export type ConfirmationState = 'confirmable' | 'subscribed' | 'expired' | 'invalid';

export type ConfirmResult =
  | { readonly status: 'confirmed' | 'subscribed'; readonly subscriber: SubscriberRow }
  | { readonly status: 'invalid' | 'expired' };

type TokenRow = Selectable<ConfirmationTokensTable>;

/**
 * A token confirms a pending subscriber, or one who unsubscribed before it was issued: a link sent before
 * they left must not bring them back. Bounced and complained addresses are never confirmed by a link.
 */
function stateOf(
  row: TokenRow | undefined,
  subscriber: SubscriberRow | undefined,
  now: Date,
): ConfirmationState {
  if (!row || !subscriber) return 'invalid';
  if (subscriber.status === 'active') return 'subscribed';
  if (row.used_at) return 'invalid';
  if (new Date(row.expires_at) <= now) return 'expired';
  if (subscriber.status === 'pending') return 'confirmable';
  if (subscriber.status === 'unsubscribed' && row.created_at >= subscriber.status_changed_at)
    return 'confirmable';
  return 'invalid';
}

async function tokenAndSubscriber(db: Db, token: string) {
  const row = await db
    .selectFrom('confirmation_tokens')
    .selectAll()
    .where('token_hash', '=', hashToken(token))
    .executeTakeFirst();
  const subscriber = row
    ? await db.selectFrom('subscribers').selectAll().where('id', '=', row.subscriber_id).executeTakeFirst()
    : undefined;
  return { row, subscriber };
}

/** What opening a confirmation link shows; it reads only, so a scanner's fetch (GET or HEAD) gives no consent. */
export async function confirmationState(
  deps: Pick<OptInDeps, 'db' | 'clock'>,
  token: string,
): Promise<{ readonly state: ConfirmationState; readonly subscriber?: SubscriberRow }> {
  const { row, subscriber } = await tokenAndSubscriber(deps.db, token);
  return { state: stateOf(row, subscriber, deps.clock.now()), subscriber };
}

/**
 * Activates the subscriber behind a confirmation link (once, within its validity), applies the choices and
 * consent evidence of the sign-up that sent it, and welcomes them. A second confirmation, or one after
 * another link confirmed the address, answers `subscribed` and sends nothing.
 */
export async function confirm(deps: OptInDeps, token: string): Promise<ConfirmResult> {
  const now = deps.clock.now();
  const result = await deps.db.transaction().execute(async (trx): Promise<ConfirmResult> => {
    const { row, subscriber } = await tokenAndSubscriber(trx, token);
    const state = stateOf(row, subscriber, now);
    if (state === 'subscribed' && subscriber) return { status: 'subscribed', subscriber };
    if (state !== 'confirmable' || !row || !subscriber)
      return { status: state === 'expired' ? 'expired' : 'invalid' };
    await trx
      .updateTable('confirmation_tokens')
      .set({ used_at: now.toISOString() })
      .where('token_hash', '=', row.token_hash)
      .execute();
    if (row.consent_at !== null)
      await trx
        .updateTable('subscribers')
        .set({
          categories: row.categories ?? subscriber.categories,
          consent_at: row.consent_at,
          consent_ip: row.consent_ip,
          consent_user_agent: row.consent_user_agent,
          consent_form: row.consent_form,
        })
        .where('id', '=', subscriber.id)
        .execute();
    await setSubscriberStatus(trx, subscriber.id, 'active', now);
    const confirmed = await trx
      .selectFrom('subscribers')
      .selectAll()
      .where('id', '=', subscriber.id)
      .executeTakeFirstOrThrow();
    return { status: 'confirmed', subscriber: confirmed };
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
