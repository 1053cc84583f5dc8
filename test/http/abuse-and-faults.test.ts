// The web server against abusive clients and faults: hostile bodies, the sign-up timing oracle, the per-address throttle,
// tokens kept out of logs, malformed JSON, a database locked by another process, and the pages of readers
// who no longer receive the digest.

import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type BackgroundTasks, createBackgroundTasks } from '../../src/adapters/background-tasks.js';
import { type Db, openDatabase } from '../../src/adapters/database.js';
import type { Logger } from '../../src/adapters/logger.js';
import { silentLogger } from '../../src/adapters/logger.js';
import { createOutboxTransport, listOutbox } from '../../src/adapters/outbox-transport.js';
import { createResendTransport } from '../../src/adapters/resend-transport.js';
import { findSubscriberByKey, setSubscriberStatus } from '../../src/adapters/subscriber-repository.js';
import type { Transport } from '../../src/adapters/transport.js';
import { fixedClock } from '../../src/domain/clock.js';
import { addSubscribers } from '../../src/services/subscribers.js';
import { createApp, FORM_BODY_LIMIT } from '../../src/web/app.js';
import { type RunningServer, startServer } from '../../src/web/server.js';
import { scratchDir } from '../support/cli.js';
import { freshDatabase, holdWriteLock, testDatabase } from '../support/db.js';
import { startResendServer } from '../support/resend-server.js';
import { importSamples, testConfig } from '../support/sending.js';

const start = new Date('2026-11-25T10:00:00Z');
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

/** Confirmation emails in the outbox, by recipient address (lower case). */
async function confirmationsTo(outbox: string, address: string): Promise<number> {
  let count = 0;
  for (const name of await listOutbox(outbox)) {
    const mail = await simpleParser(readFileSync(join(outbox, name)));
    const to = mail.to && !Array.isArray(mail.to) ? mail.to.text.toLowerCase() : '';
    if (to === address && mail.subject?.startsWith('Confirm')) count++;
  }
  return count;
}

interface StreamedPost {
  readonly status: number;
  /** Body bytes this client had written when the answer arrived. */
  readonly bytesSent: number;
}

/**
 * POSTs a body of `totalBytes` (announced by Content-Length, or streamed chunked when `chunked`) and stops
 * writing as soon as an answer arrives, as a well-behaved client would. `endBody: false` never finishes the
 * body, to show that an answer does not wait for it.
 */
function streamPost(
  url: string,
  options: { totalBytes: number; chunked: boolean; endBody?: boolean; localAddress?: string },
): Promise<StreamedPost> {
  const { hostname, port, pathname } = new URL(url);
  return new Promise((resolve, reject) => {
    let bytesSent = 0;
    let answered = false;
    const request = httpRequest({
      hostname,
      port,
      path: pathname,
      method: 'POST',
      localAddress: options.localAddress,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...(options.chunked ? {} : { 'content-length': String(options.totalBytes) }),
      },
    });
    request.on('response', (response) => {
      answered = true;
      response.resume();
      resolve({ status: response.statusCode ?? 0, bytesSent });
      request.destroy();
    });
    request.on('error', (error) => {
      if (!answered) reject(error);
    });
    const chunk = Buffer.alloc(Math.min(64 * 1024, options.totalBytes), 'a');
    const write = () => {
      while (!answered && bytesSent < options.totalBytes) {
        bytesSent += chunk.length;
        if (!request.write(chunk)) return void request.once('drain', write);
      }
      if (!answered && options.endBody !== false) request.end();
    };
    request.write('email=a%40example.com&x=');
    write();
  });
}

/** A plain HTTP request from a chosen loopback source address (127.0.0.0/8 is all loopback on Linux). */
function postFrom(url: string, body: string, localAddress: string): Promise<number> {
  const { hostname, port, pathname } = new URL(url);
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      {
        hostname,
        port,
        path: pathname,
        method: 'POST',
        localAddress,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

describe('the web server against abuse and faults', () => {
  let dir: string;
  let location: string;
  let db: Db;
  let outbox: string;
  let tasks: BackgroundTasks;
  let server: RunningServer;
  const clock = fixedClock(start);
  const config = testConfig();

  const serve = async (overrides: { transport?: Transport; log?: Logger; db?: Db } = {}) => {
    server = await startServer(
      {
        db: overrides.db ?? db,
        clock,
        config,
        transport: overrides.transport ?? createOutboxTransport(outbox, clock),
        log: overrides.log ?? silentLogger,
        tasks,
      },
      0,
      '127.0.0.1',
    );
    return server;
  };

  beforeEach(async () => {
    dir = scratchDir();
    location = await freshDatabase(dir);
    db = await openDatabase(location);
    await importSamples(db);
    outbox = join(dir, 'outbox');
    tasks = createBackgroundTasks(silentLogger);
  });
  afterEach(async () => {
    await server?.close();
    await db.destroy();
  });

  describe('request bodies', () => {
    it('refuses a 100 MB sign-up announced by Content-Length with 413, before reading it, and stays up', async () => {
      await serve();
      const answer = await streamPost(`${server.url}/subscribe`, {
        totalBytes: 100 * 1024 * 1024,
        chunked: false,
      });
      expect(answer.status).toBe(413);
      // The answer came long before the body could have been read: the server never took it in.
      expect(answer.bytesSent).toBeLessThan(20 * 1024 * 1024);
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      expect(await db.selectFrom('subscribers').selectAll().execute()).toEqual([]);
    });

    it('stops reading a streamed (chunked) body once it passes the limit', async () => {
      await serve();
      const answer = await streamPost(`${server.url}/subscribe`, {
        totalBytes: 100 * 1024 * 1024,
        chunked: true,
      });
      expect(answer.status).toBe(413);
      expect(answer.bytesSent).toBeLessThan(20 * 1024 * 1024);
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    });

    it('refuses a body just over the form limit and stores nothing of it', async () => {
      await serve();
      const body = form({ email: 'big@example.com', form: 'x'.repeat(FORM_BODY_LIMIT) });
      const answer = await fetch(`${server.url}/subscribe`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(answer.status).toBe(413);
      await tasks.drain();
      expect(await findSubscriberByKey(db, 'big@example.com')).toBeUndefined();
    });

    it('keeps only a short form name as consent evidence, whatever the form field holds', async () => {
      await serve();
      await fetch(`${server.url}/subscribe`, {
        method: 'POST',
        body: form({ email: 'evidence@example.com', form: 'y'.repeat(5000) }),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      await tasks.drain();
      expect((await findSubscriberByKey(db, 'evidence@example.com'))?.consent_form).toBe('signup');
    });

    it('counts a client against the rate limit before reading its body', async () => {
      await serve();
      for (let index = 0; index < 5; index++) {
        expect(
          await postFrom(`${server.url}/subscribe`, form({ email: `r${index}@example.com` }), '127.0.0.1'),
        ).toBe(200);
      }
      // The sixth request's body never ends: the 429 must not wait for it.
      const limited = await Promise.race([
        streamPost(`${server.url}/subscribe`, { totalBytes: 1024, chunked: true, endBody: false }),
        new Promise<StreamedPost>((_, reject) =>
          setTimeout(() => reject(new Error('no answer while the body was still open')), 10_000),
        ),
      ]);
      expect(limited.status).toBe(429);
    });

    it.each(['null', '42', '[]', '"text"', '{"email":', ''])(
      'answers 400, not 500, to the JSON body %j',
      async (body) => {
        const app = createApp({
          db,
          clock,
          config,
          transport: createOutboxTransport(outbox, clock),
          log: silentLogger,
          tasks,
        });
        const answer = await app.request('/subscribe', {
          method: 'POST',
          body,
          headers: { 'content-type': 'application/json' },
        });
        expect(answer.status).toBe(400);
        expect(await answer.json()).toMatchObject({ status: 'invalid' });
      },
    );
  });

  describe('sign-up', () => {
    it('answers before the confirmation email is sent (no timing oracle)', async () => {
      let release: () => void = () => {};
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      const outboxTransport = createOutboxTransport(outbox, clock);
      const slowTransport: Transport = {
        kind: 'outbox',
        sendBatch: async (messages, key) => {
          await gate;
          return outboxTransport.sendBatch(messages, key);
        },
      };
      await serve({ transport: slowTransport });
      const answer = await fetch(`${server.url}/subscribe`, {
        method: 'POST',
        body: form({ email: 'new@example.com' }),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      // The provider has not been asked yet, and the answer is already here: its timing cannot depend on
      // what happens to the address.
      expect(answer.status).toBe(200);
      expect(await listOutbox(outbox)).toEqual([]);
      release();
      await tasks.drain();
      expect(await confirmationsTo(outbox, 'new@example.com')).toBe(1);
    });

    it('sends an address at most 3 confirmation emails a day, whichever clients ask', async () => {
      await serve();
      const sources = ['127.0.0.1', '127.0.0.2', '127.0.0.3', '127.0.0.4'];
      for (const source of sources)
        for (let index = 0; index < 5; index++)
          expect(
            await postFrom(`${server.url}/subscribe`, form({ email: 'Target@example.com' }), source),
          ).toBe(200);
      await tasks.drain();
      expect(await confirmationsTo(outbox, 'target@example.com')).toBe(3);
      // A day later the address may ask again.
      clock.advance(24 * 3_600_000 + 1000);
      await postFrom(`${server.url}/subscribe`, form({ email: 'target@example.com' }), '127.0.0.5');
      await tasks.drain();
      expect(await confirmationsTo(outbox, 'target@example.com')).toBe(4);
      clock.set(start);
    });

    it('sends 3, not 50, when 50 identical sign-ups arrive at once', async () => {
      await serve();
      const sources = Array.from({ length: 10 }, (_, index) => `127.0.1.${index + 1}`);
      const answers = await Promise.all(
        sources.flatMap((source) =>
          Array.from({ length: 5 }, () =>
            postFrom(`${server.url}/subscribe`, form({ email: 'crowd@example.com' }), source),
          ),
        ),
      );
      expect(answers.filter((status) => status === 200)).toHaveLength(50);
      await tasks.drain();
      expect(await confirmationsTo(outbox, 'crowd@example.com')).toBe(3);
    });
  });

  it('logs the route, never the token in the path, when a page fails', async () => {
    const entries: Record<string, unknown>[] = [];
    const record = (event: string, fields?: Record<string, unknown>) => entries.push({ event, ...fields });
    const broken = await testDatabase();
    await broken.destroy(); // every query now fails
    const app = createApp({
      db: broken,
      clock,
      config,
      transport: createOutboxTransport(outbox, clock),
      log: { info: record, warn: record, error: record },
      tasks,
    });
    const token = 'SecretTokenValue0123456789';
    expect((await app.request(`/unsubscribe/${token}`)).status).toBe(500);
    expect((await app.request(`/preferences/${token}`, { method: 'POST' })).status).toBe(500);
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({ event: 'web.error', route: '/unsubscribe/:token' });
    expect(JSON.stringify(entries)).not.toContain(token);
  });

  describe('while another process holds the database', () => {
    it('keeps answering other requests and finishes the waiting write once the lock is released', async () => {
      await addSubscribers({ db, clock }, ['ada@example.com'], { status: 'active', categories: [] });
      const token = (await findSubscriberByKey(db, 'ada@example.com'))?.token ?? '';
      await serve();
      const other = await holdWriteLock(location);
      const order: string[] = [];
      const unsubscribed = fetch(`${server.url}/unsubscribe/${token}`, { method: 'POST' }).then((answer) => {
        order.push('unsubscribe');
        return answer.status;
      });
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      order.push('healthz');
      await other.release();
      expect(await unsubscribed).toBe(200);
      expect(order).toEqual(['healthz', 'unsubscribe']);
      expect((await findSubscriberByKey(db, 'ada@example.com'))?.status).toBe('unsubscribed');
    });

    it('answers 503 with Retry-After, not 500, when the lock outlasts the wait', async () => {
      await addSubscribers({ db, clock }, ['ada@example.com'], { status: 'active', categories: [] });
      const token = (await findSubscriberByKey(db, 'ada@example.com'))?.token ?? '';
      const impatient = await openDatabase(location, { busy: { attemptMs: 5, deadlineMs: 300 } });
      await serve({ db: impatient });
      const other = await holdWriteLock(location);
      try {
        const answer = await fetch(`${server.url}/unsubscribe/${token}`, { method: 'POST' });
        expect(answer.status).toBe(503);
        expect(answer.headers.get('retry-after')).toMatch(/^\d+$/);
      } finally {
        await other.release();
        await server.close();
        await impatient.destroy();
      }
      expect((await findSubscriberByKey(db, 'ada@example.com'))?.status).toBe('active');
    });
  });

  describe('readers who no longer receive the digest', () => {
    let token: string;
    let app: ReturnType<typeof createApp>;
    beforeEach(async () => {
      await addSubscribers({ db, clock }, ['ada@example.com'], { status: 'active', categories: [] });
      token = (await findSubscriberByKey(db, 'ada@example.com'))?.token ?? '';
      app = createApp({
        db,
        clock,
        config,
        transport: createOutboxTransport(outbox, clock),
        log: silentLogger,
        tasks,
      });
    });

    it('says so on the unsubscribe and preferences pages and offers to subscribe again', async () => {
      const unsubscribed = await (await app.request(`/unsubscribe/${token}`, { method: 'POST' })).text();
      expect(unsubscribed).toContain(`action="/resubscribe/${token}"`);
      const again = await (await app.request(`/unsubscribe/${token}`)).text();
      expect(again).toContain('You unsubscribed: this address gets no digests.');
      expect(again).not.toContain(`action="/unsubscribe/${token}"`);
      expect(again).toContain(`action="/resubscribe/${token}"`);
      const preferences = await (await app.request(`/preferences/${token}`)).text();
      expect(preferences).toContain('You unsubscribed: this address gets no digests.');
      expect(preferences).not.toContain(`href="/unsubscribe/${token}"`);
      const saved = await (
        await app.request(`/preferences/${token}`, {
          method: 'POST',
          body: form({ categories: 'Coding Agents' }),
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        })
      ).text();
      expect(saved).toContain('Saved. You follow: Coding Agents. This applies if you subscribe again.');
      expect(saved).not.toMatch(/Saved\. You follow: Coding Agents\.<\/p>/);
    });

    it('subscribes again only after a new confirmation', async () => {
      await app.request(`/unsubscribe/${token}`, { method: 'POST' });
      const answer = await app.request(`/resubscribe/${token}`, { method: 'POST' });
      expect(answer.status).toBe(200);
      expect(await answer.text()).toContain('Check your inbox');
      // Unsubscribed still: only confirming the new link brings the address back.
      expect((await findSubscriberByKey(db, 'ada@example.com'))?.status).toBe('unsubscribed');
      expect(await confirmationsTo(outbox, 'ada@example.com')).toBe(1);
      // GET never changes anything, so a link scanner cannot resubscribe anyone.
      expect((await app.request(`/resubscribe/${token}`)).status).toBe(404);
    });

    it('offers nothing to a bounced address and refuses to resubscribe it', async () => {
      const id = (await findSubscriberByKey(db, 'ada@example.com'))?.id ?? 0;
      await setSubscriberStatus(db, id, 'bounced', start, 'email.bounced');
      const page = await (await app.request(`/unsubscribe/${token}`)).text();
      expect(page).toContain('Mail to this address bounced');
      expect(page).not.toContain('/resubscribe/');
      expect((await app.request(`/resubscribe/${token}`, { method: 'POST' })).status).toBe(409);
      expect((await findSubscriberByKey(db, 'ada@example.com'))?.status).toBe('bounced');
    });
  });

  it('derives the idempotency keys it sends to the provider from DIGEST_SECRET, never from a token', async () => {
    const resend = await startResendServer({ keepBodies: true });
    const keysUnder = async (secret: string, email: string) => {
      const secretConfig = testConfig({
        RESEND_API_KEY: resend.options.apiKey,
        RESEND_BASE_URL: resend.url,
        DIGEST_SECRET: secret,
      });
      const transport = createResendTransport({ apiKey: resend.options.apiKey, baseUrl: resend.url });
      const app = createApp({ db, clock, config: secretConfig, transport, log: silentLogger, tasks });
      await app.request('/subscribe', {
        method: 'POST',
        body: form({ email }),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      await tasks.drain();
      const confirmation = resend.acceptedFor(email).at(-1);
      const confirmToken = /confirm\?token=([A-Za-z0-9_-]+)/.exec(confirmation?.text ?? '')?.[1] ?? '';
      await app.request('/confirm', {
        method: 'POST',
        body: new URLSearchParams({ token: confirmToken }),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      const subscriberToken = (await findSubscriberByKey(db, email))?.token ?? '';
      const keys = resend.acceptedFor(email).map((mail) => mail.idempotencyKey ?? '');
      return { keys, tokens: [confirmToken, subscriberToken] };
    };
    try {
      const first = await keysUnder('first-secret-0123456789abcdef0123456789', 'keys@example.com');
      expect(first.keys).toHaveLength(2);
      for (const key of first.keys) {
        expect(key).toMatch(/^verdict-digest\/(confirm|welcome)\/[0-9a-f]{64}$/);
        for (const token of first.tokens) expect(key).not.toContain(token);
      }
      // The same step under another secret gets another key: the secret keys them.
      clock.advance(60_000);
      const second = await keysUnder('second-secret-0123456789abcdef012345678', 'keys2@example.com');
      expect(second.keys[1]?.split('/')[2]).not.toBe(first.keys[1]?.split('/')[2]);
    } finally {
      clock.set(start);
      await resend.close();
    }
  });
});
