// The editor console at /admin (docs/editorial.md): sign-in by emailed link, then the upcoming edition, past
// editions, subscribers and comparisons. Every action calls the same service as the CLI; the routes only
// read forms, check who is asking, and show the outcome.
import { type Context, Hono, type Next } from 'hono';
import { csrf } from 'hono/csrf';
import type { BackgroundTasks } from '../../adapters/background-tasks.js';
import { listEditions } from '../../adapters/edition-repository.js';
import {
  movedOrder,
  returnPath,
  SIGN_IN_CLIENT_WINDOW_MINUTES,
  SIGN_IN_REQUESTS_PER_CLIENT,
} from '../../domain/console.js';
import { checkEmailAddress } from '../../domain/email-address.js';
import { parseWeekKey, requireWeek, weekLabel } from '../../domain/weeks.js';
import { comparisonListing } from '../../services/comparison-listing.js';
import {
  approve,
  type DraftChange,
  defaultDraftWeek,
  holdItem,
  type Refusal,
  releaseItem,
  setNote,
  setOrder,
  setSubject,
  unapprove,
  viewDraft,
} from '../../services/draft.js';
import {
  type EditorSession,
  leaveMessage,
  openSession,
  requestSignIn,
  signIn,
  signInLinkStatus,
  signOut,
} from '../../services/editor-sign-in.js';
import { engagementStats } from '../../services/engagement.js';
import { planEdition } from '../../services/plan-edition.js';
import { renderCopy, sendTestCopy } from '../../services/review-copies.js';
import { findSubscribers, subscriberOverview } from '../../services/subscriber-overview.js';
import type { WebDeps } from '../app.js';
import { clientAddress, createClientLimiter } from '../client-limiter.js';
import { upcomingPage } from './draft-page.js';
import { comparisonsPage, editionsPage, subscribersPage } from './report-pages.js';
import {
  clearSessionCookie,
  FORM_TOKEN_FIELD,
  sessionCookie,
  sessionFormToken,
  sessionFormTokenValid,
  setSessionCookie,
  signInFormToken,
  signInFormTokenValid,
} from './session.js';
import type { Flash, Shell } from './shell.js';
import {
  consoleOffPage,
  refusedPage,
  signInLinkPage,
  signInLinkProblemPage,
  signInRequestPage,
  signInSentPage,
} from './sign-in-pages.js';

type AdminEnv = { Variables: { session: EditorSession } };
type AdminContext = Context<AdminEnv>;

const STALE_FORM =
  'This form has expired or did not come from the console: go back, reload the page and try again. Nothing was changed.';

/** The form's string fields (Hono caches the parsed body, so reading it twice costs nothing). */
async function formFields(c: Context): Promise<Record<string, string>> {
  const body = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
  return Object.fromEntries(
    Object.entries(body).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
}

function readFlash(stored: string | null): Flash | undefined {
  if (stored === null) return undefined;
  try {
    return JSON.parse(stored) as Flash;
  } catch {
    return undefined;
  }
}

/** The categories of a week's comparisons: each one is a variant readers following only it get. */
function categoriesOf(items: readonly { readonly categories: readonly string[] }[]): string[] {
  return [...new Set(items.flatMap((item) => item.categories))].sort((a, b) => a.localeCompare(b));
}

export function createAdminApp(deps: WebDeps & { readonly tasks: BackgroundTasks }): Hono<AdminEnv> {
  const { db, config, tasks } = deps;
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
  const shellOf = (session: EditorSession): Shell => ({
    editor: session.editor,
    formToken: sessionFormToken(config, session),
    flash: readFlash(session.flash),
  });
  const refuse = (c: Context, message: string) => c.html(refusedPage('Refused', message), 403);

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

  // Sign-in: the only console pages open without a session.
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

  // Everything else needs an open session, and every POST the session's form token.
  admin.use(async (c: AdminContext, next: Next) => {
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
  });

  const weekParameter = async (value: string | undefined): Promise<string | { error: string }> => {
    if (value === undefined || value.trim() === '') return defaultDraftWeek(deps);
    const parsed = parseWeekKey(value);
    return 'error' in parsed ? { error: `${parsed.error}.` } : value.trim();
  };

  /** Which page of a week's items to show: a positive whole number, anything else the first. */
  const pageParameter = (value: string | undefined): number => {
    const page = Number(value);
    return Number.isSafeInteger(page) && page > 0 ? page : 1;
  };

  admin.get('/', async (c) => {
    const week = await weekParameter(c.req.query('week'));
    if (typeof week !== 'string') return c.html(refusedPage('No such week', week.error), 400);
    const view = await viewDraft(deps, week);
    const items = view.kind === 'draft' ? view.plan.items.map((item) => item.view) : view.items;
    const as = c.req.query('as')?.trim() || undefined;
    const category = as ? undefined : c.req.query('category') || undefined;
    const query = new URLSearchParams({ week, ...(as ? { as } : category ? { category } : {}) });
    return c.html(
      upcomingPage({
        shell: shellOf(c.get('session')),
        view,
        timeZone: config.timeZone,
        preview: { categories: categoriesOf(items), category, as, query: query.toString() },
        page: pageParameter(c.req.query('page')),
      }),
    );
  });

  // The email exactly as the chosen reader would get it, as a review copy: framed by /admin only.
  admin.get('/preview', async (c) => {
    const week = await weekParameter(c.req.query('week'));
    if (typeof week !== 'string') return c.html(refusedPage('No such week', week.error), 400);
    const copy = await renderCopy(deps, week, {
      as: c.req.query('as')?.trim() || undefined,
      category: c.req.query('category') || undefined,
    });
    if (!copy.ok) return c.html(refusedPage('Nothing to show', copy.reason), 400);
    return c.html(copy.html);
  });

  /** A form that changes the draft: the outcome is left for the next page, which is the draft again. */
  const draftAction = (
    path: string,
    act: (
      week: string,
      body: Record<string, string>,
      session: EditorSession,
    ) => Promise<DraftChange | Refusal>,
  ) =>
    admin.post(path, async (c) => {
      const body = await formFields(c);
      const session = c.get('session');
      const week = await weekParameter(body.week);
      let flash: Flash;
      if (typeof week !== 'string') flash = { kind: 'error', text: week.error };
      else {
        const result = await act(week, body, session);
        flash = result.ok
          ? {
              kind: 'notice',
              text: result.approvalCleared
                ? `${result.message} The approval by ${result.approvalCleared.by} is cleared: any change to an approved draft clears it.`
                : result.message,
            }
          : { kind: 'error', text: result.reason };
      }
      await leaveMessage(deps, session, JSON.stringify(flash));
      const page = pageParameter(body.page);
      const back = page > 1 ? `&page=${page}#items` : '';
      return c.redirect(typeof week === 'string' ? `/admin?week=${week}${back}` : '/admin', 303);
    });

  draftAction('/draft/note', (week, body) => setNote(deps, week, body.note?.trim() ? body.note : null));
  draftAction('/draft/subject', (week, body) =>
    setSubject(deps, week, body.clear || !body.subject?.trim() ? null : body.subject),
  );
  draftAction('/draft/hold', (week, body) => holdItem(deps, week, body.slug ?? ''));
  draftAction('/draft/release', (week, body) => releaseItem(deps, week, body.slug ?? ''));
  draftAction('/draft/move', async (week, body) => {
    const slug = body.slug ?? '';
    const direction = body.direction === 'down' ? 'down' : 'up';
    const plan = await planEdition(deps, week);
    const order = movedOrder(
      plan.items.map((item) => item.view.slug),
      slug,
      direction,
    );
    if (order) return setOrder(deps, week, order);
    const included = plan.items.some((item) => item.view.slug === slug);
    return {
      ok: false,
      reason: included
        ? `${slug} is already ${direction === 'up' ? 'first' : 'last'}.`
        : `"${slug}" is not among the items of the ${week} draft.`,
    };
  });
  draftAction('/draft/approve', (week, _body, session) => approve(deps, week, session.editor));
  draftAction('/draft/unapprove', (week) => unapprove(deps, week));

  admin.post('/test-send', async (c) => {
    const body = await formFields(c);
    const session = c.get('session');
    const week = await weekParameter(body.week);
    const result =
      typeof week === 'string'
        ? await sendTestCopy(deps, week, { to: body.to ?? '', as: body.as?.trim() || undefined })
        : { ok: false as const, reason: week.error };
    const flash: Flash = result.ok
      ? { kind: 'notice', text: result.message }
      : { kind: 'error', text: result.reason };
    await leaveMessage(deps, session, JSON.stringify(flash));
    return c.redirect(typeof week === 'string' ? `/admin?week=${week}` : '/admin', 303);
  });

  admin.post('/sign-out', async (c) => {
    await signOut(deps, c.get('session'));
    clearSessionCookie(c, config);
    return c.redirect('/admin/login?signed-out', 303);
  });

  admin.get('/editions', async (c) => {
    const stats = new Map((await engagementStats({ db })).map((entry) => [entry.week, entry]));
    const editions = (await listEditions(db)).flatMap((edition) => {
      const figures = stats.get(edition.week_key);
      return figures
        ? [
            {
              weekKey: edition.week_key,
              label: weekLabel(requireWeek(edition.week_key)),
              status: edition.status,
              subject: edition.subject,
              reason: edition.reason,
              approvedBy: edition.approved_by,
              finishedAt: edition.finished_at,
              stats: figures,
            },
          ]
        : [];
    });
    return c.html(editionsPage({ shell: shellOf(c.get('session')), editions, timeZone: config.timeZone }));
  });

  admin.get('/subscribers', async (c) => {
    const query = (c.req.query('q') ?? '').trim();
    return c.html(
      subscribersPage({
        shell: shellOf(c.get('session')),
        overview: await subscriberOverview(deps),
        query,
        found: await findSubscribers(deps, query),
        timeZone: config.timeZone,
      }),
    );
  });

  admin.get('/comparisons', async (c) =>
    c.html(
      comparisonsPage({
        shell: shellOf(c.get('session')),
        comparisons: await comparisonListing(deps),
        timeZone: config.timeZone,
      }),
    ),
  );

  return admin;
}
