// Readers' votes counted per comparison and tool, for `digest votes`, /api/votes.json and the web version.
import type { VoteChoice } from '../../db/schema.js';
import { count } from './plural.js';

/** One group of the votes table: a comparison's tool, one choice, how many, and the latest change. */
export interface VoteCountRow {
  readonly comparison: string;
  readonly title: string;
  readonly tool: string;
  readonly choice: VoteChoice;
  readonly votes: number;
  readonly updatedAt: string;
}

export interface ToolTally {
  readonly slug: string;
  readonly ship: number;
  readonly skip: number;
}

export interface ComparisonTally {
  readonly slug: string;
  readonly title: string;
  readonly tools: readonly ToolTally[];
  /** When its latest vote was cast or changed (ISO 8601). */
  readonly updatedAt: string;
}

/** The rows grouped by comparison (in the rows' order) and tool (by slug). */
export function tallyVotes(rows: readonly VoteCountRow[]): ComparisonTally[] {
  const comparisons = new Map<string, { title: string; tools: Map<string, ToolTally>; updatedAt: string }>();
  for (const row of rows) {
    let comparison = comparisons.get(row.comparison);
    if (!comparison) {
      comparison = { title: row.title, tools: new Map(), updatedAt: row.updatedAt };
      comparisons.set(row.comparison, comparison);
    }
    const tool = comparison.tools.get(row.tool) ?? { slug: row.tool, ship: 0, skip: 0 };
    comparison.tools.set(row.tool, { ...tool, [row.choice]: tool[row.choice] + row.votes });
    if (row.updatedAt > comparison.updatedAt) comparison.updatedAt = row.updatedAt;
  }
  return [...comparisons].map(([slug, { title, tools, updatedAt }]) => ({
    slug,
    title,
    tools: [...tools.values()].sort((a, b) => a.slug.localeCompare(b.slug)),
    updatedAt,
  }));
}

/** The share of ship votes in whole percent, rounded; null without votes. */
export function shipShare(tally: Pick<ToolTally, 'ship' | 'skip'>): number | null {
  const total = tally.ship + tally.skip;
  return total === 0 ? null : Math.round((100 * tally.ship) / total);
}

/** "Readers: 71% ship · 48 votes"; undefined without votes. */
export function readersLine(tally: Pick<ToolTally, 'ship' | 'skip'> | undefined): string | undefined {
  const share = tally ? shipShare(tally) : null;
  if (!tally || share === null) return undefined;
  return `Readers: ${share}% ship · ${count(tally.ship + tally.skip, 'vote')}`;
}
