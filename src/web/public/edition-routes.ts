// The archive (/editions) and each sent edition's web version (/editions/<week>).
import { Hono } from 'hono';
import { etag } from 'hono/etag';
import { createWebVersions, renderEditionWebVersion } from '../../services/web-version.js';
import type { WebDeps } from '../app.js';
import { errorPage } from '../pages.js';
import { archivePage } from './archive-page.js';
import { editionNavigation, NAVIGATION_BEFORE, readersTallyLine } from './edition-page.js';
import { sentEditions } from './sent-editions.js';

// Caches may keep a web version for an hour and then revalidate it with its ETag (a 304 costs nothing).
const WEB_VERSION_CACHE_CONTROL = 'public, max-age=3600';

export function createEditionRoutes(deps: WebDeps): Hono {
  const { db, config } = deps;
  const app = new Hono();
  const webVersions = createWebVersions(deps);

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

  return app;
}
