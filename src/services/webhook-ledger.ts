// What webhook events do to the ledger rows they concern: a delivery event each, the first time of each
// kind on the row, and the email's clicks classified again (which comparison, human or machine). Gathered
// per run of events and written at once (./webhook-events.ts cuts the runs).
import type { Insertable } from 'kysely';
import type { DeliveryEventsTable } from '../../db/schema.js';
import type { Db } from '../adapters/database.js';
import { loadEditionItems } from '../adapters/edition-repository.js';
import {
  type ClickClassification,
  clicksOfDeliveries,
  type DeliveryRef,
  type FirstSeenColumn,
  insertDeliveryEvents,
  type StoredClick,
  setClickClassifications,
  setFirstSeen,
} from '../adapters/engagement-repository.js';
import { bounceKind } from '../domain/bounce-policy.js';
import { clickTarget } from '../domain/click-target.js';
import type { DigestComparison } from '../domain/digest.js';
import { classifyClicks } from '../domain/machine-clicks.js';
import type { EngagementType, ProviderEvent } from '../domain/provider-event.js';

/** An edition's comparisons, as clicks on its links are attributed to them. */
export type EditionComparisons = (trx: Db, editionId: number) => Promise<readonly DigestComparison[]>;

/** How many editions' comparisons a receiver keeps: clicks come for the last few editions sent. */
const EDITIONS_KEPT = 8;

/**
 * Each edition's comparisons read once: they are written when the edition is frozen, before any of its
 * email goes out, and never change after.
 */
export function editionComparisons(): EditionComparisons {
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

// The ledger row keeps the first time of each of these (the delivery time feeds the machine-click rule).
const FIRST_SEEN: Partial<Record<EngagementType, FirstSeenColumn>> = {
  delivered: 'delivered_at',
  opened: 'opened_at',
  clicked: 'clicked_at',
  bounced: 'bounced_at',
  complained: 'complained_at',
};

/** What a run of events does to the ledger rows they concern, gathered to be written at once. */
export interface LedgerChanges {
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

/** The delivery event of one engagement event, and the first-seen time it may set. */
export function recordOnLedger(
  changes: LedgerChanges,
  { event, receivedAt }: { readonly event: ProviderEvent; readonly receivedAt: Date },
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

/** Writes a run's delivery events and earlier first-seen times, and classifies the clicks they touch again. */
export async function writeLedgerChanges(
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
