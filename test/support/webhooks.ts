// Resend webhooks as Resend sends them: Svix-signed JSON bodies, posted over HTTP.
import { createHmac } from 'node:crypto';

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
