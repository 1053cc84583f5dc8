// digest votes [--week W] [--json]: what readers said of the panel's verdicts, per comparison and tool.
// The JSON is a documented interface for other tools (docs/votes.md); the table is for people.
import type { Command } from 'commander';
import { humanTime } from '../domain/human-time.js';
import { terminalSafe } from '../domain/terminal-text.js';
import { type ComparisonTally, shipShare } from '../domain/vote-tally.js';
import { UnknownEditionError } from '../services/engagement.js';
import { voteTallies } from '../services/votes.js';
import { weekArgument } from './comparisons-commands.js';
import { type CliContext, UsageError } from './context.js';
import { table } from './text-table.js';

/** One comparison of `digest votes --json`. Fields may be added, none renamed. */
export interface ComparisonVotes {
  readonly slug: string;
  readonly title: string;
  /** Votes on its tools together. */
  readonly votes: number;
  /** When its latest vote was cast or changed (ISO 8601). */
  readonly updatedAt: string;
  readonly tools: readonly {
    readonly slug: string;
    readonly ship: number;
    readonly skip: number;
    readonly votes: number;
    /** Ship votes in whole percent of the tool's votes. */
    readonly shipShare: number | null;
  }[];
}

export function comparisonVotes(tally: ComparisonTally): ComparisonVotes {
  const tools = tally.tools.map((tool) => ({
    slug: tool.slug,
    ship: tool.ship,
    skip: tool.skip,
    votes: tool.ship + tool.skip,
    shipShare: shipShare(tool),
  }));
  return {
    slug: tally.slug,
    title: tally.title,
    votes: tools.reduce((sum, tool) => sum + tool.votes, 0),
    updatedAt: tally.updatedAt,
    tools,
  };
}

const HEADINGS = ['comparison', 'tool', 'ship', 'skip', 'ship share', 'votes', 'updated'];
// Slugs first, then figures, then a time in words.
const ALIGN = (column: number) => (column <= 1 || column === 6 ? 'left' : 'right');

function rows(comparisons: readonly ComparisonVotes[], timeZone: string): string[][] {
  // Slugs are checked at import, but a database written by an older release may hold anything.
  return comparisons.flatMap((comparison) =>
    comparison.tools.map((tool, index) => [
      index === 0 ? terminalSafe(comparison.slug) : '',
      terminalSafe(tool.slug),
      String(tool.ship),
      String(tool.skip),
      tool.shipShare === null ? '–' : `${tool.shipShare}%`,
      String(tool.votes),
      index === 0 ? humanTime(comparison.updatedAt, timeZone) : '',
    ]),
  );
}

export function registerVotesCommand(program: Command, context: CliContext): void {
  program
    .command('votes')
    .description("readers' votes on the panel's verdicts: ship and skip per tool of each comparison")
    .option(
      '--week <week>',
      'only the comparisons that edition carried (default: every one with votes)',
      weekArgument,
    )
    .option('--json', 'print the documented JSON shape instead of a table')
    .action(async (options: { week?: string; json?: boolean }) => {
      const db = await context.getDb();
      let comparisons: ComparisonVotes[];
      try {
        comparisons = (await voteTallies({ db }, { week: options.week })).map(comparisonVotes);
      } catch (error) {
        if (error instanceof UnknownEditionError) throw new UsageError(error.message);
        throw error;
      }
      if (options.json) {
        context.print(JSON.stringify({ comparisons }));
        return;
      }
      if (comparisons.length === 0) {
        // Nothing to count is an answer, not a failure: stdout, exit 0, as `digest stats` says it.
        context.print(
          options.week
            ? `No votes yet on the comparisons ${options.week} carried.`
            : 'No votes yet: readers vote with the "Your verdict" links in their digest.',
        );
        return;
      }
      for (const line of table(HEADINGS, rows(comparisons, context.getConfig().timeZone), ALIGN))
        context.print(line);
      context.print();
      context.print('One vote per reader per tool; a reader who votes again replaces their vote.');
    });
}
