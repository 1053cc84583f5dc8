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
}
