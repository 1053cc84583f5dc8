// The web version of a sent edition is static (docs/operations.md): it is rendered the first time anyone asks
// for it, stored in the database, and served from there with a strong ETag. A sent edition never changes,
// so nothing invalidates it; a page stored by an earlier template version stays as it was published. Each
// web process also keeps the pages it has served in memory, encoded, so a popular edition costs no query
// but one: the links to the previous and next editions change as later editions go out (or an older week
// is sent late), so they are looked up on each request and put into the stored page as it is served.
import { createHash } from 'node:crypto';
import type { EditionRow } from '../../db/schema.js';
import type { Db } from '../adapters/database.js';
import { findEdition } from '../adapters/edition-repository.js';
import {
  type EditionNeighbours,
  findWebVersion,
  loadEditionExcerpt,
  sentNeighbours,
  storeWebVersion,
} from '../adapters/web-version-repository.js';
import type { Config } from '../config.js';
import type { Clock } from '../domain/clock.js';
import { defaultSubject } from '../domain/digest.js';
import { parseWeekKey, requireWeek, weekLabel } from '../domain/weeks.js';
import { renderWebVersion } from './digest-renderer.js';
import { renderedNote } from './plan-edition.js';
import { readersVsPanelFor } from './votes.js';

export interface WebVersionDeps {
  readonly db: Db;
  readonly clock: Clock;
}

export interface WebVersionPage {
  readonly body: Uint8Array<ArrayBuffer>;
  readonly etag: string;
}

/** The links to the neighbouring editions, and where in a stored page they go. */
export interface EditionNavigation {
  /** Markup the links go just before; failing that, before `</main>`; failing both, nowhere. */
  readonly before: string;
  /** The links' markup, or '' when there is neither a previous nor a next edition. */
  render(neighbours: EditionNeighbours): string;
}

export interface WebVersions {
  /**
   * The page of week `weekKey`'s sent edition (made with `render` the first time), with `navigation`'s
   * links put in, or undefined.
   */
  page(
    weekKey: string,
    render: (edition: EditionRow) => Promise<string>,
    navigation?: EditionNavigation,
  ): Promise<WebVersionPage | undefined>;
}

/** A strong entity tag (RFC 9110 section 8.8.3) of the page's bytes. */
export function entityTag(html: string): string {
  return `"${createHash('sha256').update(html).digest('base64url').slice(0, 32)}"`;
}

const encoder = new TextEncoder();

/** `stored` with `links` put in before the first of `anchors` it holds; the same page when there is none. */
function withLinks(stored: WebVersionPage, links: string, anchors: readonly string[]): WebVersionPage {
  if (!links) return stored;
  const bytes = Buffer.from(stored.body.buffer, stored.body.byteOffset, stored.body.byteLength);
  const at = anchors.map((anchor) => bytes.indexOf(anchor)).find((index) => index >= 0);
  if (at === undefined) return stored;
  const inserted = encoder.encode(links);
  const body = new Uint8Array(stored.body.byteLength + inserted.byteLength);
  body.set(stored.body.subarray(0, at));
  body.set(inserted, at);
  body.set(stored.body.subarray(at), at + inserted.byteLength);
  return { body, etag: entityTag(stored.etag + links) };
}

interface ServedPage {
  readonly stored: WebVersionPage;
  /** The page as last served, and the neighbours it links: served again while they stay the same. */
  shown?: { readonly neighbours: string; readonly page: WebVersionPage };
}

export function createWebVersions(deps: WebVersionDeps): WebVersions {
  // Only sent editions get here, and there is one a week: the map stays small.
  const served = new Map<string, ServedPage>();
  const linked = async (weekKey: string, entry: ServedPage, navigation?: EditionNavigation) => {
    if (!navigation) return entry.stored;
    const neighbours = await sentNeighbours(deps.db, weekKey);
    const key = `${neighbours.previous ?? ''} ${neighbours.next ?? ''}`;
    if (entry.shown?.neighbours !== key) {
      const links = navigation.render(neighbours);
      entry.shown = { neighbours: key, page: withLinks(entry.stored, links, [navigation.before, '</main>']) };
    }
    return entry.shown.page;
  };
  // First requests for a page that arrive together share one load of it (and at most one render), and
  // renders of different weeks take turns: each holds megabytes while it runs, and a burst of requests for
  // pages not stored yet must not hold them all at once.
  const loading = new Map<string, Promise<ServedPage | undefined>>();
  let rendering: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(task: () => Promise<T>): Promise<T> => {
    const run = rendering.then(task, task);
    rendering = run.catch(() => undefined);
    return run;
  };
  const load = async (
    weekKey: string,
    render: (edition: EditionRow) => Promise<string>,
  ): Promise<ServedPage | undefined> => {
    if ('error' in parseWeekKey(weekKey)) return undefined;
    const edition = await findEdition(deps.db, weekKey);
    if (edition?.status !== 'sent') return undefined;
    const stored =
      (await findWebVersion(deps.db, edition.id)) ??
      (await inTurn(async () => {
        const html = await render(edition);
        return storeWebVersion(deps.db, {
          editionId: edition.id,
          html,
          etag: entityTag(html),
          at: deps.clock.now(),
        });
      }));
    const entry: ServedPage = { stored: { body: encoder.encode(stored.html), etag: stored.etag } };
    served.set(weekKey, entry);
    return entry;
  };
  return {
    async page(weekKey, render, navigation) {
      const known = served.get(weekKey);
      if (known) return linked(weekKey, known, navigation);
      let pending = loading.get(weekKey);
      if (!pending) {
        pending = load(weekKey, render).finally(() => loading.delete(weekKey));
        loading.set(weekKey, pending);
      }
      const entry = await pending;
      return entry && linked(weekKey, entry, navigation);
    },
  };
}

/** How many comparisons of a week its web version shows as full cards; the next ones get a line each. */
export const WEB_VERSION_CARDS = 50;
/** How many comparisons after the cards get a line; any beyond are counted, linking to the site. */
export const WEB_VERSION_LINES = 450;

type PageConfig = Pick<Config, 'publicUrl' | 'postalAddress' | 'siteUrl'>;

/**
 * Renders the web version of sent edition `edition`: its first WEB_VERSION_CARDS comparisons as cards,
 * the next WEB_VERSION_LINES as lines, the rest counted. Only those shown are read from the database, so
 * a week of thousands costs about what a week of five hundred does.
 */
export async function renderEditionWebVersion(
  db: Db,
  config: PageConfig,
  edition: EditionRow,
): Promise<string> {
  const { items, total } = await loadEditionExcerpt(db, edition.id, WEB_VERSION_CARDS + WEB_VERSION_LINES);
  const weekKey = edition.week_key;
  return renderWebVersion(
    config,
    {
      weekKey,
      weekLabel: weekLabel(requireWeek(weekKey)),
      subject: edition.subject ?? defaultSubject(items, total),
      comparisons: items,
      followedCategories: [],
      note: renderedNote(edition.note),
      // As its email showed it: the votes as they stood when the edition was planned.
      readersVsPanel: await readersVsPanelFor({ db }, weekKey, new Date(edition.planned_at)),
    },
    { cards: WEB_VERSION_CARDS, total, siteUrl: config.siteUrl },
  );
}
