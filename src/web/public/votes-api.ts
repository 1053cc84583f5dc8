// GET /api/votes.json (docs/votes.md): the readers' tallies for the comparison site, built at most once per
// refresh interval. The site's pages read it from their readers' browsers, and counting a million votes
// is a GROUP BY of about a second on SQLite: without the cache every page view would cost that.
import type { Clock } from '../../domain/clock.js';
import type { ComparisonTally } from '../../domain/vote-tally.js';
import { entityTag } from '../../services/web-version.js';

/**
 * The body: every comparison with at least one vote, newest comparison first.
 *
 *   { "comparisons": [ { "slug": "cursor-3-vs-windsurf-wave-14",
 *                        "tools": [ { "slug": "cursor-3", "ship": 12, "skip": 3 }, ... ],
 *                        "updatedAt": "2026-11-26T09:00:00.000Z" } ] }
 *
 * `tools` lists the tools someone voted on (by slug), `updatedAt` is when the comparison's latest vote was
 * cast or changed. The site knows its comparisons' titles; only what it lacks is sent.
 */
export interface VotesDocument {
  readonly comparisons: readonly {
    readonly slug: string;
    readonly tools: readonly { readonly slug: string; readonly ship: number; readonly skip: number }[];
    readonly updatedAt: string;
  }[];
}

export function votesDocument(tallies: readonly ComparisonTally[]): VotesDocument {
  return {
    comparisons: tallies.map(({ slug, tools, updatedAt }) => ({
      slug,
      tools: tools.map((tool) => ({ slug: tool.slug, ship: tool.ship, skip: tool.skip })),
      updatedAt,
    })),
  };
}

/**
 * How old the served tallies may be when they changed elsewhere: another server's votes, an erasure by
 * `digest subscribers remove`. A vote cast through this server is served at once.
 */
export const TALLY_REFRESH_MS = 15_000;

export interface BuiltVotes {
  readonly body: string;
  /** Strong: names these exact bytes. */
  readonly etag: string;
}

export interface VotesCache {
  get(): Promise<BuiltVotes>;
  /** A vote was recorded here: the next request counts again. */
  invalidate(): void;
}

export function createVotesCache(clock: Clock, tallies: () => Promise<ComparisonTally[]>): VotesCache {
  let built: { value: BuiltVotes; at: number } | undefined;
  // Requests that arrive while the tallies are counted wait for that count rather than start their own.
  let counting: Promise<BuiltVotes> | undefined;
  // Bumped by every invalidation: a count begun before a vote must not be kept as current after it.
  let generation = 0;

  const count = async (): Promise<BuiltVotes> => {
    const started = generation;
    const at = clock.now().getTime();
    const body = JSON.stringify(votesDocument(await tallies()));
    const value = { body, etag: entityTag(body) };
    if (started === generation) built = { value, at };
    return value;
  };

  return {
    get() {
      if (built && clock.now().getTime() - built.at < TALLY_REFRESH_MS) return Promise.resolve(built.value);
      if (!counting) {
        const current = count().finally(() => {
          if (counting === current) counting = undefined;
        });
        counting = current;
      }
      return counting;
    },
    invalidate() {
      generation++;
      built = undefined;
      counting = undefined;
    },
  };
}
