// A local stand-in for the Resend API on 127.0.0.1, driven through the real `resend` SDK via
// RESEND_BASE_URL. It behaves as Resend documents: POST /emails and
// /emails/batch (at most 100), x-batch-validation strict|permissive, Idempotency-Key (a replay returns the
// first answer; the same key with another body is 409 invalid_idempotent_request; a key still in flight is
// 409 concurrent_idempotent_requests), a requests-per-second limit answered with 429 and retry-after, and
// injectable faults: 500s, connection resets before or after accepting, and answers so slow that the client
// gives up although the emails were accepted. It records every accepted email, to count duplicates.
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface ResendServerOptions {
  apiKey: string;
  /** Requests per second allowed in any rolling one-second window of arrivals; 0 = no limit. */
  rateLimit: number;
  /** Probability of a 500 with nothing accepted. */
  failRate: number;
  /** Probability of a 429 regardless of the limit. */
  throttleRate: number;
  /** Probability of the connection being cut before anything is accepted. */
  resetBeforeAcceptRate: number;
  /** Probability of the connection being cut after the emails were accepted. */
  resetAfterAcceptRate: number;
  /** Probability of accepting and then answering only after `slowMs` (longer than the client waits). */
  slowRate: number;
  slowMs: number;
  /** Latency added to every request. */
  latencyMs: number;
  /** Addresses Resend would refuse (a validation error naming them). */
  rejectRecipients: ReadonlySet<string>;
  /** Keep subject, html, text and headers of accepted emails (tests); off for benchmarks. */
  keepBodies: boolean;
  seed: number;
}

export interface AcceptedEmail {
  readonly id: string;
  readonly to: string;
  readonly edition: string | undefined;
  readonly idempotencyKey: string | undefined;
  readonly subject?: string;
  readonly html?: string;
  readonly text?: string;
  readonly headers?: Record<string, string>;
}

export type RequestPhase = 'received' | 'answered';

export interface ServerStats {
  requests: number;
  byStatus: Record<string, number>;
  accepted: number;
  rateLimited: number;
  resets: number;
}

interface StoredAnswer {
  readonly hash: string;
  state: 'in flight' | 'done';
  answer?: { status: number; body: unknown };
}

interface ApiEmail {
  from?: unknown;
  to?: unknown;
  subject?: unknown;
  html?: unknown;
  text?: unknown;
  headers?: Record<string, string>;
  tags?: { name: string; value: string }[];
}

const DEFAULTS: ResendServerOptions = {
  apiKey: 're_test_0123456789',
  rateLimit: 0,
  failRate: 0,
  throttleRate: 0,
  resetBeforeAcceptRate: 0,
  resetAfterAcceptRate: 0,
  slowRate: 0,
  slowMs: 0,
  latencyMs: 0,
  rejectRecipients: new Set(),
  keepBodies: true,
  seed: 1,
};

const ADDRESS = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** mulberry32: a small seeded generator, so a fault pattern can be replayed. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function error(status: number, name: string, message: string) {
  return { status, body: { statusCode: status, name, message } };
}

function recipientOf(email: ApiEmail): string[] {
  return (Array.isArray(email.to) ? email.to : [email.to]).filter(
    (to): to is string => typeof to === 'string',
  );
}

/** The validation Resend applies to one email; undefined when it is acceptable. */
function validationProblem(email: ApiEmail, rejected: ReadonlySet<string>): string | undefined {
  if (typeof email.from !== 'string' || email.from === '') return 'Missing `from` field.';
  if (typeof email.subject !== 'string' || email.subject === '') return 'Missing `subject` field.';
  const to = recipientOf(email);
  if (to.length === 0) return 'Missing `to` field.';
  if (to.length > 50) return 'Too many recipients: at most 50 per email.';
  const bad = to.find((address) => !ADDRESS.test(address) || rejected.has(address.toLowerCase()));
  if (bad)
    return `Invalid \`to\` field. The email address needs to follow the \`email@example.com\` format: ${bad}`;
  return undefined;
}

export class ResendServer {
  readonly options: ResendServerOptions;
  url = '';
  private readonly server = createServer((request, response) => void this.handle(request, response));
  private readonly sockets = new Set<Socket>();
  private readonly idempotency = new Map<string, StoredAnswer>();
  private readonly counts = new Map<string, number>();
  /** Arrival times (performance.now()) of the requests the rate limit let through, oldest first. */
  private recent: number[] = [];
  private readonly acceptedEmails: AcceptedEmail[] = [];
  private random: () => number;
  private hook: ((phase: RequestPhase) => void) | undefined;
  private gate: Promise<void> | undefined;
  private readonly counters: ServerStats = {
    requests: 0,
    byStatus: {},
    accepted: 0,
    rateLimited: 0,
    resets: 0,
  };

  constructor(options: Partial<ResendServerOptions> = {}) {
    this.options = { ...DEFAULTS, ...options };
    this.random = seeded(this.options.seed);
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  async listen(port = 0): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** Changes behaviour while running (a test can turn faults on or off between sends). */
  configure(options: Partial<ResendServerOptions>): void {
    Object.assign(this.options, options);
    if (options.seed !== undefined) this.random = seeded(options.seed);
  }

  /** Called when a request arrives ('received') and when its answer is written ('answered'). */
  onRequest(hook: ((phase: RequestPhase) => void) | undefined): void {
    this.hook = hook;
  }

  /**
   * Holds every request that arrives from now on (received, not answered) until the returned function is
   * called: a test can look at the sender's state with a batch in flight.
   */
  hold(): () => void {
    let release = () => {};
    this.gate = new Promise((resolve) => {
      release = resolve;
    });
    return () => {
      this.gate = undefined;
      release();
    };
  }

  stats(): ServerStats {
    return { ...this.counters, byStatus: { ...this.counters.byStatus } };
  }

  accepted(): readonly AcceptedEmail[] {
    return this.acceptedEmails;
  }

  acceptedFor(recipient: string): AcceptedEmail[] {
    return this.acceptedEmails.filter((email) => email.to.toLowerCase() === recipient.toLowerCase());
  }

  /** Recipient (lower case) -> emails accepted for them with this edition tag. */
  countsByRecipient(edition: string): Map<string, number> {
    const counts = new Map<string, number>();
    for (const [key, count] of this.counts) {
      const [keyEdition, recipient] = key.split('|');
      if (keyEdition === edition && recipient) counts.set(recipient, count);
    }
    return counts;
  }

  /** Every edition and recipient that got more than one email: must stay empty. */
  duplicates(): { edition: string; recipient: string; count: number }[] {
    return [...this.counts]
      .filter(([, count]) => count > 1)
      .map(([key, count]) => {
        const [edition = '', recipient = ''] = key.split('|');
        return { edition, recipient, count };
      });
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private chance(rate: number): boolean {
    return rate > 0 && this.random() < rate;
  }

  private send(
    response: ServerResponse,
    answer: { status: number; body: unknown },
    headers: Record<string, string> = {},
  ) {
    this.counters.byStatus[answer.status] = (this.counters.byStatus[answer.status] ?? 0) + 1;
    if (response.destroyed) return;
    response.writeHead(answer.status, {
      'content-type': 'application/json',
      ...headers,
      ...this.rateHeaders(),
    });
    response.end(JSON.stringify(answer.body));
    this.hook?.('answered');
  }

  private rateHeaders(): Record<string, string> {
    const limit = this.options.rateLimit;
    if (!limit) return {};
    return {
      'ratelimit-limit': String(limit),
      'ratelimit-remaining': String(Math.max(0, limit - this.recent.length)),
      'ratelimit-reset': '1',
    };
  }

  /**
   * Counts arrivals in the rolling second before this one (arrival: when the request's headers came in, as
   * a gateway counts them, not after its body was read). Returns the seconds to wait when over the limit.
   */
  private overLimit(arrived: number): number | undefined {
    this.recent = this.recent.filter((time) => time > arrived - 1000);
    if (this.options.rateLimit && this.recent.length >= this.options.rateLimit) {
      return Math.max(1, Math.ceil(((this.recent[0] ?? arrived) + 1000 - arrived) / 1000));
    }
    this.recent.push(arrived);
    return undefined;
  }

  private cut(response: ServerResponse): void {
    this.counters.resets++;
    response.socket?.destroy();
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const arrived = performance.now();
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    this.counters.requests++;
    this.hook?.('received');
    if (this.gate) await this.gate;
    if (request.method === 'GET' && request.url === '/__stats') {
      return this.send(response, { status: 200, body: { ...this.stats(), duplicates: this.duplicates() } });
    }
    const single = request.url === '/emails';
    if (request.method !== 'POST' || !(single || request.url === '/emails/batch')) {
      return this.send(response, error(404, 'not_found', 'The requested endpoint does not exist.'));
    }
    const auth = request.headers.authorization;
    if (!auth)
      return this.send(
        response,
        error(401, 'missing_api_key', 'Missing API key in the authorization header.'),
      );
    if (auth !== `Bearer ${this.options.apiKey}`)
      return this.send(response, error(403, 'invalid_api_key', 'API key is invalid.'));

    const key = request.headers['idempotency-key'];
    const idempotencyKey = typeof key === 'string' ? key : undefined;
    if (idempotencyKey !== undefined && (idempotencyKey.length < 1 || idempotencyKey.length > 256)) {
      return this.send(
        response,
        error(400, 'invalid_idempotency_key', 'The key must be between 1-256 chars.'),
      );
    }
    const hash = createHash('sha256').update(raw).digest('hex');
    const stored = idempotencyKey === undefined ? undefined : this.idempotency.get(idempotencyKey);
    if (stored) {
      if (stored.hash !== hash) {
        return this.send(
          response,
          error(
            409,
            'invalid_idempotent_request',
            'Same idempotency key used with a different request payload.',
          ),
        );
      }
      if (stored.state === 'in flight' || !stored.answer) {
        return this.send(
          response,
          error(
            409,
            'concurrent_idempotent_requests',
            'Same idempotency key used while original request is still in progress.',
          ),
        );
      }
      return this.send(response, stored.answer);
    }
    const entry: StoredAnswer = { hash, state: 'in flight' };
    if (idempotencyKey !== undefined) this.idempotency.set(idempotencyKey, entry);
    // Until the emails are accepted, a failed attempt leaves the key free for a retry.
    const release = () => {
      if (idempotencyKey !== undefined) this.idempotency.delete(idempotencyKey);
    };

    if (this.options.latencyMs) await sleep(this.options.latencyMs);
    const wait = this.overLimit(arrived);
    if (wait !== undefined || this.chance(this.options.throttleRate)) {
      release();
      this.counters.rateLimited++;
      const seconds = String(wait ?? 1);
      return this.send(
        response,
        error(429, 'rate_limit_exceeded', 'Too many requests. You can only make 2 requests per second.'),
        {
          'retry-after': seconds,
        },
      );
    }
    if (this.chance(this.options.failRate)) {
      release();
      return this.send(response, error(500, 'internal_server_error', 'An unexpected error occurred.'));
    }
    if (this.chance(this.options.resetBeforeAcceptRate)) {
      release();
      return this.cut(response);
    }

    let payload: unknown;
    try {
      payload = JSON.parse(raw.toString('utf8'));
    } catch {
      release();
      return this.send(response, error(400, 'validation_error', 'Invalid JSON body.'));
    }
    const emails = (single ? [payload] : payload) as ApiEmail[];
    if (!Array.isArray(emails) || emails.length === 0) {
      release();
      return this.send(
        response,
        error(422, 'validation_error', 'The batch must be an array of 1 to 100 emails.'),
      );
    }
    if (emails.length > 100) {
      release();
      return this.send(
        response,
        error(422, 'validation_error', 'Too many emails: a batch holds at most 100.'),
      );
    }
    const problems = emails.map((email) => validationProblem(email, this.options.rejectRecipients));
    const permissive = !single && request.headers['x-batch-validation'] === 'permissive';
    const firstProblem = problems.find((problem) => problem !== undefined);
    if (firstProblem && !permissive) {
      release();
      return this.send(response, error(422, 'validation_error', firstProblem));
    }

    const data: { id: string }[] = [];
    const errors: { index: number; message: string }[] = [];
    emails.forEach((email, index) => {
      const problem = problems[index];
      if (problem) {
        errors.push({ index, message: problem });
        return;
      }
      const id = randomUUID();
      data.push({ id });
      this.record(id, email, idempotencyKey);
    });
    const answer = { status: 200, body: single ? data[0] : permissive ? { data, errors } : { data } };
    entry.answer = answer;

    if (this.chance(this.options.resetAfterAcceptRate)) {
      entry.state = 'done';
      return this.cut(response);
    }
    if (this.chance(this.options.slowRate)) {
      // Accepted; the answer comes only after the client has given up. The key stays in flight meanwhile,
      // so a quick retry gets concurrent_idempotent_requests, and a later one the stored answer.
      await sleep(this.options.slowMs);
    }
    entry.state = 'done';
    this.send(response, answer);
  }

  private record(id: string, email: ApiEmail, idempotencyKey: string | undefined): void {
    const edition = email.tags?.find((tag) => tag.name === 'edition')?.value;
    for (const to of recipientOf(email)) {
      const key = `${edition ?? ''}|${to.toLowerCase()}`;
      this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
      this.counters.accepted++;
      this.acceptedEmails.push(
        this.options.keepBodies
          ? {
              id,
              to,
              edition,
              idempotencyKey,
              subject: String(email.subject),
              html: String(email.html ?? ''),
              text: String(email.text ?? ''),
              headers: email.headers ?? {},
            }
          : { id, to, edition, idempotencyKey },
      );
    }
  }
}

export function startResendServer(
  options: Partial<ResendServerOptions> = {},
  port = 0,
): Promise<ResendServer> {
  return new ResendServer(options).listen(port);
}
