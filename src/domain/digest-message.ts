// The per-recipient envelope of a digest: sender, one recipient, and the list headers mail clients use
// for their unsubscribe button (RFC 2369 List-Unsubscribe, RFC 8058 one-click, RFC 2919 List-Id).

import { type ConsentReason, reasonSentence } from './consent-reason.js';
import { NEWSLETTER_NAME } from './digest.js';
import type { EmailMessage } from './email-message.js';

/** What a batch freezes from configuration when it is formed, so a retry after a restart is identical. */
export interface Envelope {
  readonly from: string;
  readonly publicUrl: string;
  readonly unsubscribeMailto: string | null;
  /**
   * True: the reader's links name the edition (`?e=<week>`), so an unsubscribe counts against it. Absent
   * in envelopes stored by the first release, whose batches must rebuild byte for byte without it.
   */
  readonly editionInLinks?: boolean;
}

export interface RecipientLinks {
  readonly unsubscribeUrl: string;
  readonly preferencesUrl: string;
  /** The footer's sentence saying why this reader gets the newsletter. */
  readonly reason: string;
  /** The reader's token as it stands in a URL: their vote links carry it (./vote-link.ts). */
  readonly token: string;
}

/**
 * A reader's own links; with `edition`, they say which edition they came from. `reason` is how they came to
 * be on the list (by default, they subscribed and confirmed).
 */
export function recipientLinks(
  publicUrl: string,
  token: string,
  edition?: string,
  reason: ConsentReason = 'confirmed',
): RecipientLinks {
  const encoded = encodeURIComponent(token);
  const from = edition ? `?e=${encodeURIComponent(edition)}` : '';
  return {
    unsubscribeUrl: `${publicUrl}/unsubscribe/${encoded}${from}`,
    preferencesUrl: `${publicUrl}/preferences/${encoded}${from}`,
    reason: reasonSentence(reason, publicUrl),
    token: encoded,
  };
}

/** List-Id wants a domain the list owner controls: the sender's. */
export function listId(from: string): string {
  const domain = /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? 'localhost';
  return `${NEWSLETTER_NAME} <weekly-verdicts.${domain}>`;
}

export function listHeaders(envelope: Envelope, links: RecipientLinks): Record<string, string> {
  const targets = [`<${links.unsubscribeUrl}>`];
  if (envelope.unsubscribeMailto) targets.push(`<mailto:${envelope.unsubscribeMailto}?subject=unsubscribe>`);
  return {
    'List-Unsubscribe': targets.join(', '),
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    'List-Id': listId(envelope.from),
  };
}

export function digestMessage(
  envelope: Envelope,
  recipient: string,
  links: RecipientLinks,
  body: { readonly subject: string; readonly html: string; readonly text: string },
  weekKey: string,
): EmailMessage {
  return {
    from: envelope.from,
    to: recipient,
    subject: body.subject,
    html: body.html,
    text: body.text,
    headers: listHeaders(envelope, links),
    tags: [{ name: 'edition', value: weekKey }],
  };
}

/**
 * A test or review copy: one person's look at an edition, not list mail. It carries no List-Unsubscribe
 * (there is nothing to unsubscribe from, and no link in it may change anyone's subscription) and a `copy`
 * tag instead of the `edition` tag, so provider events on it never count towards an edition.
 */
export function copyMessage(
  from: string,
  recipient: string,
  body: { readonly subject: string; readonly html: string; readonly text: string },
  kind: 'test' | 'review',
): EmailMessage {
  return { from, to: recipient, ...body, headers: {}, tags: [{ name: 'copy', value: kind }] };
}
