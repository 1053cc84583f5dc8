// What a transport promises to the sender: one call per batch, with an outcome the sender can act on.
// Provider errors are expected outcomes, so they come back as values, never thrown, and are classified
// once, inside the transport (docs/delivery.md, Answers and retries).
import type { EmailMessage } from '../domain/email-message.js';

export type { EmailMessage, EmailTag } from '../domain/email-message.js';

export type SendOutcome = Outcome & {
  /** The request rate the provider announced with its answer (requests a second), when it did. */
  readonly announcedRate?: number | undefined;
};

type Outcome =
  /** Every message was accepted; `ids[i]` is the provider's id of `messages[i]`. */
  | { readonly status: 'accepted'; readonly ids: readonly string[] }
  /**
   * Nothing is known to have been sent, or it may have been (a timeout after the provider accepted):
   * retry later with the same idempotency key and the same bytes. `retryAfterMs` is the provider's own wait.
   */
  | { readonly status: 'retryable'; readonly reason: string; readonly retryAfterMs?: number | undefined }
  /** The provider refused this batch for good; retrying the same request cannot succeed. */
  | { readonly status: 'rejected'; readonly reason: string }
  /**
   * The provider refuses all sending for now (bad API key, unverified domain, quota): stop the send and
   * leave the batch to be retried, with the same key, by a later run.
   */
  | { readonly status: 'halt'; readonly reason: string };

export interface Transport {
  readonly kind: 'resend' | 'outbox';
  /**
   * Sends up to 100 messages as one request. Never throws for provider or network errors. `onSent` is
   * called at the moment each attempt's request really leaves (after serialising, connecting, loading the
   * HTTP client): from then on the provider counts it against its rate limit.
   */
  sendBatch(
    messages: readonly EmailMessage[],
    idempotencyKey: string,
    onSent?: () => void,
  ): Promise<SendOutcome>;
}

/** Resend's documented ceiling for POST /emails/batch. */
export const MAX_BATCH_SIZE = 100;
