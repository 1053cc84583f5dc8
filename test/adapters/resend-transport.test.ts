import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Resend } from 'resend';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createResendTransport } from '../../src/adapters/resend-transport.js';
import type { EmailMessage } from '../../src/adapters/transport.js';
import { recipientLinks } from '../../src/domain/digest-message.js';
import { joinPieces } from '../../src/domain/email-message.js';
import { personalisedPieces } from '../../src/services/personalise.js';
import { type ResendServer, startResendServer } from '../support/resend-server.js';

const message = (
  to: string,
  subject = 'Weekly AI Tool Verdicts, 2026-W47: 3 new comparisons',
): EmailMessage => ({
  from: 'Weekly AI Tool Verdicts <verdicts@verdicts.test>',
  to,
  subject,
  html: '<p>digest</p>',
  text: 'digest',
  headers: {
    'List-Unsubscribe': '<https://news.verdicts.test/unsubscribe/t>',
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  },
  tags: [{ name: 'edition', value: '2026-W47' }],
});
const batch = (count: number, offset = 0) =>
  Array.from({ length: count }, (_, index) => message(`r${index + offset}@example.com`));

describe('Resend transport through the real SDK', () => {
  let server: ResendServer;
  beforeEach(async () => {
    server = await startResendServer();
  });
  afterEach(async () => {
    await server.close();
  });
  const transport = (timeoutMs = 5000) =>
    createResendTransport({ apiKey: server.options.apiKey, baseUrl: server.url, timeoutMs });

  it('reports each time its request leaves, before the provider has answered', async () => {
    const order: string[] = [];
    server.onRequest((phase) => order.push(phase));
    server.configure({ failRate: 1 });
    const client = transport();
    await client.sendBatch(batch(2), 'key-sent', () => order.push('sent'));
    server.configure({ failRate: 0 });
    await client.sendBatch(batch(2), 'key-sent', () => order.push('sent'));
    // Another batch's request is not this one's.
    await client.sendBatch(batch(1, 5), 'key-other');
    expect(order).toEqual([
      'sent',
      'received',
      'answered',
      'sent',
      'received',
      'answered',
      'received',
      'answered',
    ]);
  });

  it('sends a batch and returns the id of each email in order, with headers and the edition tag', async () => {
    const outcome = await transport().sendBatch(batch(3), 'key-1');
    expect(outcome.status).toBe('accepted');
    const accepted = server.accepted();
    expect(outcome.status === 'accepted' && outcome.ids).toEqual(accepted.map((email) => email.id));
    expect(accepted[0]).toMatchObject({
      to: 'r0@example.com',
      edition: '2026-W47',
      idempotencyKey: 'key-1',
      headers: { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
    });
  });

  it('replays the first answer for a repeated key and accepts nothing twice', async () => {
    const first = await transport().sendBatch(batch(2), 'same');
    const second = await transport().sendBatch(batch(2), 'same');
    expect(second).toEqual(first);
    expect(server.stats().accepted).toBe(2);
    expect(server.duplicates()).toEqual([]);
  });

  it('treats the same key with a different body as a permanent rejection', async () => {
    await transport().sendBatch(batch(2), 'k');
    expect(await transport().sendBatch(batch(2, 5), 'k')).toMatchObject({
      status: 'rejected',
      reason: expect.stringContaining('invalid_idempotent_request (409)'),
    });
  });

  it('rejects more than 100 emails and invalid recipients, and halts on a bad API key', async () => {
    expect(await transport().sendBatch(batch(101), 'big')).toMatchObject({
      status: 'rejected',
      reason: expect.stringContaining('at most 100'),
    });
    server.configure({ rejectRecipients: new Set(['r1@example.com']) });
    expect(await transport().sendBatch(batch(3), 'bad')).toMatchObject({
      status: 'rejected',
      reason: expect.stringContaining('r1@example.com'),
    });
    expect(server.stats().accepted).toBe(0);
    const wrongKey = createResendTransport({ apiKey: 're_wrong', baseUrl: server.url });
    expect(await wrongKey.sendBatch(batch(1), 'x')).toMatchObject({
      status: 'halt',
      reason: expect.stringContaining('invalid_api_key'),
    });
  });

  it('passes on the request rate the provider announces, with accepted answers and refusals alike', async () => {
    server.configure({ rateLimit: 5 });
    expect(await transport().sendBatch(batch(1), 'rate-a')).toMatchObject({
      status: 'accepted',
      announcedRate: 5,
    });
    server.configure({ rateLimit: 1 });
    await transport().sendBatch(batch(1, 1), 'rate-b');
    expect(await transport().sendBatch(batch(1, 2), 'rate-c')).toMatchObject({
      status: 'retryable',
      announcedRate: 1,
    });
    server.configure({ rateLimit: 0 });
    expect((await transport().sendBatch(batch(1, 3), 'rate-d')).announcedRate).toBeUndefined();
  });

  it('retries on 429 with the wait the server asks for, and on 500s and cut connections', async () => {
    server.configure({ rateLimit: 1 });
    await transport().sendBatch(batch(1), 'a');
    expect(await transport().sendBatch(batch(1, 1), 'b')).toMatchObject({
      status: 'retryable',
      retryAfterMs: 1000,
    });
    server.configure({ rateLimit: 0, failRate: 1 });
    expect(await transport().sendBatch(batch(1, 2), 'c')).toMatchObject({
      status: 'retryable',
      reason: expect.stringContaining('500'),
    });
    server.configure({ failRate: 0, resetBeforeAcceptRate: 1 });
    expect(await transport().sendBatch(batch(1, 3), 'd')).toMatchObject({ status: 'retryable' });
    server.configure({ resetBeforeAcceptRate: 0 });
    expect(await transport().sendBatch(batch(1, 3), 'd')).toMatchObject({ status: 'accepted' });
  });

  it('gives up on a slow answer, then gets the accepted ids by retrying with the same key', async () => {
    const impatient = transport(100);
    // The first fetch of a process loads its HTTP client (on Node 24 that alone can outlast 100 ms), so
    // the slow request below must not be the first.
    expect(await transport().sendBatch(batch(1, 5), 'warm-up')).toMatchObject({ status: 'accepted' });
    server.configure({ slowRate: 1, slowMs: 400 });
    expect(await impatient.sendBatch(batch(2), 'slow')).toMatchObject({ status: 'retryable' });
    expect(server.stats().accepted).toBe(3);
    server.configure({ slowRate: 0 });
    // While the first request is still being answered, the key is in flight.
    expect(await impatient.sendBatch(batch(2), 'slow')).toMatchObject({
      status: 'retryable',
      reason: expect.stringContaining('concurrent_idempotent_requests'),
    });
    await new Promise((resolve) => setTimeout(resolve, 450));
    const settled = await impatient.sendBatch(batch(2), 'slow');
    const slowIds = server
      .accepted()
      .filter((email) => email.idempotencyKey === 'slow')
      .map((email) => email.id);
    expect(settled).toEqual({ status: 'accepted', ids: slowIds });
    expect(slowIds).toHaveLength(2);
    expect(server.stats().accepted).toBe(3);
  });

  it('writes the request that the SDK batch.send writes, byte for byte, from whole bodies or escaped pieces', async () => {
    // A body in pieces, as the sender gives it: a variant with placeholders and characters JSON escapes.
    const placeholder = '__UNSUBSCRIBE__';
    const content = {
      subject: 'S',
      html: `<a href="${placeholder}">Unsubscribe</a>\t"quoted" \\ back\nslash </script> \u2028 café`,
      text: `Unsubscribe: ${placeholder}\n\u0001 “curly” 🦀`,
      placeholders: { unsubscribe: placeholder, preferences: '__PREFERENCES__' },
    };
    const pieces = personalisedPieces(content, recipientLinks('https://news.verdicts.test', 'tok&en'));
    const piecewise: EmailMessage = {
      ...message('pieces@example.com'),
      html: joinPieces(pieces.html),
      text: joinPieces(pieces.text),
      json: pieces.json,
    };
    // Whole bodies, as confirmations and review copies are given: a lone surrogate and every escape.
    const whole = { ...message('whole@example.com', 'Quote " and \\'), html: '\ud800 <b>"x"</b>\r\n' };
    const ours = await transport().sendBatch([piecewise, whole], 'same-bytes');
    expect(ours.status).toBe('accepted');
    expect(server.accepted()[0]?.html).toBe(joinPieces(pieces.html));
    // The same key with different bytes would be refused (409): the SDK's own request must replay the answer.
    const sdk = new Resend(server.options.apiKey, { baseUrl: server.url });
    const asSdkEmail = ({ json: _, ...email }: EmailMessage) => ({ ...email, tags: [...email.tags] });
    const replay = await sdk.batch.send([piecewise, whole].map(asSdkEmail), {
      idempotencyKey: 'same-bytes',
      batchValidation: 'strict',
    });
    expect(replay.error).toBeNull();
    expect(ours.status === 'accepted' && ours.ids).toEqual(replay.data?.data.map((email) => email.id));
    expect(server.stats().accepted).toBe(2);
  });

  it('writes requests made one after another, or at once, each with its own bytes', async () => {
    // The body buffer is reused from one request to the next; two requests in flight never share it.
    server.configure({ latencyMs: 50 });
    const client = transport();
    const long = (to: string) => ({ ...message(to), html: `<p>${to} ${'x'.repeat(200_000)}</p>` });
    const [first, second] = await Promise.all([
      client.sendBatch([long('a@example.com'), long('b@example.com')], 'at-once-1'),
      client.sendBatch([message('c@example.com')], 'at-once-2'),
    ]);
    const third = await client.sendBatch([long('d@example.com')], 'after');
    for (const outcome of [first, second, third]) expect(outcome.status).toBe('accepted');
    const sent = server.accepted();
    expect(sent.map((email) => email.to).sort()).toEqual(
      ['a', 'b', 'c', 'd'].map((name) => `${name}@example.com`),
    );
    for (const email of sent)
      expect(email.html).toBe(email.to === 'c@example.com' ? '<p>digest</p>' : long(email.to).html);
  });

  it('never follows a redirect, so the API key and the batch go nowhere else', async () => {
    const elsewhere: string[] = [];
    const other = createServer((request, response) => {
      elsewhere.push(String(request.headers.authorization));
      response.end('{}');
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const redirecting = createServer((_request, response) => {
      const { port } = other.address() as AddressInfo;
      response.writeHead(307, { location: `http://127.0.0.1:${port}/emails/batch` }).end();
    });
    await new Promise<void>((resolve) => redirecting.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = redirecting.address() as AddressInfo;
      const client = createResendTransport({ apiKey: 're_secret', baseUrl: `http://127.0.0.1:${port}` });
      expect(await client.sendBatch(batch(1), 'redirected')).toMatchObject({ status: 'retryable' });
      expect(elsewhere).toEqual([]);
    } finally {
      await Promise.all([other, redirecting].map((server) => new Promise((done) => server.close(done))));
    }
  });
});
