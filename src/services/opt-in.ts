// Double opt-in, one-click unsubscribe and preferences (docs/consent.md). Every answer to the person asking
// is the same whether or not the address is known: the web layer never learns more than "done". The
// confirmation email, and how often an address may be sent one, is ./confirmation-request.ts.
import type { Selectable } from 'kysely';
import type { ConfirmationTokensTable, SubscriberRow, SubscriberStatus } from '../../db/schema.js';
import { knownCategories } from '../adapters/comparison-repository.js';
import type { Db } from '../adapters/database.js';
import {
  findSubscriberByKey,
  findSubscriberByToken,
  insertSubscriber,
  setSubscriberCategories,
  setSubscriberStatus,
  subscriberCategories,
} from '../adapters/subscriber-repository.js';
import { listHeaders, recipientLinks } from '../domain/digest-message.js';
import { checkEmailAddress } from '../domain/email-address.js';
import { derivedKey, tokenHash as hashToken } from '../domain/keys.js';
import { renderWelcomeEmail } from './account-emails.js';
import {
  CONFIRMABLE,
  type ConsentEvidence,
  type OptInDeps,
  type PendingConsent,
  requestConfirmation,
  sendOne,
} from './confirmation-request.js';
import { recordUnsubscribe } from './engagement.js';

/** Only categories that exist can be followed; anything else a form sends is dropped. */
export async function validCategories(db: Db, requested: readonly string[]): Promise<string[]> {
  const known = new Map((await knownCategories(db)).map((category) => [category.toLowerCase(), category]));
  return [
    ...new Set(
      requested.map((category) => known.get(category.trim().toLowerCase())).filter((c): c is string => !!c),
    ),
  ];
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
