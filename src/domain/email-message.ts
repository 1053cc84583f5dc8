// One email as the product composes it, whatever transport carries it.

export interface EmailTag {
  readonly name: string;
  readonly value: string;
}

export interface EmailMessage {
  readonly from: string;
  /** Exactly one recipient per message. */
  readonly to: string;
  readonly subject: string;
  readonly html: string;
  readonly text: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly tags: readonly EmailTag[];
  /**
   * The html and text already written as JSON string text and encoded as UTF-8, in pieces: concatenated,
   * each is the UTF-8 of JSON.stringify of the body without its quotes. A digest copy is a variant's long
   * text with a reader's links between: the sender escapes and encodes the variant once and each reader's
   * links alone, so a transport that writes JSON neither escapes nor encodes every copy's 30 KB again (V8's
   * JSON.stringify copies about 300 MB/s here, and fetch measures and encodes a string body in two more
   * passes; copying bytes runs at memory speed).
   */
  readonly json?: { readonly html: readonly Uint8Array[]; readonly text: readonly Uint8Array[] };
}

/** A string as JSON writes it, without the surrounding quotes, in UTF-8. */
export function jsonStringBytes(value: string): Buffer {
  return Buffer.from(JSON.stringify(value).slice(1, -1));
}

/**
 * Pieces into one string. Concatenation leaves V8 a rope of the pieces (a few bytes per piece); the copy of
 * the whole body is made only when something reads it, such as fetch encoding a request.
 */
export function joinPieces(pieces: readonly string[]): string {
  let out = '';
  for (const piece of pieces) out += piece;
  return out;
}
