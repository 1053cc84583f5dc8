// GET /healthz for monitors and load balancers: answers once the database answers.
import { Hono } from 'hono';
import type { WebDeps } from '../app.js';

export function createHealthRoutes({ db }: Pick<WebDeps, 'db'>): Hono {
  const app = new Hono();
  app.get('/healthz', async (c) => {
    await db.selectFrom('editions').select('id').limit(1).execute();
    return c.json({ status: 'ok' });
  });
  return app;
}
