// What every console route reads from a request: the form's fields, the week and page asked for, and the
// shell (editor, form token, the last action's message) every signed-in page is drawn in.
import type { Context } from 'hono';
import type { Config } from '../../config.js';
import { parseWeekKey } from '../../domain/weeks.js';
import { defaultDraftWeek } from '../../services/draft.js';
import type { EditorSession } from '../../services/editor-sign-in.js';
import type { WebDeps } from '../app.js';
import { sessionFormToken } from './session.js';
import type { Flash, Shell } from './shell.js';
import { refusedPage } from './sign-in-pages.js';

/** The console's routes after the session check find the editor's session here. */
export type AdminEnv = { Variables: { session: EditorSession } };
export type AdminContext = Context<AdminEnv>;

export const STALE_FORM =
  'This form has expired or did not come from the console: go back, reload the page and try again. Nothing was changed.';

/** The form's string fields (Hono caches the parsed body, so reading it twice costs nothing). */
export async function formFields(c: Context): Promise<Record<string, string>> {
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

export const shellOf = (config: Pick<Config, 'secret'>, session: EditorSession): Shell => ({
  editor: session.editor,
  formToken: sessionFormToken(config, session),
  flash: readFlash(session.flash),
});

export const refuse = (c: Context, message: string) => c.html(refusedPage('Refused', message), 403);

/** The week a page or form names (default: the draft's week), or why it names none. */
export async function weekParameter(
  deps: WebDeps,
  value: string | undefined,
): Promise<string | { error: string }> {
  if (value === undefined || value.trim() === '') return defaultDraftWeek(deps);
  const parsed = parseWeekKey(value);
  return 'error' in parsed ? { error: `${parsed.error}.` } : value.trim();
}

/** Which page of a week's items to show: a positive whole number, anything else the first. */
export function pageParameter(value: string | undefined): number {
  const page = Number(value);
  return Number.isSafeInteger(page) && page > 0 ? page : 1;
}
