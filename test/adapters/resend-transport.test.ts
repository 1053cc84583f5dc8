import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createResendTransport } from '../../src/adapters/resend-transport.js';
import type { EmailMessage } from '../../src/adapters/transport.js';
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
    server.configure({ slowRate: 1, slowMs: 400 });
    const impatient = transport(100);
    expect(await impatient.sendBatch(batch(2), 'slow')).toMatchObject({ status: 'retryable' });
    expect(server.stats().accepted).toBe(2);
    server.configure({ slowRate: 0 });
    // While the first request is still being answered, the key is in flight.
    expect(await impatient.sendBatch(batch(2), 'slow')).toMatchObject({
      status: 'retryable',
      reason: expect.stringContaining('concurrent_idempotent_requests'),
    });
    await new Promise((resolve) => setTimeout(resolve, 450));
    const settled = await impatient.sendBatch(batch(2), 'slow');
    expect(settled).toEqual({ status: 'accepted', ids: server.accepted().map((email) => email.id) });
    expect(server.stats().accepted).toBe(2);
  });
});
