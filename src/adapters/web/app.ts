// The web side (SPEC section 8) as a Hono app: sign-up with double opt-in, one-click unsubscribe,
// preferences, Resend webhooks, and the archive with its feed.
import { getConnInfo } from '@hono/node-server/conninfo';
import { type Context, Hono } from 'hono';
import type { Config } from '../../config.js';
import type { Clock } from '../../domain/clock.js';
import { defaultSubject } from '../../domain/digest.js';
import { recipientLinks } from '../../domain/digest-message.js';
import { parseWeekKey, requireWeek, weekLabel } from '../../domain/weeks.js';
import { editionSummaryHtml, renderWebVersion } from '../../services/digest-renderer.js';
import { confirm, subscribe, unsubscribe, updatePreferences } from '../../services/opt-in.js';
import { handleResendWebhook } from '../../services/webhook-events.js';
import { knownCategories } from '../comparison-repository.js';
import type { Db } from '../database.js';
import { findEdition, listEditions, loadEditionItems } from '../edition-repository.js';
import type { Logger } from '../logger.js';
import { findSubscriberByToken, subscriberCategories } from '../subscriber-repository.js';
import type { Transport } from '../transport.js';
import { createClientLimiter } from './client-limiter.js';
import { FEED_ITEMS, rssFeed } from './feed.js';
import {
  archivePage,
  checkInboxPage,
  confirmedPage,
  errorPage,
  preferencesPage,
  signupPage,
  unsubscribeConfirmPage,
  unsubscribedPage,
} from './pages.js';

export interface WebDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly config: Config;
  readonly transport: Transport;
  readonly log: Logger;
}

const BAD_LINK =
  'This link is not valid. It may have been mistyped, or it belongs to an address that was erased.';

function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown'; // app.request() in tests has no socket
  }
}

/** Form fields or JSON, whichever the client sent; categories may repeat in a form. */
async function readSubscription(
  c: Context,
): Promise<{ email: string; categories: string[]; form: string; json: boolean }> {
  if ((c.req.header('content-type') ?? '').includes('application/json')) {
    const body = (await c.req.json().catch(() => ({}))) as { email?: unknown; categories?: unknown };
    const categories = Array.isArray(body.categories)
      ? body.categories.filter((entry): entry is string => typeof entry === 'string')
      : [];
    return { email: typeof body.email === 'string' ? body.email : '', categories, form: 'api', json: true };
  }
  const body = await c.req.parseBody({ all: true }).catch(() => ({}) as Record<string, unknown>);
  const field = (value: unknown) =>
    (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter(
      (entry): entry is string => typeof entry === 'string',
    );
  return {
    email: field(body.email)[0] ?? '',
    categories: field(body.categories),
    form: field(body.form)[0] ?? 'signup',
    json: false,
  };
}

async function sentEditions(db: Db) {
  return (await listEditions(db, ['sent'])).map((edition) => ({
    weekKey: edition.week_key,
    subject: edition.subject ?? edition.week_key,
    finishedAt: edition.finished_at ?? edition.planned_at,
  }));
}

export function createApp(deps: WebDeps): Hono {
  const { db, config } = deps;
  const app = new Hono();
  const signups = createClientLimiter(deps.clock, 5, 10 * 60_000);

  app.use(async (c, next) => {
    await next();
    // No scripts anywhere; forms post only here; tokens in URLs never leak through Referer.
    c.header(
      'Content-Security-Policy',
      "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
  });

  app.get('/healthz', async (c) => {
    await db.selectFrom('editions').select('id').limit(1).execute();
    return c.json({ status: 'ok' });
  });

  app.get('/', async (c) =>
    c.html(signupPage({ categories: await knownCategories(db), editions: await sentEditions(db) })),
  );

  app.post('/subscribe', async (c) => {
    const input = await readSubscription(c);
    const wait = signups.hit(clientAddress(c));
    if (wait !== undefined) {
      c.header('Retry-After', String(wait));
      return input.json
        ? c.json({ status: 'rate_limited', retryAfterSeconds: wait }, 429)
        : c.html(
            errorPage(
              'Too many requests',
              `Too many sign-ups from your network. Try again in ${Math.ceil(wait / 60)} minutes.`,
            ),
            429,
          );
    }
    const result = await subscribe(deps, {
      email: input.email,
      categories: input.categories,
      form: input.form,
      consent: { ip: clientAddress(c), userAgent: c.req.header('user-agent') },
    });
    if (result.status === 'invalid') {
      if (input.json) return c.json({ status: 'invalid', reason: result.reason }, 400);
      return c.html(
        signupPage({
          categories: await knownCategories(db),
          editions: await sentEditions(db),
          error: result.reason,
          email: input.email,
        }),
        400,
      );
    }
    return input.json
      ? c.json({ status: 'ok', message: 'If that address can subscribe, a confirmation link is on its way.' })
      : c.html(checkInboxPage());
  });

  app.get('/confirm', async (c) => {
    const result = await confirm(deps, c.req.query('token') ?? '');
    if (result.status === 'confirmed')
      return c.html(confirmedPage(recipientLinks(config.publicUrl, result.subscriber.token).preferencesUrl));
    const message =
      result.status === 'expired'
        ? 'This confirmation link has expired (links work for 72 hours). Sign up again to get a new one.'
        : 'This confirmation link is not valid or has already been used.';
    return c.html(errorPage('Link not valid', message), 400);
  });

  // RFC 8058: GET only shows a button (mail scanners fetch every link); POST unsubscribes at once.
  app.get('/unsubscribe/:token', async (c) => {
    const token = c.req.param('token');
    if (!(await findSubscriberByToken(db, token))) return c.html(errorPage('Link not valid', BAD_LINK), 400);
    return c.html(unsubscribeConfirmPage(`/unsubscribe/${encodeURIComponent(token)}`));
  });

  app.post('/unsubscribe/:token', async (c) => {
    // The body (List-Unsubscribe=One-Click, urlencoded or multipart, or nothing) needs no reading: the
    // POST itself is the request. No redirect and no cookie, as mail providers' one-click requires.
    if (!(await unsubscribe(deps, c.req.param('token'))))
      return c.html(errorPage('Link not valid', BAD_LINK), 400);
    return c.html(unsubscribedPage());
  });

  const preferences = async (c: Context, saved: string[] | undefined) => {
    const token = c.req.param('token') ?? '';
    const subscriber = await findSubscriberByToken(db, token);
    if (!subscriber) return c.html(errorPage('Link not valid', BAD_LINK), 400);
    const links = recipientLinks('', token);
    return c.html(
      preferencesPage({
        action: `/preferences/${encodeURIComponent(token)}`,
        unsubscribeUrl: links.unsubscribeUrl,
        categories: await knownCategories(db),
        selected: saved ?? subscriberCategories(subscriber),
        saved: saved !== undefined,
      }),
    );
  };
  app.get('/preferences/:token', (c) => preferences(c, undefined));
  app.post('/preferences/:token', async (c) => {
    const { categories } = await readSubscription(c);
    const saved = await updatePreferences(deps, c.req.param('token'), categories);
    if (!saved) return c.html(errorPage('Link not valid', BAD_LINK), 400);
    return preferences(c, saved);
  });

  app.post('/webhooks/resend', async (c) => {
    const result = await handleResendWebhook(
      { db, clock: deps.clock, secret: config.resendWebhookSecret },
      await c.req.text(),
      {
        id: c.req.header('svix-id'),
        timestamp: c.req.header('svix-timestamp'),
        signature: c.req.header('svix-signature'),
      },
    );
    if (result.status === 'not configured') return c.json({ error: 'RESEND_WEBHOOK_SECRET is not set' }, 503);
    if (result.status === 'unauthorized') {
      deps.log.warn('webhook.rejected', { reason: result.reason });
      return c.json({ error: 'invalid signature' }, 401);
    }
    deps.log.info('webhook', { type: result.type, outcome: result.status });
    return c.json({ status: result.status });
  });

  app.get('/editions', async (c) => c.html(archivePage(await sentEditions(db))));

  app.get('/editions/:week', async (c) => {
    const weekKey = c.req.param('week');
    const edition = 'error' in parseWeekKey(weekKey) ? undefined : await findEdition(db, weekKey);
    if (edition?.status !== 'sent')
      return c.html(errorPage('No such edition', `There is no sent edition for "${weekKey}".`), 404);
    const comparisons = await loadEditionItems(db, edition.id);
    return c.html(
      await renderWebVersion(config, {
        weekKey,
        weekLabel: weekLabel(requireWeek(weekKey)),
        subject: edition.subject ?? defaultSubject(comparisons),
        comparisons,
        followedCategories: [],
      }),
    );
  });

  app.get('/feed.xml', async (c) => {
    // Each item carries its edition's contents, so the feed holds the newest editions only.
    const editions = (await listEditions(db, ['sent'])).slice(0, FEED_ITEMS);
    const items = [];
    for (const edition of editions) {
      const weekKey = edition.week_key;
      const comparisons = await loadEditionItems(db, edition.id);
      items.push({
        title: edition.subject ?? defaultSubject(comparisons),
        link: `${config.publicUrl}/editions/${weekKey}`,
        published: new Date(edition.finished_at ?? edition.planned_at),
        description: editionSummaryHtml(config, {
          weekKey,
          weekLabel: weekLabel(requireWeek(weekKey)),
          comparisons,
        }),
      });
    }
    c.header('Content-Type', 'application/rss+xml; charset=utf-8');
    return c.body(
      rssFeed(
        {
          title: 'Weekly AI Tool Verdicts',
          link: `${config.publicUrl}/`,
          description: 'The weekly digest of AI tool comparisons.',
        },
        items,
      ),
    );
  });

  app.notFound((c) => c.html(errorPage('Not found', 'There is nothing at this address.'), 404));
  app.onError((error, c) => {
    deps.log.error('web.error', { path: c.req.path, error: String(error) });
    return c.html(errorPage('Something went wrong', 'Please try again in a moment.'), 500);
  });
  return app;
}
