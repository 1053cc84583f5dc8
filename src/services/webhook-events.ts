// Resend webhooks (Svix-signed): verified over the raw body, stored once by svix-id, applied as state
// changes (docs/engagement.md). Every event about a digest email becomes a delivery event of its
// edition; clicks are attributed to a comparison and classified human or machine; bounces, complaints and
// suppressions suppress the reader under the bounce policy, keeping the cause.
import type { Insertable } from 'kysely';
import { Resend } from 'resend';
import type { DeliveryEventsTable } from '../../db/schema.js';
import type { Db } from '../adapters/database.js';
import { loadEditionItems } from '../adapters/edition-repository.js';
import {
  type ClickClassification,
  clicksOfDeliveries,
  type DeliveryRef,
  type FirstSeenColumn,
  findDeliveriesByProviderIds,
  insertDeliveryEvents,
  recentEditionOutcomes,
  type StoredClick,
  setClickClassifications,
  setFirstSeen,
  storeProviderEvents,
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
import type { DigestComparison } from '../domain/digest.js';
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
  const comparisons = editionComparisons();
  const store = sharedTransactions(deps.db, (trx, received: readonly Received[]) =>
    storeAndApply(trx, received, comparisons),
  );
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

/** An edition's comparisons, as clicks on its links are attributed to them. */
type EditionComparisons = (trx: Db, editionId: number) => Promise<readonly DigestComparison[]>;

/** How many editions' comparisons a receiver keeps: clicks come for the last few editions sent. */
const EDITIONS_KEPT = 8;

/**
 * Each edition's comparisons read once: they are written when the edition is frozen, before any of its
 * email goes out, and never change after.
 */
function editionComparisons(): EditionComparisons {
  const kept = new Map<number, readonly DigestComparison[]>();
  return async (trx, editionId) => {
    const known = kept.get(editionId);
    if (known) return known;
    const comparisons = await loadEditionItems(trx, editionId);
    kept.set(editionId, comparisons);
    const oldest = kept.keys().next().value;
    if (kept.size > EDITIONS_KEPT && oldest !== undefined) kept.delete(oldest);
    return comparisons;
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

/**
 * Stores each event once by its svix-id and, the first time, applies it: in arrival order, each with the
 * outcome it would have had alone, in a few statements for all of them rather than several for each.
 */
async function storeAndApply(
  trx: Db,
  received: readonly Received[],
  comparisons: EditionComparisons,
): Promise<WebhookResult[]> {
  const emailIds = new Set(received.flatMap(({ event }) => (event.emailId ? [event.emailId] : [])));
  const deliveries = new Map(
    (await findDeliveriesByProviderIds(trx, [...emailIds])).map((delivery) => [delivery.emailId, delivery]),
  );
  const events: Owned[] = [];
  for (const one of received) {
    const delivery = one.event.emailId ? deliveries.get(one.event.emailId) : undefined;
    const recipient = one.event.recipients[0];
    // The subscriber is found through the delivery that carried this email id; for mail outside the ledger
    // (confirmation, welcome) through the exact recipient address. Never anyone else.
    const owner = delivery
      ? delivery.subscriberId
      : recipient
        ? (await findSubscriberByKey(trx, recipient))?.id
        : undefined;
    events.push({ ...one, delivery, owner });
  }
  const firstSeen = new Map<DeliveryRef, Record<FirstSeenColumn, string | null>>();
  const results: WebhookResult[] = [];
  for (const run of runs(events)) results.push(...(await storeRun(trx, run, firstSeen, comparisons)));
  return results;
}

/** An event with the ledger row it concerns and its reader, when known. */
interface Owned extends Received {
  readonly delivery: DeliveryRef | undefined;
  readonly owner: number | undefined;
}

/**
 * The events cut into runs that may be applied together. An event that may suppress its reader (a bounce,
 * a complaint, a suppression) decides from that reader's status and earlier events, which every event of
 * the same reader before it may change and none after it may: so it never shares a run with another
 * event of the same reader.
 */
function runs(events: readonly Owned[]): Owned[][] {
  const cut: Owned[][] = [];
  let run: Owned[] = [];
  const readers = new Set<number>();
  const suppressible = new Set<number>();
  for (const event of events) {
    const signal = suppressionSignal(event.event) !== undefined;
    const owner = event.owner;
    if (owner !== undefined && (suppressible.has(owner) || (signal && readers.has(owner)))) {
      cut.push(run);
      run = [];
      readers.clear();
      suppressible.clear();
    }
    run.push(event);
    if (owner !== undefined) readers.add(owner);
    if (owner !== undefined && signal) suppressible.add(owner);
  }
  if (run.length > 0) cut.push(run);
  return cut;
}

// The ledger row keeps the first time of each of these (the delivery time feeds the machine-click rule).
const FIRST_SEEN: Partial<Record<EngagementType, FirstSeenColumn>> = {
  delivered: 'delivered_at',
  opened: 'opened_at',
  clicked: 'clicked_at',
  bounced: 'bounced_at',
  complained: 'complained_at',
};

/** What a run of events does to the ledger rows they concern, gathered to be written at once. */
interface LedgerChanges {
  readonly events: Insertable<DeliveryEventsTable>[];
  /** Every ledger row's first-seen times as they stand, kept from one run to the next. */
  readonly firstSeen: Map<DeliveryRef, Record<FirstSeenColumn, string | null>>;
  /** The times of this run that are earlier than those stored. */
  readonly earlier: Map<DeliveryRef, Partial<Record<FirstSeenColumn, string>>>;
  /**
   * Rows whose clicks must be classified again: a click, or a delivery time arriving after the clicks,
   * can change how every click of an email reads.
   */
  readonly reclassify: Set<DeliveryRef>;
}

async function storeRun(
  trx: Db,
  run: readonly Owned[],
  firstSeen: LedgerChanges['firstSeen'],
  comparisons: EditionComparisons,
): Promise<WebhookResult[]> {
  // A retry may arrive beside its first copy: only the first copy of a svix-id can be new.
  const firstCopy = new Map<string, number>();
  for (const [index, one] of run.entries()) if (!firstCopy.has(one.svixId)) firstCopy.set(one.svixId, index);
  const stored = await storeProviderEvents(
    trx,
    [...firstCopy.values()].map((index) => {
      const one = run[index] as Owned;
      return {
        svix_id: one.svixId,
        type: one.event.type,
        email_id: one.event.emailId ?? null,
        // An event that is nobody's (mail to an erased person, a test copy) keeps nothing personal.
        payload: one.owner !== undefined ? one.rawBody : impersonalPayload(one.json),
        received_at: one.receivedAt.toISOString(),
        subscriber_id: one.owner ?? null,
      };
    }),
  );
  const isNew = run.map((one, index) => firstCopy.get(one.svixId) === index && stored.has(one.svixId));
  const changes: LedgerChanges = { events: [], firstSeen, earlier: new Map(), reclassify: new Set() };
  for (const [index, one] of run.entries())
    if (isNew[index] && one.delivery && one.event.engagement) recordOnLedger(changes, one, one.delivery);
  await writeLedgerChanges(trx, changes, comparisons);
  const results: WebhookResult[] = [];
  for (const [index, { event, delivery, owner, receivedAt }] of run.entries()) {
    if (!isNew[index]) {
      results.push({ status: 'duplicate', type: event.type });
      continue;
    }
    const signal = suppressionSignal(event);
    if (signal && owner !== undefined) await applySuppression(trx, owner, signal, delivery, receivedAt);
    const done =
      event.engagement !== undefined &&
      (delivery !== undefined || (signal !== undefined && owner !== undefined));
    results.push({ status: done ? 'applied' : 'ignored', type: event.type });
  }
  return results;
}

/** The delivery event of one engagement event, and the first-seen time it may set. */
function recordOnLedger(
  changes: LedgerChanges,
  { event, receivedAt }: Received,
  delivery: DeliveryRef,
): void {
  const type = event.engagement as EngagementType;
  const occurredAt = (
    (type === 'clicked' ? event.click?.at : undefined) ??
    event.createdAt ??
    receivedAt
  ).toISOString();
  const bounce = type === 'bounced' ? bounceKind(event.bounce?.type) : undefined;
  changes.events.push({
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
  const column = FIRST_SEEN[type];
  if (column) {
    // Events may arrive out of order: the earliest of each kind stays.
    const times = changes.firstSeen.get(delivery) ?? { ...delivery.firstSeen };
    changes.firstSeen.set(delivery, times);
    const current = times[column];
    if (current === null || current > occurredAt) {
      times[column] = occurredAt;
      changes.earlier.set(delivery, { ...changes.earlier.get(delivery), [column]: occurredAt });
    }
  }
  if (type === 'clicked' || type === 'delivered') changes.reclassify.add(delivery);
}

async function writeLedgerChanges(
  trx: Db,
  changes: LedgerChanges,
  comparisons: EditionComparisons,
): Promise<void> {
  await insertDeliveryEvents(trx, changes.events);
  await setFirstSeen(
    trx,
    [...changes.earlier].map(([delivery, times]) => ({ deliveryId: delivery.id, times })),
  );
  // A row that never had a click (the ledger keeps the first click's time) has nothing to classify.
  const reclassify = [...changes.reclassify].filter(
    (delivery) => (changes.firstSeen.get(delivery) ?? delivery.firstSeen).clicked_at !== null,
  );
  const clicks = await clicksOfDeliveries(
    trx,
    reclassify.map((delivery) => delivery.id),
  );
  const classified: ClickClassification[] = [];
  for (const delivery of reclassify) {
    const ofDelivery = clicks.get(delivery.id);
    if (!ofDelivery) continue;
    const deliveredAt = (changes.firstSeen.get(delivery) ?? delivery.firstSeen).delivered_at;
    classified.push(
      ...reclassifyClicks(
        ofDelivery,
        await comparisons(trx, delivery.editionId),
        deliveredAt ?? delivery.sentAt,
      ),
    );
  }
  await setClickClassifications(trx, classified);
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
 * machine made it (src/domain/machine-clicks.ts). `deliveredAt` is the delivered event's time, or the send
 * time when none has arrived. Cheap: an email has a handful of clicks.
 */
function reclassifyClicks(
  clicks: readonly StoredClick[],
  comparisons: readonly DigestComparison[],
  deliveredAt: string | null,
): ClickClassification[] {
  const reasons = classifyClicks(
    clicks.map((click) => ({
      at: new Date(click.occurredAt),
      link: click.link,
      userAgent: click.userAgent ?? undefined,
    })),
    deliveredAt ? new Date(deliveredAt) : undefined,
  );
  return clicks.flatMap((click, index) => {
    const target = clickTarget(click.link, comparisons);
    const machineReason = reasons[index] ?? null;
    const classification = {
      id: click.id,
      kind: machineReason
        ? ('machine' as const)
        : target.kind === 'personal'
          ? ('personal' as const)
          : ('human' as const),
      comparisonSlug: target.kind === 'comparison' ? target.slug : null,
      machineReason,
    };
    const changed =
      classification.kind !== click.kind ||
      classification.comparisonSlug !== click.comparisonSlug ||
      classification.machineReason !== click.machineReason;
    return changed ? [classification] : [];
  });
}
