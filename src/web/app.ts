// The web side as a Hono app (docs/architecture.md): sign-up with double opt-in, one-click unsubscribe,
// preferences, Resend webhooks, the archive with its feed, readers' votes and the editor console. Each
// resource's routes are a sub-app in public/ or admin/, mounted here with app.route() after the middleware
// every request passes through; Hono runs handlers in the order they were added, so that order is kept.
import { type Context, type ErrorHandler, Hono } from 'hono';
import { type BackgroundTasks, createBackgroundTasks } from '../adapters/background-tasks.js';
import type { Db } from '../adapters/database.js';
import type { Logger } from '../adapters/logger.js';
import { DatabaseBusyError } from '../adapters/storage-fault.js';
import type { Transport } from '../adapters/transport.js';
import type { Config } from '../config.js';
import type { Clock } from '../domain/clock.js';
import { createAdminApp } from './admin/routes.js';
import { compression } from './compression.js';
import { errorPage } from './pages.js';
import { createEditionRoutes } from './public/edition-routes.js';
import { createFeedRoutes } from './public/feed-routes.js';
import { createHealthRoutes } from './public/health-routes.js';
import { createReaderLinkRoutes } from './public/reader-link-routes.js';
import { createSubscribeRoutes } from './public/subscribe-routes.js';
import { createVoteRoutes } from './public/vote-routes.js';
import { createWebhookRoutes } from './public/webhook-routes.js';
import { bodyLimits, signupLimit, voteLimit } from './request-limits.js';
import { contentSecurityPolicy } from './security-headers.js';

export { FORM_BODY_LIMIT, WEBHOOK_BODY_LIMIT } from './request-limits.js';

export interface WebDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly config: Config;
  readonly transport: Transport;
  readonly log: Logger;
  /** Where work that follows an answer runs (sign-up emails); the server drains it on shutdown. */
  readonly tasks?: BackgroundTasks;
}

// Public pages, the feed and robots.txt are compressed. The console is left alone: its pages carry CSRF
// tokens beside text an editor typed, which over TLS is what compression-based guessing (BREACH) needs. The
// JSON API is never compressed either, so its 304 must repeat its strong tag as it was sent, not a weakened one.
const uncompressed = (path: string) =>
  path === '/admin' || path.startsWith('/admin/') || path.startsWith('/api/');

// No scripts anywhere (but the confirmation page's hashed one); forms post only here; tokens in URLs never
// leak through Referer.
async function securityHeaders(c: Context, next: () => Promise<void>) {
  await next();
  c.header('Content-Security-Policy', contentSecurityPolicy(c.req.path));
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('Referrer-Policy', 'no-referrer');
}

function errorAnswer(log: Logger): ErrorHandler {
  return (error, c) => {
    if (error instanceof DatabaseBusyError) {
      // Another process held the database for longer than a request should wait: ask the client to retry.
      c.header('Retry-After', '5');
      return c.html(errorPage('Busy', 'The service is busy. Please try again in a few seconds.'), 503);
    }
    // The route pattern, never the path: paths carry tokens (/unsubscribe/<token>).
    log.error('web.error', { route: c.req.routePath, method: c.req.method, error: String(error) });
    return c.html(errorPage('Something went wrong', 'Please try again in a moment.'), 500);
  };
}

export function createApp(deps: WebDeps): Hono {
  const tasks = deps.tasks ?? createBackgroundTasks(deps.log);
  const app = new Hono();

  const compressed = compression();
  app.use((c, next) => (uncompressed(c.req.path) ? next() : compressed(c, next)));
  app.use(securityHeaders);
  // Rate limits before the body limit: a flood is counted before any body is read.
  const signups = signupLimit(deps.clock);
  app.post('/subscribe', signups);
  app.post('/resubscribe/:token', signups);
  app.post('/vote/*', voteLimit(deps.clock));
  app.use(bodyLimits());

  app.route('/', createHealthRoutes(deps));
  app.route('/', createSubscribeRoutes({ ...deps, tasks }));
  app.route('/', createReaderLinkRoutes(deps));
  app.route('/', createWebhookRoutes(deps));
  app.route('/', createEditionRoutes(deps));
  app.route('/', createFeedRoutes(deps));
  app.route('/admin', createAdminApp({ ...deps, tasks }));
  app.route('/', createVoteRoutes(deps));

  app.notFound((c) => c.html(errorPage('Not found', 'There is nothing at this address.'), 404));
  app.onError(errorAnswer(deps.log));
  return app;
}
