// The personal links in every email (docs/consent.md): unsubscribe, subscribe again, and preferences. Each
// carries the reader's token; a token that matches nobody gets the same "not valid" page everywhere.
import { type Context, Hono } from 'hono';
import { knownCategories } from '../../adapters/comparison-repository.js';
import { findSubscriberByToken, subscriberCategories } from '../../adapters/subscriber-repository.js';
import { recipientLinks } from '../../domain/digest-message.js';
import { linkEdition } from '../../domain/unsubscribe-attribution.js';
import { resubscribe, unsubscribe, updatePreferences } from '../../services/opt-in.js';
import type { WebDeps } from '../app.js';
import { errorPage } from '../pages.js';
import { checkInboxPage } from './signup-pages.js';
import { readSubscription } from './subscription-form.js';
import {
  alreadySubscribedPage,
  notSubscribedPage,
  preferencesPage,
  unsubscribeConfirmPage,
  unsubscribedPage,
} from './subscription-pages.js';

const BAD_LINK =
  'This link is not valid. It may have been mistyped, or it belongs to an address that was erased.';

const resubscribeAction = (token: string) => `/resubscribe/${encodeURIComponent(token)}`;

export function createReaderLinkRoutes(deps: WebDeps): Hono {
  const { db } = deps;
  const app = new Hono();

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

  return app;
}
