// The RSS feed of recent editions, and robots.txt, which names the feed as the site's sitemap.
import { Hono } from 'hono';
import { listEditions } from '../../adapters/edition-repository.js';
import { loadEditionExcerpt } from '../../adapters/web-version-repository.js';
import { notModified } from '../../domain/conditional-request.js';
import { defaultSubject } from '../../domain/digest.js';
import { requireWeek, weekLabel } from '../../domain/weeks.js';
import { editionSummaryHtml } from '../../services/digest-renderer.js';
import { entityTag } from '../../services/web-version.js';
import type { WebDeps } from '../app.js';
import { FEED_ITEM_LINES, FEED_ITEMS, rssFeed } from './feed.js';

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

/** The feed, built again only when the sent editions it lists changed. */
function createFeedBuilder({ db, config }: Pick<WebDeps, 'db' | 'config'>): () => Promise<BuiltFeed> {
  let feed: BuiltFeed | undefined;
  return async () => {
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
}

export function createFeedRoutes(deps: Pick<WebDeps, 'db' | 'config'>): Hono {
  const app = new Hono();
  const buildFeed = createFeedBuilder(deps);

  app.get('/robots.txt', (c) => c.text(robotsTxt(deps.config.publicUrl)));

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

  return app;
}
