// Resend webhooks (Svix-signed): verified over the raw body, stored once by svix-id, applied as state
// changes (docs/engagement.md). Every event about a digest email becomes a delivery event of its
// edition; clicks are attributed to a comparison and classified human or machine; bounces, complaints and
// suppressions suppress the reader under the bounce policy, keeping the cause.
import { Resend } from 'resend';
import type { Db } from '../adapters/database.js';
import { loadEditionItems } from '../adapters/edition-repository.js';
import {
  classifyClick,
  clicksOfDelivery,
  type DeliveryRef,
  type FirstSeenColumn,
  findDeliveryByProviderId,
  insertDeliveryEvent,
  noteFirstSeen,
  recentEditionOutcomes,
  storeProviderEvent,
} from '../adapters/engagement-repository.js';
import { findSubscriberByKey, setSubscriberStatus } from '../adapters/subscriber-repository.js';
import {
  bounceKind,
  SOFT_BOUNCES_IN_A_ROW,
  type SuppressionSignal,
  suppressionFor,
} from '../domain/bounce-policy.js';
import { clickTarget } from '../domain/click-target.js';
import type { Clock } from '../domain/clock.js';
import { classifyClicks } from '../domain/machine-clicks.js';
import {
  type EngagementType,
  impersonalPayload,
  type ProviderEvent,
  parseProviderEvent,
} from '../domain/provider-event.js';
import { sharedTransactions } from './shared-transactions.js';

export interface WebhookDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly secret: string | undefined;
}

export interface SvixHeaders {
  readonly id: string | undefined;
  readonly timestamp: string | undefined;
  readonly signature: string | undefined;
}

export type WebhookResult =
  | { readonly status: 'applied' | 'duplicate' | 'ignored'; readonly type: string }
  | { readonly status: 'unauthorized'; readonly reason: string }
  | { readonly status: 'invalid'; readonly reason: string }
  | { readonly status: 'not configured' };

// verify() needs no API access, but the SDK will not construct without a key.
const verifier = new Resend('re_webhook_verification_only');

type Verified = { ok: true; json: unknown } | { ok: false; result: WebhookResult };

function verify(secret: string, rawBody: string, headers: SvixHeaders): Verified {
  if (!headers.id || !headers.timestamp || !headers.signature)
    return { ok: false, result: { status: 'unauthorized', reason: 'missing svix headers' } };
  try {
    // Checks the HMAC over the exact bytes received and rejects timestamps more than 5 minutes off; only
    // then does it parse the body, so a SyntaxError means a correctly signed body that is not JSON.
    const json = verifier.webhooks.verify({
      payload: rawBody,
      headers: { id: headers.id, timestamp: headers.timestamp, signature: headers.signature },
      webhookSecret: secret,
    });
    return { ok: true, json: json ?? null };
  } catch (error) {
    if (error instanceof SyntaxError)
      return { ok: false, result: { status: 'invalid', reason: 'the body is not JSON' } };
    return { ok: false, result: { status: 'unauthorized', reason: (error as Error).message } };
  }
}

/** A verified, parsed event on its way to the database. */
interface Received {
  readonly svixId: string;
  readonly rawBody: string;
  readonly json: unknown;
  readonly event: ProviderEvent;
  readonly receivedAt: Date;
}

export type WebhookReceiver = (rawBody: string, headers: SvixHeaders) => Promise<WebhookResult>;

/**
 * The web server's receiver: one per server, since the events it is handling at one moment (a provider
 * posts many at once, and retries some) are stored and applied in one shared transaction
 * (shared-transactions.ts). Checking the signature and reading the event need no database and come first.
 */
export function createWebhookReceiver(deps: WebhookDeps): WebhookReceiver {
  const store = sharedTransactions(deps.db, storeAndApply);
  return async (rawBody, headers) => {
    if (!deps.secret) return { status: 'not configured' };
    const verified = verify(deps.secret, rawBody, headers);
    if (!verified.ok) return verified.result;
    const parsed = parseProviderEvent(verified.json);
    if (!parsed.ok) return { status: 'invalid', reason: parsed.reason };
    return store({
      svixId: headers.id ?? '',
      rawBody,
      json: verified.json,
      event: parsed.event,
      receivedAt: deps.clock.now(),
    });
  };
}

/** One event, received on its own. */
export function handleResendWebhook(
  deps: WebhookDeps,
  rawBody: string,
  headers: SvixHeaders,
): Promise<WebhookResult> {
  return createWebhookReceiver(deps)(rawBody, headers);
}

/** Stores the event once by its svix-id and, the first time, applies it. */
async function storeAndApply(trx: Db, received: Received): Promise<WebhookResult> {
  const { event, receivedAt } = received;
  const delivery = event.emailId ? await findDeliveryByProviderId(trx, event.emailId) : undefined;
  // The subscriber is found through the delivery that carried this email id; for mail outside the ledger
  // (confirmation, welcome) through the exact recipient address. Never anyone else.
  const subscriber = delivery
    ? { id: delivery.subscriberId }
    : event.recipients[0]
      ? await findSubscriberByKey(trx, event.recipients[0])
      : undefined;
  const stored = await storeProviderEvent(trx, {
    svix_id: received.svixId,
    type: event.type,
    email_id: event.emailId ?? null,
    // An event that is nobody's (mail to an erased person, a test copy) keeps nothing personal.
    payload: subscriber ? received.rawBody : impersonalPayload(received.json),
    received_at: receivedAt.toISOString(),
    subscriber_id: subscriber?.id ?? null,
  });
  if (!stored) return { status: 'duplicate', type: event.type };
  const applied = await applyEvent(trx, event, delivery, subscriber?.id, receivedAt);
  return { status: applied ? 'applied' : 'ignored', type: event.type };
}

// The ledger row keeps the first time of each of these (the delivery time feeds the machine-click rule).
const FIRST_SEEN: Partial<Record<EngagementType, FirstSeenColumn>> = {
  delivered: 'delivered_at',
  opened: 'opened_at',
  clicked: 'clicked_at',
  bounced: 'bounced_at',
  complained: 'complained_at',
};

/** Records the event against its delivery and applies the bounce policy; false when it concerns nothing. */
async function applyEvent(
  trx: Db,
  event: ProviderEvent,
  delivery: DeliveryRef | undefined,
  subscriberId: number | undefined,
  receivedAt: Date,
): Promise<boolean> {
  const type = event.engagement;
  if (!type) return false;
  const occurredAt = (
    (type === 'clicked' ? event.click?.at : undefined) ??
    event.createdAt ??
    receivedAt
  ).toISOString();
  if (delivery) {
    const bounce = type === 'bounced' ? bounceKind(event.bounce?.type) : undefined;
    await insertDeliveryEvent(trx, {
      delivery_id: delivery.id,
      edition_id: delivery.editionId,
      type,
      kind: bounce ?? (type === 'clicked' ? 'unclassified' : null),
      occurred_at: occurredAt,
      link: event.click?.link ?? null,
      user_agent: event.click?.userAgent ?? null,
      ip_address: event.click?.ipAddress ?? null,
      detail: eventDetail(event),
    });
    const firstSeen = FIRST_SEEN[type];
    if (firstSeen) await noteFirstSeen(trx, delivery.id, firstSeen, occurredAt);
    // A click, or a delivery time arriving after the clicks, can change how every click of it reads.
    if (type === 'clicked' || type === 'delivered') await reclassifyClicks(trx, delivery.id);
  }
  const signal = suppressionSignal(event);
  if (signal && subscriberId !== undefined)
    await applySuppression(trx, subscriberId, signal, delivery, receivedAt);
  return delivery !== undefined || (signal !== undefined && subscriberId !== undefined);
}

function eventDetail(event: ProviderEvent): string | null {
  const parts =
    event.engagement === 'bounced'
      ? [event.bounce?.subType, event.bounce?.message]
      : event.engagement === 'failed'
        ? [event.failed?.reason]
        : event.engagement === 'suppressed'
          ? [event.suppressed?.type, event.suppressed?.reason]
          : [];
  const text = parts.filter((part) => part && part.trim() !== '').join(': ');
  return text === '' ? null : text.slice(0, 500);
}

function suppressionSignal(event: ProviderEvent): SuppressionSignal | undefined {
  switch (event.engagement) {
    case 'bounced':
      return {
        type: 'bounced',
        kind: bounceKind(event.bounce?.type),
        subType: event.bounce?.subType,
        message: event.bounce?.message,
      };
    case 'complained':
      return { type: 'complained' };
    case 'suppressed':
      return { type: 'suppressed', reason: event.suppressed?.reason };
    default:
      return undefined;
  }
}

async function applySuppression(
  trx: Db,
  subscriberId: number,
  signal: SuppressionSignal,
  delivery: DeliveryRef | undefined,
  now: Date,
): Promise<void> {
  const subscriber = await trx
    .selectFrom('subscribers')
    .select('status')
    .where('id', '=', subscriberId)
    .executeTakeFirst();
  if (!subscriber) return;
  const recent =
    signal.type === 'bounced' && signal.kind !== 'permanent'
      ? await recentEditionOutcomes(trx, subscriberId, SOFT_BOUNCES_IN_A_ROW)
      : [];
  const suppression = suppressionFor(subscriber.status, signal, delivery?.weekKey, recent);
  if (suppression) await setSubscriberStatus(trx, subscriberId, suppression.status, now, suppression.cause);
}

/**
 * Classifies every click of one email again, together: which comparison each link is, and whether a
 * machine made it (src/domain/machine-clicks.ts). Cheap: an email has a handful of clicks.
 */
async function reclassifyClicks(trx: Db, deliveryId: number): Promise<void> {
  const clicks = await clicksOfDelivery(trx, deliveryId);
  if (clicks.length === 0) return;
  const delivery = await trx
    .selectFrom('deliveries')
    .select(['edition_id', 'delivered_at', 'sent_at'])
    .where('id', '=', deliveryId)
    .executeTakeFirstOrThrow();
  const comparisons = await loadEditionItems(trx, delivery.edition_id);
  const deliveredAt = delivery.delivered_at ?? delivery.sent_at;
  const reasons = classifyClicks(
    clicks.map((click) => ({
      at: new Date(click.occurredAt),
      link: click.link,
      userAgent: click.userAgent ?? undefined,
    })),
    deliveredAt ? new Date(deliveredAt) : undefined,
  );
  for (const [index, click] of clicks.entries()) {
    const target = clickTarget(click.link, comparisons);
    const machineReason = reasons[index] ?? null;
    const classification = {
      kind: machineReason
        ? ('machine' as const)
        : target.kind === 'personal'
          ? ('personal' as const)
          : ('human' as const),
      comparisonSlug: target.kind === 'comparison' ? target.slug : null,
      machineReason,
    };
    if (
      classification.kind !== click.kind ||
      classification.comparisonSlug !== click.comparisonSlug ||
      classification.machineReason !== click.machineReason
    )
      await classifyClick(trx, click.id, classification);
  }
}
