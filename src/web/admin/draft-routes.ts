// The upcoming edition in the console (docs/editorial.md): its page, the email as any reader would get it,
// and the forms that change the draft, approve it or send a test. Each form leaves its outcome for the next
// page, which is the draft again.
import { Hono } from 'hono';
import { movedOrder } from '../../domain/console.js';
import {
  approve,
  type DraftChange,
  holdItem,
  type Refusal,
  releaseItem,
  setNote,
  setOrder,
  setSubject,
  unapprove,
  viewDraft,
} from '../../services/draft.js';
import { type EditorSession, leaveMessage } from '../../services/editor-sign-in.js';
import { planEdition } from '../../services/plan-edition.js';
import { renderCopy, sendTestCopy } from '../../services/review-copies.js';
import type { WebDeps } from '../app.js';
import {
  type AdminContext,
  type AdminEnv,
  formFields,
  pageParameter,
  shellOf,
  weekParameter,
} from './console-request.js';
import { upcomingPage } from './draft-page.js';
import type { Flash } from './shell.js';
import { refusedPage } from './sign-in-pages.js';

type DraftAct = (
  week: string,
  body: Record<string, string>,
  session: EditorSession,
) => Promise<DraftChange | Refusal>;

/** The categories of a week's comparisons: each one is a variant readers following only it get. */
function categoriesOf(items: readonly { readonly categories: readonly string[] }[]): string[] {
  return [...new Set(items.flatMap((item) => item.categories))].sort((a, b) => a.localeCompare(b));
}

/** A form that changes the draft: the outcome is left for the next page, which is the draft again. */
function draftAction(deps: WebDeps, act: DraftAct) {
  return async (c: AdminContext) => {
    const body = await formFields(c);
    const session = c.get('session');
    const week = await weekParameter(deps, body.week);
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
  };
}

/** Moves an item one place up or down, fixing the order of every item shown. */
const moveItem =
  (deps: WebDeps): DraftAct =>
  async (week, body) => {
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
  };

/** A review copy to the addresses the form names; its outcome is left for the draft's page. */
const testSend = (deps: WebDeps) => async (c: AdminContext) => {
  const body = await formFields(c);
  const session = c.get('session');
  const week = await weekParameter(deps, body.week);
  const result =
    typeof week === 'string'
      ? await sendTestCopy(deps, week, { to: body.to ?? '', as: body.as?.trim() || undefined })
      : { ok: false as const, reason: week.error };
  const flash: Flash = result.ok
    ? { kind: 'notice', text: result.message }
    : { kind: 'error', text: result.reason };
  await leaveMessage(deps, session, JSON.stringify(flash));
  return c.redirect(typeof week === 'string' ? `/admin?week=${week}` : '/admin', 303);
};

export function createDraftRoutes(deps: WebDeps): Hono<AdminEnv> {
  const { config } = deps;
  const admin = new Hono<AdminEnv>();

  admin.get('/', async (c) => {
    const week = await weekParameter(deps, c.req.query('week'));
    if (typeof week !== 'string') return c.html(refusedPage('No such week', week.error), 400);
    const view = await viewDraft(deps, week);
    const items = view.kind === 'draft' ? view.plan.items.map((item) => item.view) : view.items;
    const as = c.req.query('as')?.trim() || undefined;
    const category = as ? undefined : c.req.query('category') || undefined;
    const query = new URLSearchParams({ week, ...(as ? { as } : category ? { category } : {}) });
    return c.html(
      upcomingPage({
        shell: shellOf(config, c.get('session')),
        view,
        timeZone: config.timeZone,
        preview: { categories: categoriesOf(items), category, as, query: query.toString() },
        page: pageParameter(c.req.query('page')),
      }),
    );
  });

  // The email exactly as the chosen reader would get it, as a review copy: framed by /admin only.
  admin.get('/preview', async (c) => {
    const week = await weekParameter(deps, c.req.query('week'));
    if (typeof week !== 'string') return c.html(refusedPage('No such week', week.error), 400);
    const copy = await renderCopy(deps, week, {
      as: c.req.query('as')?.trim() || undefined,
      category: c.req.query('category') || undefined,
    });
    if (!copy.ok) return c.html(refusedPage('Nothing to show', copy.reason), 400);
    return c.html(copy.html);
  });

  const action = (act: DraftAct) => draftAction(deps, act);
  admin.post(
    '/draft/note',
    action((week, body) => setNote(deps, week, body.note?.trim() ? body.note : null)),
  );
  admin.post(
    '/draft/subject',
    action((week, body) => setSubject(deps, week, body.clear || !body.subject?.trim() ? null : body.subject)),
  );
  admin.post(
    '/draft/hold',
    action((week, body) => holdItem(deps, week, body.slug ?? '')),
  );
  admin.post(
    '/draft/release',
    action((week, body) => releaseItem(deps, week, body.slug ?? '')),
  );
  admin.post('/draft/move', action(moveItem(deps)));
  admin.post(
    '/draft/approve',
    action((week, _body, session) => approve(deps, week, session.editor)),
  );
  admin.post(
    '/draft/unapprove',
    action((week) => unapprove(deps, week)),
  );
  admin.post('/test-send', testSend(deps));

  return admin;
}
