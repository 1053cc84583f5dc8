// Signing in to the console by emailed link (docs/editorial.md), the session check every other console
// route is behind, and signing out.
import { Hono, type MiddlewareHandler } from 'hono';
import type { BackgroundTasks } from '../../adapters/background-tasks.js';
import { returnPath } from '../../domain/console.js';
import { checkEmailAddress } from '../../domain/email-address.js';
import {
  openSession,
  requestSignIn,
  signIn,
  signInLinkStatus,
  signOut,
} from '../../services/editor-sign-in.js';
import type { WebDeps } from '../app.js';
import { type AdminEnv, formFields, refuse, STALE_FORM } from './console-request.js';
import {
  clearSessionCookie,
  FORM_TOKEN_FIELD,
  sessionCookie,
  sessionFormTokenValid,
  setSessionCookie,
  signInFormToken,
  signInFormTokenValid,
} from './session.js';
import {
  refusedPage,
  signInLinkPage,
  signInLinkProblemPage,
  signInRequestPage,
  signInSentPage,
} from './sign-in-pages.js';

/** The only console pages open without a session: asking for a sign-in link, and using it. */
export function createSignInRoutes(deps: WebDeps & { readonly tasks: BackgroundTasks }): Hono<AdminEnv> {
  const { config, tasks } = deps;
  const admin = new Hono<AdminEnv>();

  admin.get('/login', async (c) => {
    const next = returnPath(c.req.query('next'));
    if (await openSession(deps, sessionCookie(c))) return c.redirect(next, 303);
    return c.html(
      signInRequestPage({
        formToken: signInFormToken(c, config),
        next,
        signedOut: c.req.query('signed-out') !== undefined,
      }),
    );
  });

  admin.post('/login', async (c) => {
    const body = await formFields(c);
    if (!signInFormTokenValid(c, config, body[FORM_TOKEN_FIELD] ?? '')) return refuse(c, STALE_FORM);
    const next = returnPath(body.next);
    const address = checkEmailAddress(body.email ?? '');
    if (!address.ok) {
      return c.html(
        signInRequestPage({
          formToken: signInFormToken(c, config),
          next,
          email: body.email,
          error: `That is not an email address: ${address.reason}.`,
        }),
        400,
      );
    }
    // Answer first, then look the address up and send: the same answer, in the same time, for any address.
    tasks.run('console-sign-in', () => requestSignIn(deps, address.email, next));
    return c.html(signInSentPage());
  });

  // Link scanners fetch every link in an email: the GET only shows a button, the POST signs in.
  admin.get('/sign-in', async (c) => {
    const token = c.req.query('token') ?? '';
    const state = await signInLinkStatus(deps, token);
    if (state !== 'valid') return c.html(signInLinkProblemPage(state), 400);
    return c.html(signInLinkPage({ token, formToken: signInFormToken(c, config) }));
  });

  admin.post('/sign-in', async (c) => {
    const body = await formFields(c);
    if (!signInFormTokenValid(c, config, body[FORM_TOKEN_FIELD] ?? '')) return refuse(c, STALE_FORM);
    const result = await signIn(deps, body.token ?? '');
    if (!result.ok) return c.html(signInLinkProblemPage(result.state), 400);
    setSessionCookie(c, config, result.sessionToken);
    return c.redirect(result.returnTo, 303);
  });

  return admin;
}

/**
 * Everything after it needs an open session, and every POST the session's form token. Without a session a
 * page sends the browser to sign in (and back here afterwards); a form is refused, changing nothing.
 */
export function requireSession(deps: WebDeps): MiddlewareHandler<AdminEnv> {
  const { config } = deps;
  return async (c, next) => {
    const session = await openSession(deps, sessionCookie(c));
    if (!session) {
      if (c.req.method !== 'GET') {
        return c.html(
          refusedPage('Signed out', 'Your session has ended; sign in again. Nothing was changed.', true),
          403,
        );
      }
      const url = new URL(c.req.url);
      return c.redirect(
        `/admin/login?next=${encodeURIComponent(returnPath(url.pathname + url.search))}`,
        303,
      );
    }
    if (
      c.req.method !== 'GET' &&
      !sessionFormTokenValid(config, session, (await formFields(c))[FORM_TOKEN_FIELD] ?? '')
    ) {
      return refuse(c, STALE_FORM);
    }
    c.set('session', session);
    return next();
  };
}

export function createSignOutRoutes(deps: WebDeps): Hono<AdminEnv> {
  const admin = new Hono<AdminEnv>();
  admin.post('/sign-out', async (c) => {
    await signOut(deps, c.get('session'));
    clearSessionCookie(c, deps.config);
    return c.redirect('/admin/login?signed-out', 303);
  });
  return admin;
}
