// The web side as a Hono app (docs/architecture.md): sign-up with double opt-in, one-click unsubscribe,
// preferences, Resend webhooks, and the archive with its feed.
import { type Context, Hono } from 'hono';
import { etag } from 'hono/etag';
import type { SubscriberRow } from '../../db/schema.js';
import { type BackgroundTasks, createBackgroundTasks } from '../adapters/background-tasks.js';
import { knownCategories } from '../adapters/comparison-repository.js';
import type { Db } from '../adapters/database.js';
import { listEditions } from '../adapters/edition-repository.js';
import type { Logger } from '../adapters/logger.js';
import { DatabaseBusyError } from '../adapters/storage-fault.js';
import { findSubscriberByToken, subscriberCategories } from '../adapters/subscriber-repository.js';
import type { Transport } from '../adapters/transport.js';
import { loadEditionExcerpt } from '../adapters/web-version-repository.js';
import type { Config } from '../config.js';
import type { Clock } from '../domain/clock.js';
import { notModified } from '../domain/conditional-request.js';
import { defaultSubject } from '../domain/digest.js';
import { recipientLinks } from '../domain/digest-message.js';
import { sentDay } from '../domain/edition-dates.js';
import { checkEmailAddress } from '../domain/email-address.js';
import { linkEdition } from '../domain/unsubscribe-attribution.js';
import { requireWeek, weekLabel } from '../domain/weeks.js';
import { editionSummaryHtml } from '../services/digest-renderer.js';
import {
  type ConfirmationState,
  confirm,
  confirmationState,
  resubscribe,
  subscribe,
  unsubscribe,
  updatePreferences,
} from '../services/opt-in.js';
import { createWebVersions, entityTag, renderEditionWebVersion } from '../services/web-version.js';
import { createWebhookReceiver } from '../services/webhook-events.js';
import { createAdminApp } from './admin/routes.js';
import { sizeLimit } from './body-size.js';
import { clientAddress, createClientLimiter } from './client-limiter.js';
import { compression } from './compression.js';
import {
  alreadySubscribedPage,
  archivePage,
  checkInboxPage,
  confirmationExpiredPage,
  confirmedPage,
  confirmPage,
  type EditionLink,
  errorPage,
  notSubscribedPage,
  preferencesPage,
  signupPage,
  unsubscribeConfirmPage,
  unsubscribedPage,
} from './pages.js';
import { editionNavigation, NAVIGATION_BEFORE, readersTallyLine } from './public/edition-page.js';
import { FEED_ITEM_LINES, FEED_ITEMS, rssFeed } from './public/feed.js';
import { createVoteRoutes } from './public/vote-routes.js';
import { contentSecurityPolicy } from './security-headers.js';

export interface WebDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly config: Config;
  readonly transport: Transport;
  readonly log: Logger;
  /** Where work that follows an answer runs (sign-up emails); the server drains it on shutdown. */
  readonly tasks?: BackgroundTasks;
}

// A sign-up or preferences form is a few hundred bytes; Resend's webhook events are a few KB. Anything
// larger is refused with 413 from its Content-Length, or as soon as a streamed body passes the limit,
// before it is read whole and before any database work (docs/operations.md, The web side's limits).
export const FORM_BODY_LIMIT = 16 * 1024;
export const WEBHOOK_BODY_LIMIT = 256 * 1024;

const resubscribeAction = (token: string) => `/resubscribe/${encodeURIComponent(token)}`;

// Caches may keep a web version for an hour and then revalidate it with its ETag (a 304 costs nothing).
const WEB_VERSION_CACHE_CONTROL = 'public, max-age=3600';

// A reader votes on two tools per comparison and may change their mind; an office behind one address has
// several readers. Past that, someone is trying links rather than pressing buttons.
const VOTES_PER_CLIENT = 60;
const VOTE_WINDOW_MS = 10 * 60_000;

const BAD_LINK =
  'This link is not valid. It may have been mistyped, or it belongs to an address that was erased.';

interface SubscriptionInput {
  readonly email: string;
  readonly categories: string[];
  readonly form: string;
  readonly json: boolean;
}

const isJson = (c: Context) => (c.req.header('content-type') ?? '').includes('application/json');

/**
 * Form fields or JSON, whichever the client sent; categories may repeat in a form. JSON that is not an
 * object (`null`, a number, an array, or no JSON at all) comes back as undefined: a 400, not a crash.
 */
async function readSubscription(c: Context): Promise<SubscriptionInput | undefined> {
  if (isJson(c)) {
    const body: unknown = await c.req.json().catch(() => undefined);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
    const { email, categories } = body as { email?: unknown; categories?: unknown };
    return {
      email: typeof email === 'string' ? email : '',
      categories: Array.isArray(categories)
        ? categories.filter((entry): entry is string => typeof entry === 'string')
        : [],
      form: 'api',
      json: true,
    };
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

async function sentEditions(db: Db): Promise<EditionLink[]> {
  return (await listEditions(db, ['sent'])).map((edition) => {
    const sentAt = new Date(edition.finished_at ?? edition.planned_at);
    return {
      weekKey: edition.week_key,
      subject: edition.subject ?? edition.week_key,
      weekLabel: weekLabel(requireWeek(edition.week_key)),
      // The day as the newsletter's readers saw it arrive: in the zone the edition was sent in.
      sent: { at: sentAt.toISOString(), day: sentDay(sentAt, edition.time_zone) },
    };
  });
}

// Crawlers may read the public pages; the personal links (confirmation, unsubscribe, preferences), the
// editor console and the webhook endpoint are no business of a search engine. RSS 2.0 is a sitemap format
// search engines accept, and the feed lists every recent edition's address.
const robotsTxt = (publicUrl: string) =>
  [
    'User-agent: *',
    'Allow: /',
    ...['/admin', '/confirm', '/unsubscribe', '/preferences', '/resubscribe', '/vote', '/webhooks'].map(
      (path) => `Disallow: ${path}`,
    ),
    '',
    `Sitemap: ${publicUrl}/feed.xml`,
    '',
  ].join('\n');

// Feed readers poll every few minutes; the feed changes once a week. They may keep it a quarter of an hour,
// then ask again with its ETag or Last-Modified and get a 304 until a new edition goes out.
const FEED_CACHE_CONTROL = 'public, max-age=900';

interface BuiltFeed {
  /** The editions it was built from (ids, send times and subjects): a new one, or one sent late, changes it. */
  readonly from: string;
  readonly body: string;
  readonly etag: string;
  readonly lastModified: Date | undefined;
}

export function createApp(deps: WebDeps): Hono {
  const { db, config } = deps;
  const app = new Hono();
  const signups = createClientLimiter(deps.clock, 5, 10 * 60_000);
  const voters = createClientLimiter(deps.clock, VOTES_PER_CLIENT, VOTE_WINDOW_MS);
  const webVersions = createWebVersions(deps);
  const receiveWebhook = createWebhookReceiver({ db, clock: deps.clock, secret: config.resendWebhookSecret });
  const tasks = deps.tasks ?? createBackgroundTasks(deps.log);
  const tooLarge = (c: Context) =>
    c.html(errorPage('Request too large', 'That request is larger than this page accepts.'), 413);
  const formLimit = sizeLimit({ maxSize: FORM_BODY_LIMIT, onError: tooLarge });
  const webhookLimit = sizeLimit({ maxSize: WEBHOOK_BODY_LIMIT, onError: tooLarge });

  const compressed = compression();
  // Public pages, the feed and robots.txt. The console is left alone: its pages carry CSRF tokens beside
  // text an editor typed, which over TLS is what compression-based guessing (BREACH) needs. The JSON API
  // is never compressed either, so its 304 must repeat its strong tag as it was sent, not a weakened one.
  const uncompressed = (path: string) =>
    path === '/admin' || path.startsWith('/admin/') || path.startsWith('/api/');
  app.use((c, next) => (uncompressed(c.req.path) ? next() : compressed(c, next)));

  app.use(async (c, next) => {
    await next();
    // No scripts anywhere; forms post only here; tokens in URLs never leak through Referer.
    c.header('Content-Security-Policy', contentSecurityPolicy(c.req.path));
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
  });

  const tooMany = (c: Context, wait: number, json: boolean) => {
    c.header('Retry-After', String(wait));
    return json
      ? c.json({ status: 'rate_limited', retryAfterSeconds: wait }, 429)
      : c.html(
          errorPage(
            'Too many requests',
            `Too many sign-ups from your network. Try again in ${Math.ceil(wait / 60)} minutes.`,
          ),
          429,
        );
  };

  // Sign-ups are counted before anything reads the body, the size check included: a flood costs this
  // server as little as possible, and a client that never finishes its body still gets its 429.
  const signupLimit = async (c: Context, next: () => Promise<void>) => {
    const wait = signups.hit(clientAddress(c));
    if (wait !== undefined) return tooMany(c, wait, isJson(c));
    await next();
  };
  app.post('/subscribe', signupLimit);
  app.post('/resubscribe/:token', signupLimit);
  // Votes are counted the same way, before the body check: a flood of guessed links costs one hit each.
  app.post('/vote/*', async (c, next) => {
    const wait = voters.hit(clientAddress(c));
    if (wait === undefined) return next();
    c.header('Retry-After', String(wait));
    c.header('Cache-Control', 'no-store');
    const minutes = Math.ceil(wait / 60);
    return c.html(
      errorPage('Too many requests', `Too many votes from your network. Try again in ${minutes} minutes.`),
      429,
    );
  });
  app.use((c, next) => (c.req.path.startsWith('/webhooks/') ? webhookLimit : formLimit)(c, next));

  app.get('/healthz', async (c) => {
    await db.selectFrom('editions').select('id').limit(1).execute();
    return c.json({ status: 'ok' });
  });

  app.get('/', async (c) =>
    c.html(
      signupPage({
        categories: await knownCategories(db),
        editions: await sentEditions(db),
        canonicalUrl: `${config.publicUrl}/`,
      }),
    ),
  );

  app.get('/robots.txt', (c) => c.text(robotsTxt(config.publicUrl)));

  app.post('/subscribe', async (c) => {
    const input = await readSubscription(c);
    if (!input) return c.json({ status: 'invalid', reason: 'the body must be a JSON object' }, 400);
    const checked = checkEmailAddress(input.email);
    if (!checked.ok) {
      if (input.json) return c.json({ status: 'invalid', reason: checked.reason }, 400);
      return c.html(
        signupPage({
          categories: await knownCategories(db),
          editions: await sentEditions(db),
          error: checked.reason,
          email: input.email,
        }),
        400,
      );
    }
    // Answer first, then look the address up and send: the answer takes the same time whether the address
    // is new, pending or already active (no timing oracle: docs/consent.md).
    const consent = { ip: clientAddress(c), userAgent: c.req.header('user-agent') };
    tasks.run('subscribe', () => subscribe(deps, { ...input, consent }));
    return input.json
      ? c.json({ status: 'ok', message: 'If that address can subscribe, a confirmation link is on its way.' })
      : c.html(checkInboxPage());
  });

  // Opening a confirmation link (GET, or a scanner's HEAD) only reads: the page's form confirms, by a POST
  // its own script sends as soon as a browser shows it. No-store: the page carries a live token.
  app.get('/confirm', async (c) => {
    const token = c.req.query('token') ?? '';
    const { state, subscriber } = await confirmationState(deps, token);
    c.header('Cache-Control', 'no-store');
    if (state === 'confirmable') return c.html(confirmPage(token));
    return confirmationAnswer(c, state, subscriber);
  });

  // The token comes in the body, so it never appears in an access log's request line. A same-origin form
  // POST needs no Origin check: the token itself is the secret, and the site's no-referrer policy makes
  // browsers send "Origin: null" on exactly this POST.
  app.post('/confirm', async (c) => {
    const body = await c.req.parseBody();
    const token = typeof body.token === 'string' ? body.token : '';
    const result = await confirm(deps, token);
    return confirmationAnswer(c, result.status, 'subscriber' in result ? result.subscriber : undefined);
  });

  const confirmationAnswer = (
    c: Context,
    state: 'confirmed' | ConfirmationState,
    subscriber: SubscriberRow | undefined,
  ) => {
    if ((state === 'confirmed' || state === 'subscribed') && subscriber)
      return c.html(confirmedPage(recipientLinks(config.publicUrl, subscriber.token).preferencesUrl));
    if (state === 'expired') return c.html(confirmationExpiredPage(), 400);
    return c.html(errorPage('Link not valid', 'This confirmation link is not valid.'), 400);
  };

  // RFC 8058: GET only shows a button (mail scanners fetch every link); POST unsubscribes at once. The
  // links' `e` (the edition they came from) is carried through the page, so the unsubscribe counts against it.
  app.get('/unsubscribe/:token', async (c) => {
    const token = c.req.param('token');
    const subscriber = await findSubscriberByToken(db, token);
    if (!subscriber) return c.html(errorPage('Link not valid', BAD_LINK), 400);
    if (subscriber.status !== 'active' && subscriber.status !== 'pending')
      return c.html(notSubscribedPage(subscriber.status, resubscribeAction(token)));
    return c.html(
      unsubscribeConfirmPage(recipientLinks('', token, linkEdition(c.req.query('e'))).unsubscribeUrl),
    );
  });

  app.post('/unsubscribe/:token', async (c) => {
    // The body (List-Unsubscribe=One-Click, urlencoded or multipart, or nothing) needs no reading: the
    // POST itself is the request. No redirect and no cookie, as mail providers' one-click requires.
    const token = c.req.param('token');
    if (!(await unsubscribe(deps, token, c.req.query('e'))))
      return c.html(errorPage('Link not valid', BAD_LINK), 400);
    return c.html(unsubscribedPage(resubscribeAction(token)));
  });

  // "Subscribe again" from an unsubscribed reader's pages: a new confirmation, like any sign-up.
  app.post('/resubscribe/:token', async (c) => {
    const token = c.req.param('token');
    const result = await resubscribe(deps, token);
    if (result.outcome === 'unknown') return c.html(errorPage('Link not valid', BAD_LINK), 400);
    if (result.outcome === 'confirmation sent') return c.html(checkInboxPage());
    if (result.status === 'active') return c.html(alreadySubscribedPage());
    return c.html(notSubscribedPage(result.status, resubscribeAction(token)), 409);
  });

  const preferences = async (c: Context, saved: string[] | undefined) => {
    const token = c.req.param('token') ?? '';
    const subscriber = await findSubscriberByToken(db, token);
    if (!subscriber) return c.html(errorPage('Link not valid', BAD_LINK), 400);
    const links = recipientLinks('', token, linkEdition(c.req.query('e')));
    return c.html(
      preferencesPage({
        action: links.preferencesUrl,
        unsubscribeUrl: links.unsubscribeUrl,
        categories: await knownCategories(db),
        selected: saved ?? subscriberCategories(subscriber),
        saved: saved !== undefined,
        status: subscriber.status,
        resubscribeAction: resubscribeAction(token),
      }),
    );
  };
  app.get('/preferences/:token', (c) => preferences(c, undefined));
  app.post('/preferences/:token', async (c) => {
    const categories = (await readSubscription(c))?.categories ?? [];
    const saved = await updatePreferences(deps, c.req.param('token'), categories);
    if (!saved) return c.html(errorPage('Link not valid', BAD_LINK), 400);
    return preferences(c, saved);
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

  app.get('/editions', async (c) =>
    c.html(archivePage(await sentEditions(db), `${config.publicUrl}/editions`)),
  );
  const fills = {
    navigation: { before: NAVIGATION_BEFORE, render: editionNavigation },
    readers: { render: readersTallyLine },
  };

  // Rendered once and served from storage: a sent edition never changes, and what does (the links to
  // other editions, readers' tallies) is put in as it is served, changing the tag. etag() answers 304 to a
  // client that already has this page.
  app.get('/editions/:week', etag(), async (c) => {
    const weekKey = c.req.param('week');
    const page = await webVersions.page(
      weekKey,
      (edition) => renderEditionWebVersion(db, config, edition),
      fills,
    );
    if (!page) return c.html(errorPage('No such edition', `There is no sent edition for "${weekKey}".`), 404);
    return c.body(page.body, 200, {
      'Content-Type': 'text/html; charset=UTF-8',
      ETag: page.etag,
      'Cache-Control': WEB_VERSION_CACHE_CONTROL,
    });
  });

  let feed: BuiltFeed | undefined;
  const buildFeed = async (): Promise<BuiltFeed> => {
    // Each item carries its edition's contents, so the feed holds the newest editions only.
    const editions = (await listEditions(db, ['sent'])).slice(0, FEED_ITEMS);
    const from = JSON.stringify(
      editions.map((edition) => [edition.id, edition.finished_at, edition.subject]),
    );
    if (feed?.from === from) return feed;
    const items = [];
    for (const edition of editions) {
      const weekKey = edition.week_key;
      // Twenty editions of a few comparisons each, but a week may carry thousands: each item lists its
      // first ones and counts the rest, which its web version shows.
      const { items: comparisons, total } = await loadEditionExcerpt(db, edition.id, FEED_ITEM_LINES);
      items.push({
        title: edition.subject ?? defaultSubject(comparisons, total),
        link: `${config.publicUrl}/editions/${weekKey}`,
        published: new Date(edition.finished_at ?? edition.planned_at),
        description: editionSummaryHtml(config, {
          weekKey,
          weekLabel: weekLabel(requireWeek(weekKey)),
          comparisons,
          total,
        }),
      });
    }
    // The channel last changed when its most recently sent edition went out (a late week may be older).
    const newest = Math.max(...items.map((item) => item.published.getTime()));
    const lastModified = items.length ? new Date(newest) : undefined;
    const body = rssFeed(
      {
        title: 'Weekly AI Tool Verdicts',
        link: `${config.publicUrl}/`,
        description: 'The weekly digest of AI tool comparisons.',
        self: `${config.publicUrl}/feed.xml`,
        lastBuildDate: lastModified,
      },
      items,
    );
    feed = { from, body, etag: entityTag(body), lastModified };
    return feed;
  };

  app.get('/feed.xml', async (c) => {
    const built = await buildFeed();
    c.header('ETag', built.etag);
    c.header('Cache-Control', FEED_CACHE_CONTROL);
    if (built.lastModified) c.header('Last-Modified', built.lastModified.toUTCString());
    const conditions = {
      ifNoneMatch: c.req.header('If-None-Match'),
      ifModifiedSince: c.req.header('If-Modified-Since'),
    };
    if (notModified(conditions, built)) return c.body(null, 304);
    c.header('Content-Type', 'application/rss+xml; charset=utf-8');
    return c.body(built.body);
  });

  app.route('/admin', createAdminApp({ ...deps, tasks }));
  app.route('/', createVoteRoutes(deps));

  app.notFound((c) => c.html(errorPage('Not found', 'There is nothing at this address.'), 404));
  app.onError((error, c) => {
    if (error instanceof DatabaseBusyError) {
      // Another process held the database for longer than a request should wait: ask the client to retry.
      c.header('Retry-After', '5');
      return c.html(errorPage('Busy', 'The service is busy. Please try again in a few seconds.'), 503);
    }
    // The route pattern, never the path: paths carry tokens (/unsubscribe/<token>).
    deps.log.error('web.error', { route: c.req.routePath, method: c.req.method, error: String(error) });
    return c.html(errorPage('Something went wrong', 'Please try again in a moment.'), 500);
  });
  return app;
}
