// The web version of a sent edition is static (SPEC section 16): it is rendered the first time someone asks
// for it, stored in the database, and served from there with a strong ETag. A sent edition never changes,
// so nothing invalidates it; a page stored by an earlier template version stays as it was published. Each
// web process also keeps the pages it has served in memory, encoded, so a popular edition costs no query.
import { createHash } from 'node:crypto';
import type { EditionRow } from '../../db/schema.js';
import type { Db } from '../adapters/database.js';
import { findEdition } from '../adapters/edition-repository.js';
import { findWebVersion, storeWebVersion } from '../adapters/web-version-repository.js';
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

export interface WebVersions {
  /** The page of week `weekKey`'s sent edition (made with `render` the first time), or undefined. */
  page(
    weekKey: string,
    render: (edition: EditionRow) => Promise<string>,
  ): Promise<WebVersionPage | undefined>;
}

/** A strong entity tag (RFC 9110 section 8.8.3) of the page's bytes. */
export function entityTag(html: string): string {
  return `"${createHash('sha256').update(html).digest('base64url').slice(0, 32)}"`;
}

export function createWebVersions(deps: WebVersionDeps): WebVersions {
  // Only sent editions get here, and there is one a week: the map stays small.
  const served = new Map<string, WebVersionPage>();
  return {
    async page(weekKey, render) {
      const known = served.get(weekKey);
      if (known) return known;
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
      const page = { body: new TextEncoder().encode(stored.html), etag: stored.etag };
      served.set(weekKey, page);
      return page;
    },
  };
}
