// Signing up (docs/consent.md): the home page's form, POST /subscribe, and the confirmation link, whose
// page only reads and whose form's POST confirms.
import { type Context, Hono } from 'hono';
import type { SubscriberRow } from '../../../db/schema.js';
import type { BackgroundTasks } from '../../adapters/background-tasks.js';
import { knownCategories } from '../../adapters/comparison-repository.js';
import { recipientLinks } from '../../domain/digest-message.js';
import { checkEmailAddress } from '../../domain/email-address.js';
import { type ConfirmationState, confirm, confirmationState, subscribe } from '../../services/opt-in.js';
import type { WebDeps } from '../app.js';
import { clientAddress } from '../client-limiter.js';
import { errorPage } from '../pages.js';
import { sentEditions } from './sent-editions.js';
import {
  checkInboxPage,
  confirmationExpiredPage,
  confirmedPage,
  confirmPage,
  signupPage,
} from './signup-pages.js';
import { readSubscription } from './subscription-form.js';

export function createSubscribeRoutes(deps: WebDeps & { readonly tasks: BackgroundTasks }): Hono {
  const { db, config, tasks } = deps;
  const app = new Hono();

  app.get('/', async (c) =>
    c.html(
      signupPage({
        categories: await knownCategories(db),
        editions: await sentEditions(db),
        canonicalUrl: `${config.publicUrl}/`,
      }),
    ),
  );

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

  return app;
}
