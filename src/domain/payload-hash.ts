// The digest a batch is stored with before its first request: a batch is retried only with the same bytes,
// and a batch rebuilt by a later run is sent again only if it hashes as it did (docs/delivery.md).
import { createHash } from 'node:crypto';
import type { EmailMessage } from './email-message.js';

/** A message as hashed: the bodies whole or in pieces (pieces hash as the joined body would). */
export type Hashable = Omit<EmailMessage, 'html' | 'text' | 'json'> & {
  readonly html: string | readonly string[];
  readonly text: string | readonly string[];
  /** Bodies in pieces may come with the same pieces in UTF-8, hashed instead. */
  readonly utf8?: {
    readonly html: readonly (string | Uint8Array)[];
    readonly text: readonly (string | Uint8Array)[];
  };
};

/** The length in characters of a body kept in pieces. */
export const piecesLength = (pieces: readonly string[]) =>
  pieces.reduce((length, piece) => length + piece.length, 0);

/**
 * A digest of exactly what a batch sends, field by field: serialising a batch first would make megabytes of
 * garbage per batch on the hot path. Field lengths go in too, so no two batches can hash alike by shifting
 * text from one field to the next. A body in pieces hashes as the whole body would (the same bytes in the
 * same order), without the whole body ever being built; pieces already in UTF-8 are hashed as they are.
 */
export function payloadHash(messages: readonly Hashable[]): string {
  const hash = createHash('sha256');
  // A hash reads one stream: updates with a and then b hash as one with a + b. Short text is gathered into
  // one update (a batch has thousands of short fields, and each call costs more than hashing them).
  let gathered = '';
  const add = (piece: string | Uint8Array) => {
    if (typeof piece === 'string' && piece.length < 1024) {
      gathered += piece;
      return;
    }
    if (gathered) hash.update(gathered);
    gathered = '';
    hash.update(piece);
  };
  const field = (value: string | readonly string[], encoded?: readonly (string | Uint8Array)[]) => {
    if (typeof value === 'string') {
      add(`${value.length}:`);
      return add(value);
    }
    add(`${piecesLength(value)}:`);
    for (const piece of encoded ?? value) add(piece);
  };
  for (const message of messages) {
    for (const value of [message.from, message.to, message.subject]) field(value);
    field(message.html, message.utf8?.html);
    field(message.text, message.utf8?.text);
    for (const [name, value] of Object.entries(message.headers)) field(`${name}: ${value}`);
    for (const tag of message.tags) field(`${tag.name}=${tag.value}`);
  }
  return hash.update(gathered).digest('hex');
}
