// digest stats [--week W] [--json]: what each edition did. The JSON is a documented
// interface for other tools (README, "digest stats --json"); the table is for people.
import type { Command } from 'commander';
import { type EditionStats, formatRate as percent } from '../domain/edition-stats.js';
import { terminalSafe } from '../domain/terminal-text.js';
import { engagementStats, UnknownEditionError } from '../services/engagement.js';
import { weekArgument } from './comparisons-commands.js';
import { type CliContext, UsageError } from './context.js';
import { table } from './text-table.js';

const EDITION_HEADINGS = [
  'week',
  'status',
  'eligible',
  'sent',
  'failed',
  'delivered',
  'delayed',
  'bounced p/t',
  'complained',
  'unsubscribed',
  'opened*',
  'clicked',
  'machine clicks',
  'voters',
];

function editionRow(stats: EditionStats): string[] {
  const withRate = (count: number, rate: number | null) => `${count} ${percent(rate)}`;
  return [
    stats.week,
    stats.status,
    String(stats.eligible),
    String(stats.sent),
    String(stats.failed),
    withRate(stats.delivered, stats.rates.delivered),
    String(stats.delayed),
    `${stats.bounced.permanent}/${stats.bounced.transient} ${percent(stats.rates.bounced)}`,
    withRate(stats.complained, stats.rates.complained),
    withRate(stats.unsubscribed, stats.rates.unsubscribed),
    withRate(stats.opened, stats.rates.opened),
    withRate(stats.clicked, stats.rates.clicked),
    String(stats.machineClicks),
    String(stats.voters),
  ];
}

const NOTES = [
  'Readers, not events, except machine clicks. Rates: delivered and bounced (permanent/transient) over',
  'sent, the others over delivered. * Opens are approximate: Apple Mail Privacy Protection opens every',
  'message. Clicked counts people; machine clicks (link scanners) are counted apart. Voters: readers',
  "who voted from the edition's links (votes per comparison with --week; `digest votes` for the tallies).",
];

export function registerStatsCommand(program: Command, context: CliContext): void {
  program
    .command('stats')
    .description('what each edition did: deliveries, bounces, complaints, unsubscribes, opens and clicks')
    .option(
      '--week <week>',
      'one edition, with its clicks per comparison (default: every edition)',
      weekArgument,
    )
    .option('--json', 'print the documented JSON shape instead of a table')
    .action(async (options: { week?: string; json?: boolean }) => {
      const db = await context.getDb();
      let editions: EditionStats[];
      try {
        editions = await engagementStats({ db }, { week: options.week });
      } catch (error) {
        if (error instanceof UnknownEditionError) throw new UsageError(error.message);
        throw error;
      }
      if (options.json) {
        context.print(JSON.stringify({ editions }));
        return;
      }
      if (editions.length === 0) {
        // An empty list is an answer, not a failure: stdout, exit 0, as `digest editions` says it.
        context.print('No editions yet.');
        return;
      }
      for (const line of table(EDITION_HEADINGS, editions.map(editionRow))) context.print(line);
      const [only] = editions;
      if (options.week && only) {
        context.print();
        // Slugs are checked at import, but a database written by an older release may hold anything.
        const rows = only.comparisons.map((comparison) => [
          terminalSafe(comparison.slug),
          String(comparison.clicks),
          String(comparison.clickers),
          String(comparison.votes),
        ]);
        for (const line of table(['comparison', 'human clicks', 'clickers', 'votes'], rows))
          context.print(line);
      }
      context.print();
      for (const note of NOTES) context.print(note);
    });
}
