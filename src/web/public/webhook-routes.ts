// POST /webhooks/resend: the provider's delivery events, verified over the raw body (docs/engagement.md).
import { Hono } from 'hono';
import { createWebhookReceiver } from '../../services/webhook-events.js';
import type { WebDeps } from '../app.js';

export function createWebhookRoutes(deps: WebDeps): Hono {
  const app = new Hono();
  const receiveWebhook = createWebhookReceiver({
    db: deps.db,
    clock: deps.clock,
    secret: deps.config.resendWebhookSecret,
  });
  app.post('/webhooks/resend', async (c) => {
    const result = await receiveWebhook(await c.req.text(), {
      id: c.req.header('svix-id'),
      timestamp: c.req.header('svix-timestamp'),
      signature: c.req.header('svix-signature'),
    });
    if (result.status === 'not configured') return c.json({ error: 'RESEND_WEBHOOK_SECRET is not set' }, 503);
    if (result.status === 'invalid') return c.json({ error: result.reason }, 400);
    if (result.status === 'unauthorized') {
      deps.log.warn('webhook.rejected', { reason: result.reason });
      return c.json({ error: 'invalid signature' }, 401);
    }
    deps.log.info('webhook', { type: result.type, outcome: result.status });
    return c.json({ status: result.status });
  });
  return app;
}
