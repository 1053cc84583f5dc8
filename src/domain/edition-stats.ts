// What an edition did, as `digest stats --json` prints it (the shape is documented in the README and only
// ever grows; the rules in docs/engagement.md). Counts are of distinct readers unless their name says
// clicks. Pure: the engagement repository supplies the counts, this assembles and derives.
import type { DeliveryEventKind, DeliveryEventType, EditionStatus } from '../../db/schema.js';

export interface ComparisonStats {
  readonly slug: string;
  readonly title: string;
  /** Human clicks on this comparison's links. */
  readonly clicks: number;
  /** Readers with at least one human click on it. */
  readonly clickers: number;
  /** Readers' votes on its tools (one per reader and tool). */
  readonly votes: number;
}

export interface EditionRates {
  readonly delivered: number | null;
  readonly bounced: number | null;
  readonly complained: number | null;
  readonly unsubscribed: number | null;
  readonly opened: number | null;
  readonly clicked: number | null;
}

export interface EditionStats {
  readonly week: string;
  readonly status: EditionStatus;
  readonly eligible: number;
  readonly sent: number;
  readonly failed: number;
  readonly delivered: number;
  readonly delayed: number;
  readonly bounced: { readonly permanent: number; readonly transient: number };
  readonly complained: number;
  readonly suppressed: number;
  readonly unsubscribed: number;
  readonly opened: number;
  readonly clicked: number;
  readonly clicks: number;
  readonly machineClicks: number;
  /** Readers with a vote from this edition's links (each reader's latest vote on a tool counts). */
  readonly voters: number;
  /** Votes from this edition's links, all comparisons together. */
  readonly votes: number;
  readonly rates: EditionRates;
  readonly comparisons: readonly ComparisonStats[];
}

/** One row of the per-edition event count: readers are distinct deliveries, events are rows. */
export interface EventCount {
  readonly type: DeliveryEventType;
  readonly kind: DeliveryEventKind | null;
  readonly events: number;
  readonly readers: number;
}

export interface EditionFigures {
  readonly week: string;
  readonly status: EditionStatus;
  /** Ledger rows by status (pending, batched, sent, failed, skipped). */
  readonly ledger: Readonly<Record<string, number>>;
  readonly events: readonly EventCount[];
  /** The edition's comparisons in edition order, with their human clicks where there were any. */
  readonly comparisons: readonly { readonly slug: string; readonly title: string }[];
  readonly comparisonClicks: readonly {
    readonly slug: string;
    readonly clicks: number;
    readonly clickers: number;
  }[];
  /** Its readers' votes; absent: none. */
  readonly votes?: EditionVotes | undefined;
}

/** An edition's votes: how many readers voted, and the votes on each comparison that has any. */
export interface EditionVotes {
  readonly voters: number;
  readonly comparisons: readonly { readonly slug: string; readonly votes: number }[];
}

/** A share rounded to four decimals (0.1234 = 12.34%); null when there is nothing to divide by. */
export function rate(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null;
}

/** A rate as people read it: "12.5%", or "–" when there was nothing to divide by. */
export function formatRate(value: number | null): string {
  return value === null ? '–' : `${(value * 100).toFixed(1)}%`;
}

export function editionStats(figures: EditionFigures): EditionStats {
  const readers = (type: DeliveryEventType, ...kinds: (DeliveryEventKind | null)[]) =>
    figures.events
      .filter((row) => row.type === type && (kinds.length === 0 || kinds.includes(row.kind)))
      .reduce((sum, row) => sum + row.readers, 0);
  const events = (type: DeliveryEventType, kind: DeliveryEventKind) =>
    figures.events
      .filter((row) => row.type === type && row.kind === kind)
      .reduce((sum, row) => sum + row.events, 0);
  const ledger = (status: string) => figures.ledger[status] ?? 0;
  const total = Object.values(figures.ledger).reduce((sum, count) => sum + count, 0);
  // Accepted by Resend but reported failed afterwards (email.failed): not sent after all.
  const failedLater = readers('failed');
  const sent = ledger('sent') - failedLater;
  const delivered = readers('delivered');
  const permanent = readers('bounced', 'permanent');
  const transient = readers('bounced', 'transient', 'undetermined');
  const complained = readers('complained');
  const unsubscribed = readers('unsubscribed');
  const opened = readers('opened');
  const clicked = readers('clicked', 'human');
  const byslug = new Map(figures.comparisonClicks.map((row) => [row.slug, row]));
  const votesOf = new Map(figures.votes?.comparisons.map((row) => [row.slug, row.votes]));
  return {
    week: figures.week,
    status: figures.status,
    eligible: total - ledger('skipped'),
    sent,
    failed: ledger('failed') + failedLater,
    delivered,
    delayed: readers('delayed'),
    bounced: { permanent, transient },
    complained,
    suppressed: readers('suppressed'),
    unsubscribed,
    opened,
    clicked,
    clicks: events('clicked', 'human'),
    machineClicks: events('clicked', 'machine'),
    voters: figures.votes?.voters ?? 0,
    votes: [...votesOf.values()].reduce((sum, votes) => sum + votes, 0),
    rates: {
      delivered: rate(delivered, sent),
      bounced: rate(permanent + transient, sent),
      complained: rate(complained, delivered),
      unsubscribed: rate(unsubscribed, delivered),
      opened: rate(opened, delivered),
      clicked: rate(clicked, delivered),
    },
    comparisons: figures.comparisons.map(({ slug, title }) => ({
      slug,
      title,
      clicks: byslug.get(slug)?.clicks ?? 0,
      clickers: byslug.get(slug)?.clickers ?? 0,
      votes: votesOf.get(slug) ?? 0,
    })),
  };
}
