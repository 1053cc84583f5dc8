// Who stops getting mail after a bounce, a complaint or a provider suppression (docs/engagement.md). A hard
// signal (a `Permanent` bounce, a spam complaint, Resend's `suppressed`) suppresses at once. A soft bounce
// (`Transient`: a full mailbox, a server down for the day; or `Undetermined`) does not: only
// SOFT_BOUNCES_IN_A_ROW of them on the reader's consecutive editions do, since one full mailbox says
// little, but three weeks of them say the address is dead. Every suppression keeps its cause.
import type { SubscriberStatus } from '../../db/schema.js';

export const SOFT_BOUNCES_IN_A_ROW = 3;

export type BounceKind = 'permanent' | 'transient' | 'undetermined';

/** Resend's `bounce.type`: Permanent, Transient or Undetermined (anything else counts as undetermined). */
export function bounceKind(type: string | undefined): BounceKind {
  const lower = type?.trim().toLowerCase();
  return lower === 'permanent' || lower === 'transient' ? lower : 'undetermined';
}

export interface EditionOutcome {
  readonly weekKey: string;
  /** The edition's email to this reader bounced softly and was never reported delivered. */
  readonly softBounced: boolean;
}

export type SuppressionSignal =
  | {
      readonly type: 'bounced';
      readonly kind: BounceKind;
      readonly subType?: string | undefined;
      readonly message?: string | undefined;
    }
  | { readonly type: 'complained' }
  | { readonly type: 'suppressed'; readonly reason?: string | undefined };

export interface Suppression {
  readonly status: Extract<SubscriberStatus, 'bounced' | 'complained'>;
  readonly cause: string;
}

function where(weekKey: string | undefined): string {
  return weekKey ? `on ${weekKey}` : 'on an email outside the digest';
}

function detail(subType: string | undefined, message: string | undefined): string {
  const parts = [subType, message?.slice(0, 200)].filter((part) => part && part.trim() !== '');
  return parts.length > 0 ? ` (${parts.join(': ')})` : '';
}

/**
 * Whether a signal about the email of `weekKey` suppresses the reader, and why. `recent` is the reader's
 * most recent editions that were sent to them, newest first, including `weekKey` itself; an edition a
 * reader was not sent (no matching categories that week) neither breaks nor extends a streak.
 */
export function suppressionFor(
  current: SubscriberStatus,
  signal: SuppressionSignal,
  weekKey: string | undefined,
  recent: readonly EditionOutcome[],
): Suppression | undefined {
  // The first suppression's cause is the one kept; a later signal adds nothing to it.
  if (current === 'bounced' || current === 'complained') return undefined;
  switch (signal.type) {
    case 'complained':
      return { status: 'complained', cause: `spam complaint ${where(weekKey)}` };
    case 'suppressed':
      return {
        status: signal.reason === 'previous_complaint' ? 'complained' : 'bounced',
        cause: `suppressed by Resend ${where(weekKey)}${detail(signal.reason, undefined)}`,
      };
    case 'bounced': {
      if (signal.kind === 'permanent')
        return {
          status: 'bounced',
          cause: `permanent bounce ${where(weekKey)}${detail(signal.subType, signal.message)}`,
        };
      const streak = recent.slice(0, SOFT_BOUNCES_IN_A_ROW);
      if (
        !weekKey ||
        streak.length < SOFT_BOUNCES_IN_A_ROW ||
        !streak.every((edition) => edition.softBounced)
      )
        return undefined;
      const weeks = streak.map((edition) => edition.weekKey).reverse();
      return {
        status: 'bounced',
        cause: `${SOFT_BOUNCES_IN_A_ROW} soft bounces in a row (${weeks.join(', ')}), the last ${signal.kind}${detail(signal.subType, signal.message)}`,
      };
    }
  }
}
