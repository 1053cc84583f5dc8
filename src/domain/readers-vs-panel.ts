// "Readers vs panel": the block an edition carries under "In this issue" about the edition sent before it,
// each of that edition's comparisons readers voted on beside the panel's verdict, biggest disagreement
// first (docs/votes.md). Pure: the votes service supplies the snapshots and the tallies.
import type { ToolVerdict } from './comparison.js';
import type { DigestComparison } from './digest.js';
import { count } from './plural.js';
import type { ComparisonTally, ToolTally } from './vote-tally.js';

/** A comparison needs this many votes (on its two tools together) to be shown: fewer say little. */
export const MIN_VOTES = 5;
/** The block stays short: this many comparisons at most; the others are counted. */
export const MAX_SHOWN = 3;

export interface VotedTool {
  readonly slug: string;
  readonly name: string;
  /** The panel's verdict as the edition froze it. */
  readonly panel: ToolVerdict;
  readonly ship: number;
  readonly skip: number;
  /** See disagreement(). */
  readonly disagreement: number;
}

export interface VotedComparison {
  readonly slug: string;
  readonly title: string;
  /** Votes on its two tools together. */
  readonly votes: number;
  /** Its tools' largest disagreement. */
  readonly disagreement: number;
  /** The tools readers voted on, the larger disagreement first. */
  readonly tools: readonly VotedTool[];
}

/** The block's content: plain data, so it travels to a render thread and into a stored page as it is. */
export interface ReadersVsPanel {
  /** The week of the edition the votes are on. */
  readonly week: string;
  /** Those shown, the biggest disagreement first. */
  readonly comparisons: readonly VotedComparison[];
  /** Comparisons with enough votes that the block has no room for. */
  readonly more: number;
}

/** Where the panel stands on the ship axis: a Ship verdict at 100, Skip at 0, a split panel halfway. */
const PANEL_POINT: Record<ToolVerdict, number> = { SHIP: 100, SKIP: 0, SPLIT: 50 };

/**
 * How far readers are from the panel on one tool: the distance, in percentage points from 0 to 100,
 * between the panel's side (Ship 100, Skip 0, split 50) and the readers' share of Ship votes. A Skip
 * verdict that 64% of readers would ship is 64 apart; a Ship verdict 90% of them share is 10 apart.
 */
export function disagreement(panel: ToolVerdict, tally: Pick<ToolTally, 'ship' | 'skip'>): number {
  const total = tally.ship + tally.skip;
  return total === 0 ? 0 : Math.abs(PANEL_POINT[panel] - (100 * tally.ship) / total);
}

const votesOf = (tally: ComparisonTally) => tally.tools.reduce((sum, tool) => sum + tool.ship + tool.skip, 0);

/** The slugs of the tallies with enough votes to be shown (the service loads only those comparisons). */
export function countedSlugs(tallies: readonly ComparisonTally[]): string[] {
  return tallies.filter((tally) => votesOf(tally) >= MIN_VOTES).map((tally) => tally.slug);
}

function votedComparison(comparison: DigestComparison, tally: ComparisonTally): VotedComparison {
  const tools = comparison.tools
    .flatMap((tool): VotedTool[] => {
      const votes = tally.tools.find((each) => each.slug === tool.slug);
      if (!votes || votes.ship + votes.skip === 0) return [];
      const panel = tool.summary.verdict;
      return [
        {
          slug: tool.slug,
          name: tool.name,
          panel,
          ship: votes.ship,
          skip: votes.skip,
          disagreement: disagreement(panel, votes),
        },
      ];
    })
    // Stable: equal disagreements keep the edition's order of the tools.
    .sort((a, b) => b.disagreement - a.disagreement);
  return {
    slug: comparison.slug,
    title: comparison.title,
    votes: tools.reduce((sum, tool) => sum + tool.ship + tool.skip, 0),
    disagreement: Math.max(0, ...tools.map((tool) => tool.disagreement)),
    tools,
  };
}

/**
 * The block for the edition of `week` (its `comparisons` in edition order, as frozen) with these tallies:
 * the comparisons with at least MIN_VOTES votes, the biggest disagreement first (then the most votes, then
 * the edition's order), at most MAX_SHOWN of them. Undefined when none has enough votes: no block at all.
 */
export function readersVsPanel(
  week: string,
  comparisons: readonly DigestComparison[],
  tallies: readonly ComparisonTally[],
): ReadersVsPanel | undefined {
  const bySlug = new Map(tallies.map((tally) => [tally.slug, tally]));
  const counted = comparisons
    .flatMap((comparison) => {
      const tally = bySlug.get(comparison.slug);
      return tally ? [votedComparison(comparison, tally)] : [];
    })
    .filter((comparison) => comparison.votes >= MIN_VOTES)
    .sort((a, b) => b.disagreement - a.disagreement || b.votes - a.votes);
  if (counted.length === 0) return undefined;
  return { week, comparisons: counted.slice(0, MAX_SHOWN), more: Math.max(0, counted.length - MAX_SHOWN) };
}

type Side = 'Ship' | 'Skip' | 'split';

function readersSide(tool: Pick<VotedTool, 'ship' | 'skip'>): { side: Side; percent: number } {
  const share = Math.round((100 * tool.ship) / (tool.ship + tool.skip));
  if (share > 50) return { side: 'Ship', percent: share };
  if (share < 50) return { side: 'Skip', percent: 100 - share };
  return { side: 'split', percent: 50 };
}

/**
 * One tool in words: "The panel said Skip on Aider; 64% of you said Ship", "...; 90% of you agreed",
 * "The panel was split on Aider; 70% of you said Skip", "...; you split 50/50". The percentage is of the
 * readers' own majority, so it is never below 50.
 */
export function verdictSentence(tool: Pick<VotedTool, 'name' | 'panel' | 'ship' | 'skip'>): string {
  const panelSide: Side = tool.panel === 'SHIP' ? 'Ship' : tool.panel === 'SKIP' ? 'Skip' : 'split';
  const panel =
    panelSide === 'split'
      ? `The panel was split on ${tool.name}`
      : `The panel said ${panelSide} on ${tool.name}`;
  const readers = readersSide(tool);
  if (readers.side === 'split') return `${panel}; you split 50/50${panelSide === 'split' ? ' too' : ''}`;
  if (readers.side === panelSide) return `${panel}; ${readers.percent}% of you agreed`;
  return `${panel}; ${readers.percent}% of you said ${readers.side}`;
}

/** "14 votes". */
export const votesPhrase = (tool: Pick<VotedTool, 'ship' | 'skip'>): string =>
  count(tool.ship + tool.skip, 'vote');

/** The line under the heading: what the block is. */
export const READERS_VS_PANEL_INTRO =
  "How you voted on last edition's verdicts, the biggest disagreement first.";

/** The line that counts the comparisons left out for room: "And 2 more comparisons you voted on". */
export function moreLine(more: number): string {
  return `And ${count(more, 'more comparison')} you voted on`;
}

/** The block as a template or the text part takes it: its content and where that edition is read. */
export interface ReadersVsPanelView {
  /** Absent: nothing is shown. */
  readonly block: ReadersVsPanel | undefined;
  /** The web version of the edition the votes are on: each comparison's card is there. */
  readonly editionUrl: string;
}

/** The block in the text part: a heading, then per comparison its title, a line per tool and its link. */
export function readersVsPanelText({ block, editionUrl }: ReadersVsPanelView): string[] {
  if (!block || block.comparisons.length === 0) return [];
  const lines = ['READERS VS PANEL', '', READERS_VS_PANEL_INTRO];
  for (const comparison of block.comparisons) {
    lines.push(
      `- ${comparison.title}`,
      ...comparison.tools.map((tool) => `  ${verdictSentence(tool)} (${votesPhrase(tool)})`),
      `  ${editionUrl}#${comparison.slug}`,
    );
  }
  if (block.more > 0) lines.push(`${moreLine(block.more)}: ${editionUrl}`);
  return [...lines, ''];
}
