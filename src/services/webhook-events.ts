// Resend webhooks (Svix-signed): verified over the raw body, stored once by svix-id, applied as state changes.
import { Resend } from 'resend';
import type { Db } from '../adapters/database.js';
import { setSubscriberStatus } from '../adapters/subscriber-repository.js';
import type { Clock } from '../domain/clock.js';

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
  | { readonly status: 'not configured' };

interface ResendEvent {
  type?: unknown;
  data?: { email_id?: unknown; to?: unknown };
}

// verify() needs no API access, but the SDK will not construct without a key.
const verifier = new Resend('re_webhook_verification_only');

const TRACKING: Record<string, 'delivered_at' | 'opened_at' | 'clicked_at'> = {
  'email.delivered': 'delivered_at',
  'email.opened': 'opened_at',
  'email.clicked': 'clicked_at',
};

export async function handleResendWebhook(
  deps: WebhookDeps,
  rawBody: string,
  headers: SvixHeaders,
): Promise<WebhookResult> {
  if (!deps.secret) return { status: 'not configured' };
  if (!headers.id || !headers.timestamp || !headers.signature)
    return { status: 'unauthorized', reason: 'missing svix headers' };
  let event: ResendEvent;
  try {
    // Checks the HMAC over the exact bytes received and rejects timestamps more than 5 minutes off.
    event = verifier.webhooks.verify({
      payload: rawBody,
      headers: { id: headers.id, timestamp: headers.timestamp, signature: headers.signature },
      webhookSecret: deps.secret,
    }) as ResendEvent;
  } catch (error) {
    return { status: 'unauthorized', reason: (error as Error).message };
  }
  const type = typeof event.type === 'string' ? event.type : 'unknown';
  const emailId = typeof event.data?.email_id === 'string' ? event.data.email_id : null;
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx): Promise<WebhookResult> => {
    const inserted = await trx
      .insertInto('provider_events')
      .values({
        svix_id: headers.id ?? '',
        type,
        email_id: emailId,
        payload: rawBody,
        received_at: now.toISOString(),
      })
      .onConflict((conflict) => conflict.column('svix_id').doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) return { status: 'duplicate', type };
    const delivery = emailId
      ? await trx
          .selectFrom('deliveries')
          .select(['id', 'subscriber_id'])
          .where('provider_message_id', '=', emailId)
          .executeTakeFirst()
      : undefined;
    const tracked = TRACKING[type];
    if (tracked) {
      if (!delivery) return { status: 'ignored', type };
      await trx
        .updateTable('deliveries')
        .set({ [tracked]: now.toISOString() })
        .where('id', '=', delivery.id)
        .where(tracked, 'is', null)
        .execute();
      return { status: 'applied', type };
    }
    if (type !== 'email.bounced' && type !== 'email.complained') return { status: 'ignored', type };
    // The subscriber is found through the delivery that carried this email id; for mail outside the ledger
    // (confirmation, welcome) through the exact recipient address. Never anyone else.
    const recipient =
      Array.isArray(event.data?.to) && typeof event.data.to[0] === 'string'
        ? event.data.to[0].toLowerCase()
        : undefined;
    const subscriberId =
      delivery?.subscriber_id ??
      (recipient
        ? (
            await trx
              .selectFrom('subscribers')
              .select('id')
              .where('email_key', '=', recipient)
              .executeTakeFirst()
          )?.id
        : undefined);
    if (subscriberId === undefined) return { status: 'ignored', type };
    const bounced = type === 'email.bounced';
    await setSubscriberStatus(
      trx,
      subscriberId,
      bounced ? 'bounced' : 'complained',
      now,
      `${type} ${emailId ?? ''}`.trim(),
    );
    if (delivery) {
      await trx
        .updateTable('deliveries')
        .set(bounced ? { bounced_at: now.toISOString() } : { complained_at: now.toISOString() })
        .where('id', '=', delivery.id)
        .execute();
    }
    return { status: 'applied', type };
  });
}
