// Resend through its official SDK. The SDK never throws on HTTP errors: it returns { data, error, headers },
// and a network failure or timeout comes back as `application_error` with statusCode null, which cannot say
// whether the emails went out. Every answer is classified here, once, into what the sender should do.
// A batch goes through the SDK's request function (`fetchRequest`: its base URL, fetch and answer parsing)
// with a body written here, the very bytes `batch.send` would write: `batch.send` can only JSON.stringify
// whole bodies, and fetch then measures and encodes that string, which cost a send more than everything
// else it does (BENCHMARKS.md, "Running in production").
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { type CreateBatchSuccessResponse, Resend } from 'resend';
import { announcedRate, retryAfterFromHeaders } from '../domain/retry-policy.js';
import type { EmailMessage, SendOutcome, Transport } from './transport.js';

export interface ResendTransportOptions {
  readonly apiKey: string;
  /** Defaults to the SDK's own (which reads RESEND_BASE_URL). */
  readonly baseUrl?: string | undefined;
  /** The SDK sets no timeout of its own: without one a hung connection would stall the send forever. */
  readonly timeoutMs?: number;
  readonly now?: () => Date;
}

interface ResendError {
  readonly name: string;
  readonly message: string;
  readonly statusCode: number | null;
}

// The whole account cannot send right now: failing every recipient would be wrong, so the send stops
// and a later run resumes it.
const HALTING_ERRORS = new Set([
  'missing_api_key',
  'invalid_api_key',
  'restricted_api_key',
  'daily_quota_exceeded',
  'monthly_quota_exceeded',
  'invalid_from_address',
  'security_error',
]);

export function classifyResendError(
  error: ResendError,
  headers: Readonly<Record<string, string>> | null,
  now: Date,
): Exclude<SendOutcome, { status: 'accepted' }> {
  const reason = `${error.name}${error.statusCode ? ` (${error.statusCode})` : ''}: ${error.message}`;
  if (error.statusCode === null) return { status: 'retryable', reason };
  if (HALTING_ERRORS.has(error.name)) return { status: 'halt', reason };
  if (
    error.statusCode === 429 ||
    error.statusCode >= 500 ||
    error.name === 'concurrent_idempotent_requests'
  ) {
    return { status: 'retryable', reason, retryAfterMs: retryAfterFromHeaders(headers, now) };
  }
  // Resend answers 403 when the sending domain is not verified: nothing will go out until that is fixed.
  if (error.statusCode === 401 || error.statusCode === 403) return { status: 'halt', reason };
  return { status: 'rejected', reason };
}

// Node's fetch (undici) publishes on this channel the moment a request's headers are written to the socket.
const HEADERS_SENT = 'undici:client:sendHeaders';

/** Calls `onSent` each time a request carrying `idempotencyKey` goes out; returns the unsubscriber. */
function watchSending(idempotencyKey: string, onSent: () => void): () => void {
  const marker = `idempotency-key: ${idempotencyKey.toLowerCase()}\r\n`;
  const listener = (message: unknown) => {
    const headers = (message as { headers?: unknown }).headers;
    if (typeof headers === 'string' && headers.toLowerCase().includes(marker)) onSent();
  };
  subscribe(HEADERS_SENT, listener);
  return () => unsubscribe(HEADERS_SENT, listener);
}

/**
 * The body the SDK's `batch.send` would write for `messages`, byte for byte (its fields, in its order: a
 * retry must carry the bytes of the first attempt, whichever release made it), as UTF-8. Each message's
 * bodies come from its already escaped and encoded pieces where it has them (EmailMessage.json), so the
 * request is copied together from bytes: fetch gets bytes it need neither measure nor encode. Written into
 * `buffer(length)` when given (a buffer of at least that length), else into a new one.
 */
export function batchRequestBody(
  messages: readonly EmailMessage[],
  buffer: (length: number) => Buffer = Buffer.allocUnsafe,
): Buffer {
  const parts: Uint8Array[] = [];
  let text = '[';
  // Short JSON goes into `text`, written out as bytes only before a body's pieces.
  const body = (whole: string, pieces: readonly Uint8Array[] | undefined) => {
    if (!pieces) {
      text += JSON.stringify(whole);
      return;
    }
    parts.push(Buffer.from(`${text}"`));
    parts.push(...pieces);
    text = '"';
  };
  for (const [index, message] of messages.entries()) {
    if (index > 0) text += ',';
    text += `{"from":${JSON.stringify(message.from)},"headers":${JSON.stringify(message.headers)},"html":`;
    body(message.html, message.json?.html);
    text += `,"subject":${JSON.stringify(message.subject)},"tags":${JSON.stringify(message.tags)},"text":`;
    body(message.text, message.json?.text);
    text += `,"to":${JSON.stringify(message.to)}}`;
  }
  parts.push(Buffer.from(`${text}]`));
  const length = parts.reduce((sum, part) => sum + part.length, 0);
  const out = buffer(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out.subarray(0, length);
}

/**
 * One buffer that request bodies are written into, request after request. V8 counts buffers against the
 * heap's limit: a new body of megabytes per request (fetch makes its own copy as well) started a full
 * collection every other request of a send (BENCHMARKS.md). A request made while the buffer is lent out
 * (two sends through one transport) gets a buffer of its own; it grows to the largest request made.
 */
function reusableBuffer() {
  let buffer = Buffer.alloc(0);
  let lent = false;
  return {
    async lend<T>(use: (buffer: ((length: number) => Buffer) | undefined) => Promise<T>): Promise<T> {
      if (lent) return use(undefined);
      lent = true;
      try {
        return await use((length) => {
          if (buffer.length < length) buffer = Buffer.allocUnsafeSlow(length);
          return buffer;
        });
      } finally {
        lent = false;
      }
    },
  };
}

export function createResendTransport(options: ResendTransportOptions): Transport {
  const resend = new Resend(options.apiKey, options.baseUrl ? { baseUrl: options.baseUrl } : undefined);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const now = options.now ?? (() => new Date());
  const bodies = reusableBuffer();
  return {
    kind: 'resend',
    async sendBatch(messages, idempotencyKey, onSent): Promise<SendOutcome> {
      let response: Awaited<ReturnType<typeof resend.batch.send>>;
      const stopWatching = onSent ? watchSending(idempotencyKey, onSent) : () => {};
      try {
        // The SDK's own request path with the body written above; the headers are those batch.send sends.
        // Lent until the answer: fetch copies the body as the request is made, but nothing is assumed of it.
        response = await bodies.lend((buffer) =>
          resend.fetchRequest<CreateBatchSuccessResponse>('/emails/batch', {
            method: 'POST',
            body: batchRequestBody(messages, buffer),
            headers: {
              Authorization: `Bearer ${options.apiKey}`,
              'User-Agent': resend.userAgent,
              'Content-Type': 'application/json',
              'Idempotency-Key': idempotencyKey,
              'x-batch-validation': 'strict',
            },
            signal: AbortSignal.timeout(timeoutMs),
            // The API never redirects. Following one would hand the API key to another address; and a
            // request that may be redirected is cloned by fetch first, a copy of the whole body.
            redirect: 'error',
          }),
        );
      } catch (error) {
        // The SDK rethrows an abort that lands while it reads an error body.
        return { status: 'retryable', reason: `request failed: ${(error as Error).message}` };
      } finally {
        stopWatching();
      }
      // Resend announces its limit on every answer, accepted or not.
      const announced = announcedRate(response.headers);
      if (response.error)
        return { ...classifyResendError(response.error, response.headers, now()), announcedRate: announced };
      const accepted: readonly { id: string }[] = response.data?.data ?? [];
      const ids = accepted.map((entry) => entry.id);
      if (ids.length !== messages.length) {
        // Accepted, but not as we asked: retrying with the same key replays the same answer, so stop here.
        return { status: 'halt', reason: `Resend returned ${ids.length} ids for ${messages.length} emails` };
      }
      return { status: 'accepted', ids, announcedRate: announced };
    },
  };
}
