import type { Command } from 'commander';
import { removeComparison } from '../adapters/comparison-repository.js';
import { describeProblem } from '../domain/comparison-document.js';
import { describeEditionOf } from '../domain/edition-of.js';
import { humanTime } from '../domain/human-time.js';
import { count } from '../domain/plural.js';
import { terminalSafe } from '../domain/terminal-text.js';
import { parseWeekKey } from '../domain/weeks.js';
import { comparisonListing } from '../services/comparison-listing.js';
import { importComparisons } from '../services/import-comparisons.js';
import { type CliContext, UsageError } from './context.js';

export function weekArgument(value: string): string {
  const parsed = parseWeekKey(value);
  if ('error' in parsed) throw new UsageError(`--week: ${parsed.error}`);
  return value.trim();
}

export function registerComparisonCommands(program: Command, context: CliContext): void {
  program
    .command('import')
    .description(
      'validate and import comparison documents (all or nothing); a known slug is updated. The format is ' +
        'contracts/comparison.schema.json in this repository',
    )
    .argument('<paths...>', 'JSON files, or directories whose .json files are imported')
    .action(async (paths: string[]) => {
      const db = await context.getDb();
      const result = await importComparisons({ db, clock: context.clock }, paths);
      if (!result.ok) {
        // A problem can quote the refused document (a duplicate slug, JSON's own syntax message): made
        // inert, since the file is what holds the control characters being refused.
        for (const problem of result.problems) context.warn(terminalSafe(describeProblem(problem)));
        context.warn(`Nothing imported: ${count(result.problems.length, 'problem')}.`);
        context.fail();
        return;
      }
      for (const slug of result.added) context.print(`added    ${slug}`);
      for (const slug of result.updated) context.print(`updated  ${slug}`);
      context.print(
        `Imported ${result.added.length + result.updated.length}: ${result.added.length} added, ${result.updated.length} updated.`,
      );
    });

  const comparisons = program.command('comparisons').description('list or remove imported comparisons');
  comparisons
    .command('list')
    .description(
      'one line per comparison: slug, title, published time, week, and the edition it rode or will ride in',
    )
    .option('--week <week>', 'only comparisons published in this ISO week, e.g. 2026-W47', weekArgument)
    .action(async (options: { week?: string }) => {
      const rows = await comparisonListing(
        { db: await context.getDb(), config: context.getConfig() },
        { week: options.week },
      );
      const { timeZone } = context.getConfig();
      for (const row of rows) {
        // Rows imported by an older release may hold control characters; each cell is made inert.
        const cells = [
          row.slug,
          row.title,
          humanTime(row.publishedAt, timeZone),
          row.publishedWeek,
          describeEditionOf(row.edition),
        ];
        context.print(cells.map((cell) => terminalSafe(cell)).join('\t'));
      }
      if (rows.length === 0)
        context.warn(options.week ? `No comparisons published in ${options.week}.` : 'No comparisons yet.');
    });
  comparisons
    .command('remove')
    .description('delete a comparison that no edition has carried')
    .argument('<slug>')
    .action(async (slug: string) => {
      const outcome = await removeComparison(await context.getDb(), slug);
      if (outcome === 'not-found') throw new UsageError(`No comparison with slug "${slug}".`);
      if (outcome === 'carried') {
        throw new UsageError(
          `"${slug}" was carried by an edition and stays as its record; it cannot be removed.`,
        );
      }
      context.print(`removed  ${slug}`);
    });
}
