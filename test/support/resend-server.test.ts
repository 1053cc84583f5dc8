// The test server must behave like Resend where the sender depends on it; these check it through the SDK.
import { Resend } from 'resend';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ResendServer, startResendServer } from './resend-server.js';

const email = (to: string) => ({
  from: 'Verdicts <v@verdicts.test>',
  to,
  subject: 'S',
  html: '<p>x</p>',
  tags: [{ name: 'edition', value: 'W' }],
});

describe('Resend-compatible test server', () => {
  let server: ResendServer;
  let resend: Resend;
  beforeEach(async () => {
    server = await startResendServer();
    resend = new Resend(server.options.apiKey, { baseUrl: server.url });
  });
  afterEach(async () => {
    await server.close();
  });

  it('accepts single emails on POST /emails', async () => {
    const { data, error } = await resend.emails.send(email('a@example.com'));
    expect(error).toBeNull();
    expect(data?.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(server.acceptedFor('A@example.com')).toHaveLength(1);
  });

  it('in permissive mode accepts the valid emails and lists the invalid ones by index', async () => {
    const { data, error } = await resend.batch.send(
      [email('a@example.com'), email('not-an-address'), email('b@example.com')],
      {
        batchValidation: 'permissive',
      },
    );
    expect(error).toBeNull();
    expect(data?.data).toHaveLength(2);
    expect((data as unknown as { errors: { index: number }[] }).errors.map((entry) => entry.index)).toEqual([
      1,
    ]);
  });

  it('in strict mode refuses the whole batch for one invalid email', async () => {
    const { error } = await resend.batch.send([email('a@example.com'), email('not-an-address')]);
    expect(error).toMatchObject({ name: 'validation_error', statusCode: 422 });
    expect(server.stats().accepted).toBe(0);
  });

  it('counts duplicates per edition and recipient', async () => {
    await resend.batch.send([email('a@example.com')], { idempotencyKey: 'one' });
    await resend.batch.send([email('A@example.com')], { idempotencyKey: 'two' });
    expect(server.duplicates()).toEqual([{ edition: 'W', recipient: 'a@example.com', count: 2 }]);
  });

  it('answers 429 over its per-second limit with retry-after and rate-limit headers', async () => {
    server.configure({ rateLimit: 2 });
    const answers = await Promise.all([1, 2, 3].map((n) => resend.batch.send([email(`r${n}@example.com`)])));
    const limited = answers.filter((answer) => answer.error?.name === 'rate_limit_exceeded');
    expect(limited).toHaveLength(1);
    expect(limited[0]?.headers).toMatchObject({ 'retry-after': '1', 'ratelimit-limit': '2' });
    expect(server.stats().rateLimited).toBe(1);
  });
});
