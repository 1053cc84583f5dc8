// Resend webhooks (Svix-signed): verified over the raw body, stored once by svix-id, applied as state
// changes (docs/engagement.md). Every event about a digest email becomes a delivery event of its
// edition; clicks are attributed to a comparison and classified human or machine; bounces, complaints and
// suppressions suppress the reader under the bounce policy, keeping the cause. Here: receiving, storing
// once, and the order events apply in; what an event does to the ledger is ./webhook-ledger.ts, and to
// its reader ./webhook-suppression.ts.
import { Resend } from 'resend';
import type { Db } from '../adapters/database.js';
import {
  type DeliveryRef,
  type FirstSeenColumn,
  findDeliveriesByProviderIds,
  storeProviderEvents,
} from '../adapters/engagement-repository.js';
import { findSubscriberByKey } from '../adapters/subscriber-repository.js';
import type { Clock } from '../domain/clock.js';
import { impersonalPayload, type ProviderEvent, parseProviderEvent } from '../domain/provider-event.js';
import { sharedTransactions } from './shared-transactions.js';
import {
  type EditionComparisons,
  editionComparisons,
  type LedgerChanges,
  recordOnLedger,
  writeLedgerChanges,
} from './webhook-ledger.js';
import { applySuppression, suppressionSignal } from './webhook-suppression.js';

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
