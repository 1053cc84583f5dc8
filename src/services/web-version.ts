// The web version of a sent edition is static (SPEC section 16): it is rendered the first time someone asks
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
  sentNeighbours,
  storeWebVersion,
} from '../adapters/web-version-repository.js';
import type { Clock } from '../domain/clock.js';
import { parseWeekKey } from '../domain/weeks.js';

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
  return {
    async page(weekKey, render, navigation) {
      const known = served.get(weekKey);
      if (known) return linked(weekKey, known, navigation);
      if ('error' in parseWeekKey(weekKey)) return undefined;
      const edition = await findEdition(deps.db, weekKey);
      if (edition?.status !== 'sent') return undefined;
      let stored = await findWebVersion(deps.db, edition.id);
      if (!stored) {
        const html = await render(edition);
        stored = await storeWebVersion(deps.db, {
          editionId: edition.id,
          html,
          etag: entityTag(html),
          at: deps.clock.now(),
        });
      }
      const entry: ServedPage = { stored: { body: encoder.encode(stored.html), etag: stored.etag } };
      served.set(weekKey, entry);
      return linked(weekKey, entry, navigation);
    },
  };
}
