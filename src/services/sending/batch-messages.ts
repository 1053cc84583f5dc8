// The messages of a batch: each recipient's copy of its variant, kept in pieces until the request is made,
// and as many of them as fit in one request.
import type { LedgerRecipient } from '../../adapters/ledger-repository.js';
import type { EmailMessage } from '../../adapters/transport.js';
import { consentReason } from '../../domain/consent-reason.js';
import { digestMessage, type Envelope, recipientLinks } from '../../domain/digest-message.js';
import { joinPieces } from '../../domain/email-message.js';
import { piecesLength } from '../../domain/payload-hash.js';
import type { RenderedContent } from '../freeze-edition.js';
import type { PersonalisedPieces } from '../personalise.js';
import type { Personaliser } from '../send-edition.js';

/** A message whose bodies are kept in pieces until it is sent (joined, the pieces are the body). */
export type PiecewiseMessage = Omit<EmailMessage, 'html' | 'text'> & PersonalisedPieces;

// What one request may carry, in characters of HTML and text. A batch on the wire costs several bytes of
// memory per character (the bodies, the SDK's JSON of them, fetch's UTF-8 copies; twice as many for text V8
// holds as UTF-16, which ../../domain/one-byte-text.ts keeps digest copies out of), so this bounds a send's
// memory whatever the size of the digest (see BENCHMARKS.md). Copies of up to 30,000 characters (two
// comparisons) still go 100 to a request, three comparisons 86; the largest digests the size budget allows
// about 25.
export const MAX_BATCH_CHARACTERS = 3_000_000;

/** What a batch's messages are made from: the edition's variants, its week, and how to personalise. */
export interface MessageSource {
  readonly weekKey: string;
  readonly contents: ReadonlyMap<number, RenderedContent>;
  readonly personalise: Personaliser;
}

/** One recipient's copy, under `envelope` (the batch's own, stored when it was formed). */
export function messageFor(
  source: MessageSource,
  recipient: LedgerRecipient,
  envelope: Envelope,
): PiecewiseMessage {
  const content = source.contents.get(recipient.contentId);
  if (!content)
    throw new Error(`delivery ${recipient.deliveryId} refers to missing content ${recipient.contentId}`);
  const links = recipientLinks(
    envelope.publicUrl,
    recipient.token,
    envelope.editionInLinks ? source.weekKey : undefined,
    // SQLite answers EXISTS with 0 or 1, PostgreSQL with a boolean.
    consentReason(recipient.source, Boolean(Number(recipient.confirmedByLink))),
  );
  const pieces = source.personalise(content, links);
  const message = digestMessage(
    envelope,
    recipient.email,
    links,
    { subject: content.subject, html: '', text: '' },
    source.weekKey,
  );
  return { ...message, ...pieces };
}

/** The messages of as many of `recipients`, from the first, as fit in one request: always at least one. */
export function fittingMessages(
  source: MessageSource,
  recipients: readonly LedgerRecipient[],
  envelope: Envelope,
): PiecewiseMessage[] {
  const messages: PiecewiseMessage[] = [];
  let characters = 0;
  for (const recipient of recipients) {
    const message = messageFor(source, recipient, envelope);
    characters += piecesLength(message.html) + piecesLength(message.text);
    if (characters > MAX_BATCH_CHARACTERS && messages.length > 0) break;
    messages.push(message);
  }
  return messages;
}

/** The messages as the provider gets them, built when the batch goes on the wire. */
export function wholeMessages(messages: readonly PiecewiseMessage[]): EmailMessage[] {
  return messages.map(({ utf8: _hashedOnly, ...message }) => ({
    ...message,
    html: joinPieces(message.html),
    text: joinPieces(message.text),
  }));
}
