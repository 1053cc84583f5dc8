// What a bounce, a complaint or a provider's suppression does to its reader: the signal read from the
// event, and the bounce policy applied to the reader's status and recent editions (docs/engagement.md).
import type { Db } from '../adapters/database.js';
import { type DeliveryRef, recentEditionOutcomes } from '../adapters/engagement-repository.js';
import { setSubscriberStatus } from '../adapters/subscriber-repository.js';
import {
  bounceKind,
  SOFT_BOUNCES_IN_A_ROW,
  type SuppressionSignal,
  suppressionFor,
} from '../domain/bounce-policy.js';
import type { ProviderEvent } from '../domain/provider-event.js';

/** What an event may do to its reader: a bounce, a complaint or a suppression; undefined for the rest. */
export function suppressionSignal(event: ProviderEvent): SuppressionSignal | undefined {
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

/** Suppresses the reader when the bounce policy says this signal should (src/domain/bounce-policy.ts). */
export async function applySuppression(
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
