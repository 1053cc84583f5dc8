// The web version of a sent edition is static (docs/operations.md): it is rendered the first time anyone asks
// for it, stored in the database, and served from there with a strong ETag. A sent edition never changes,
// so nothing invalidates it; a page stored by an earlier template version stays as it was published. Each
// web process also keeps the pages it has served in memory, encoded, so a popular edition costs two small
// queries and no rendering: what changes after the edition went out is looked up on each request and put
// into the stored page as it is served. That is the links to the previous and next editions (later
// editions go out, an older week is sent late) and the readers' tallies in each tool's community line
// (readers keep voting; the stored page marks where each goes, docs/votes.md). The tag changes with them.
import { createHash } from 'node:crypto';
import type { EditionRow } from '../../db/schema.js';
import { renderedNote } from '../../emails/_components/editor-note.js';
import type { Db } from '../adapters/database.js';
import { findEdition } from '../adapters/edition-repository.js';
import { countToolVotes, type ToolVoteCount } from '../adapters/vote-repository.js';
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
import { findReadersMarks, type ReadersMark } from '../domain/readers-mark.js';
import type { ToolTally } from '../domain/vote-tally.js';
import { parseWeekKey, requireWeek, weekLabel } from '../domain/weeks.js';
import { renderWebVersion } from './digest-renderer.js';
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

/** How a tool's current reader tally shows in the community line its stored page marks. */
export interface ReaderTallies {
  /** The markup of a tool's tally, or '' for none. */
  render(tally: Pick<ToolTally, 'ship' | 'skip'>): string;
}

/**
 * What changes after an edition was sent, put into its stored page as it is served: the links to the
 * editions around it, and the readers' tallies on its comparisons.
 */
export interface PageFills {
  readonly navigation?: EditionNavigation | undefined;
  readonly readers?: ReaderTallies | undefined;
}

export interface WebVersions {
  /**
   * The page of week `weekKey`'s sent edition (made with `render` the first time), with `fills` put in,
   * or undefined.
   */
  page(
    weekKey: string,
    render: (edition: EditionRow) => Promise<string>,
    fills?: PageFills,
  ): Promise<WebVersionPage | undefined>;
}

/** A strong entity tag (RFC 9110 section 8.8.3) of the page's bytes. */
export function entityTag(html: string): string {
  return `"${createHash('sha256').update(html).digest('base64url').slice(0, 32)}"`;
}

const encoder = new TextEncoder();

/** `remove` bytes at byte offset `at` of a stored page replaced by `insert`. */
interface Edit {
  readonly at: number;
  readonly remove: number;
  readonly insert: string;
}

/**
 * `stored` with `edits` made (they never overlap), tagged by the stored tag and `seed`, which names what
 * the edits put in; the same page when there is none.
 */
function edited(stored: WebVersionPage, edits: readonly Edit[], seed: string): WebVersionPage {
  if (edits.length === 0) return stored;
  const parts: Uint8Array[] = [];
  let from = 0;
  for (const edit of [...edits].sort((a, b) => a.at - b.at)) {
    parts.push(stored.body.subarray(from, edit.at), encoder.encode(edit.insert));
    from = edit.at + edit.remove;
  }
  parts.push(stored.body.subarray(from));
  const body = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    body.set(part, offset);
    offset += part.byteLength;
  }
  return { body, etag: entityTag(stored.etag + seed) };
}

/** Where `links` go in `stored`: before the first of `anchors` it holds; nowhere when it holds none. */
function linksEdit(stored: WebVersionPage, links: string, anchors: readonly string[]): Edit | undefined {
  if (!links) return undefined;
  const bytes = Buffer.from(stored.body.buffer, stored.body.byteOffset, stored.body.byteLength);
  const at = anchors.map((anchor) => bytes.indexOf(anchor)).find((index) => index >= 0);
  return at === undefined ? undefined : { at, remove: 0, insert: links };
}

/** Readers' ship and skip votes by `comparison/tool`. */
type Tallies = ReadonlyMap<string, { ship: number; skip: number }>;

/** The votes counted per tool, by `comparison/tool`. */
function talliesByTool(counts: readonly ToolVoteCount[]): Tallies {
  const tallies = new Map<string, { ship: number; skip: number }>();
  for (const { comparison, tool, choice, votes } of counts) {
    const key = `${comparison}/${tool}`;
    const tally = tallies.get(key) ?? { ship: 0, skip: 0 };
    tally[choice] += votes;
    tallies.set(key, tally);
  }
  return tallies;
}

/** Each marked line's tally put in: after the site's votes, or instead of "No community votes yet". */
function tallyEdits(marks: readonly ReadersMark[], tallies: Tallies, readers: ReaderTallies): Edit[] {
  const edits: Edit[] = [];
  for (const mark of marks) {
    const tally = tallies.get(`${mark.comparison}/${mark.tool}`);
    const insert = tally ? readers.render(tally) : '';
    if (!insert) continue;
    if (mark.mode === 'beside') edits.push({ at: mark.end, remove: 0, insert });
    else edits.push({ at: mark.start, remove: mark.end - mark.start, insert });
  }
  return edits;
}

interface ServedPage {
  readonly stored: WebVersionPage;
  /**
   * The community lines the stored page marks for reader tallies. Pages stored before there were votes
   * have none, and need none: their editions' emails carried no vote links.
   */
  readonly marks: readonly ReadersMark[];
  /** The slugs of the comparisons those lines are on. */
  readonly comparisons: readonly string[];
  /** The tallies as last read (or being read), and when that began (ms since the epoch). */
  tallies?: { readonly at: number; readonly read: Promise<Tallies> };
  /** The page as last served, and what was put in it: served again while that stays the same. */
  shown?: { readonly fills: string; readonly page: WebVersionPage };
}

/**
 * How long a page's tallies, once read, serve every request for it. Counting costs about as much as
 * there are votes on its comparisons (some 20 ms for 60,000 on SQLite), and the page is public: a burst of
 * requests, or of revalidations, costs one count a second, and a vote shows within that second.
 */
export const TALLIES_FRESH_MS = 1000;

/** `entry`'s page with the links to `neighbours` and the `tallies` put in; reused while they are unchanged. */
function fillPage(
  entry: ServedPage,
  fills: PageFills,
  neighbours: EditionNeighbours | undefined,
  tallies: Tallies | undefined,
): WebVersionPage {
  const { navigation, readers } = fills;
  // The counts in page order name the tallies' part of the page (two tools may have equal counts).
  const counted = tallies
    ? entry.marks
        .map((mark) => tallies.get(`${mark.comparison}/${mark.tool}`))
        .map((tally) => (tally ? `${tally.ship}/${tally.skip}` : ''))
        .join(',')
    : '';
  const key = `${neighbours?.previous ?? ''} ${neighbours?.next ?? ''} ${counted}`;
  if (entry.shown?.fills !== key) {
    const links = neighbours && navigation ? navigation.render(neighbours) : '';
    const nav = navigation && linksEdit(entry.stored, links, [navigation.before, '</main>']);
    const lines = tallies && readers ? tallyEdits(entry.marks, tallies, readers) : [];
    // Tagged as before when only the links go in, so pages nobody voted on keep their tags.
    const seed = `${nav ? links : ''}${lines.length > 0 ? `\nreaders ${counted}` : ''}`;
    entry.shown = { fills: key, page: edited(entry.stored, nav ? [nav, ...lines] : lines, seed) };
  }
  return entry.shown.page;
}

export function createWebVersions(deps: WebVersionDeps): WebVersions {
  // Only sent editions get here, and there is one a week: the map stays small.
  const served = new Map<string, ServedPage>();
  // Requests while a read is fresh, or under way, share it; a read that failed is not kept.
  const currentTallies = (entry: ServedPage): Promise<Tallies> => {
    const now = deps.clock.now().getTime();
    const last = entry.tallies;
    if (last && now >= last.at && now - last.at < TALLIES_FRESH_MS) return last.read;
    const read = countToolVotes(deps.db, entry.comparisons).then(talliesByTool);
    const tallies = { at: now, read };
    entry.tallies = tallies;
    read.catch(() => {
      if (entry.tallies === tallies) entry.tallies = undefined;
    });
    return read;
  };
  // The neighbours are one indexed query per request; the page is put together again only when they or
  // the tallies changed.
  const filled = async (weekKey: string, entry: ServedPage, fills: PageFills = {}) => {
    const withTallies = fills.readers !== undefined && entry.marks.length > 0;
    if (!fills.navigation && !withTallies) return entry.stored;
    const [neighbours, tallies] = await Promise.all([
      fills.navigation && sentNeighbours(deps.db, weekKey),
      withTallies ? currentTallies(entry) : undefined,
    ]);
    return fillPage(entry, fills, neighbours, tallies);
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
    const body = encoder.encode(stored.html);
    const marks = findReadersMarks(body);
    const comparisons = [...new Set(marks.map((mark) => mark.comparison))];
    const entry: ServedPage = { stored: { body, etag: stored.etag }, marks, comparisons };
    served.set(weekKey, entry);
    return entry;
  };
  return {
    async page(weekKey, render, fills) {
      const known = served.get(weekKey);
      if (known) return filled(weekKey, known, fills);
      let pending = loading.get(weekKey);
      if (!pending) {
        pending = load(weekKey, render).finally(() => loading.delete(weekKey));
        loading.set(weekKey, pending);
      }
      const entry = await pending;
      return entry && filled(weekKey, entry, fills);
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
