// Resend webhooks as Resend sends them: Svix-signed JSON bodies, posted over HTTP.
import { createHmac } from 'node:crypto';
import type { Db } from '../../src/adapters/database.js';
import { silentLogger } from '../../src/adapters/logger.js';
import { createResendTransport } from '../../src/adapters/resend-transport.js';
import { fixedClock } from '../../src/domain/clock.js';
import { type RunningServer, startServer } from '../../src/web/server.js';
import { testConfig } from './sending.js';

export const WEBHOOK_SECRET = `whsec_${Buffer.from('test-webhook-signing-secret').toString('base64')}`;

/** Svix headers for `body`; `at` is the signing time (Svix accepts five minutes either way of now). */
export function svixHeaders(body: string, id: string, at = new Date(), secret = WEBHOOK_SECRET) {
  const timestamp = String(Math.floor(at.getTime() / 1000));
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const signature = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
  return {
    'svix-id': id,
    'svix-timestamp': timestamp,
    'svix-signature': `v1,${signature}`,
    'content-type': 'application/json',
  };
}

/** A Resend `email.*` event body about one email. */
export function resendEvent(
  type: string,
  email: { id: string; to: string },
  createdAt: Date,
  extra: Record<string, unknown> = {},
): string {
  return JSON.stringify({
    type,
    created_at: createdAt.toISOString(),
    data: {
      email_id: email.id,
      created_at: createdAt.toISOString(),
      from: 'Weekly AI Tool Verdicts <verdicts@verdicts.test>',
      to: [email.to],
      subject: 'Weekly AI Tool Verdicts',
      tags: { edition: '2026-W47' },
      ...extra,
    },
  });
}

/** Posts a signed event to a running server's webhook endpoint; answers the status and JSON. */
export async function postWebhook(baseUrl: string, body: string, id: string) {
  const response = await fetch(`${baseUrl}/webhooks/resend`, {
    method: 'POST',
    body,
    headers: svixHeaders(body, id),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

/**
 * The web app on a free port of 127.0.0.1, verifying webhooks with WEBHOOK_SECRET and sending through the
 * Resend-compatible server at `resendUrl`, its clock the day after week 2026-W47 was sent.
 */
export function startWebhookSite(db: Db, resendUrl: string, apiKey: string): Promise<RunningServer> {
  return startServer(
    {
      db,
      clock: fixedClock(new Date('2026-11-26T09:00:00Z')),
      config: testConfig({ RESEND_WEBHOOK_SECRET: WEBHOOK_SECRET }),
      transport: createResendTransport({ apiKey, baseUrl: resendUrl }),
      log: silentLogger,
    },
    0,
    '127.0.0.1',
  );
}
