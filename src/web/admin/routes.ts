// The editor console at /admin (docs/editorial.md): sign-in by emailed link, then the upcoming edition, past
// editions, subscribers and comparisons. Every action calls the same service as the CLI; the routes only
// read forms, check who is asking, and show the outcome. The checks every console request passes run here in
// order (no caching, the console switched on, the sign-in limit, the Origin check, then the session for all
// but the sign-in pages); each resource's routes are a sub-app mounted between them with app.route().
import { Hono } from 'hono';
import { csrf } from 'hono/csrf';
import type { BackgroundTasks } from '../../adapters/background-tasks.js';
import { SIGN_IN_CLIENT_WINDOW_MINUTES, SIGN_IN_REQUESTS_PER_CLIENT } from '../../domain/console.js';
import type { WebDeps } from '../app.js';
import { clientAddress, createClientLimiter } from '../client-limiter.js';
import { type AdminEnv, refuse, STALE_FORM } from './console-request.js';
import { createDraftRoutes } from './draft-routes.js';
import { createReportRoutes } from './report-routes.js';
import { createSignInRoutes, createSignOutRoutes, requireSession } from './session-routes.js';
import { consoleOffPage, refusedPage } from './sign-in-pages.js';

export function createAdminApp(deps: WebDeps & { readonly tasks: BackgroundTasks }): Hono<AdminEnv> {
  const { config } = deps;
  const admin = new Hono<AdminEnv>();
  const signIns = createClientLimiter(
    deps.clock,
    SIGN_IN_REQUESTS_PER_CLIENT,
    SIGN_IN_CLIENT_WINDOW_MINUTES * 60_000,
  );
  const publicOrigin = new URL(config.publicUrl).origin;
  // Hono's own check of Origin (and Sec-Fetch-Site): a form posted from another site is refused before the
  // session or its token are looked at. Behind a proxy the request URL is the proxy's, so the public
  // address counts as this site too.
  const originCheck = csrf({
    origin: (origin, c) => origin === publicOrigin || origin === new URL(c.req.url).origin,
  });

  admin.use(async (c, next) => {
    await next();
    // Pages with subscribers' addresses and consent records stay out of every cache.
    c.header('Cache-Control', 'no-store');
  });

  admin.use(async (c, next) => {
    if (config.editors.length === 0) return c.html(consoleOffPage(), 404);
    await next();
  });

  // Counted before anything reads the body, like sign-ups: a flood costs as little as possible.
  admin.post('/login', async (c, next) => {
    const wait = signIns.hit(clientAddress(c));
    if (wait === undefined) return next();
    c.header('Retry-After', String(wait));
    return c.html(
      refusedPage(
        'Too many requests',
        `Too many sign-in requests from your network. Try again in ${Math.ceil(wait / 60)} minutes.`,
      ),
      429,
    );
  });

  admin.use(async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    let sameSite = false;
    await originCheck(c, async () => {
      sameSite = true;
    }).catch(() => undefined);
    if (!sameSite) return refuse(c, STALE_FORM);
    return next();
  });

  admin.route('/', createSignInRoutes(deps));
  admin.use(requireSession(deps));
  admin.route('/', createDraftRoutes(deps));
  admin.route('/', createSignOutRoutes(deps));
  admin.route('/', createReportRoutes(deps));

  return admin;
}
