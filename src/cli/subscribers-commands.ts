import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { SubscriberStatus } from '../../db/schema.js';
import { listSubscribers, subscriberCategories } from '../adapters/subscriber-repository.js';
import { parseCategoryList } from '../domain/email-address.js';
import { isSubscriberStatus, SUBSCRIBER_STATUSES } from '../domain/subscriber.js';
import { addSubscribers, importSubscriberCsv, removeSubscriber } from '../services/subscribers.js';
import { type CliContext, UsageError } from './context.js';

function statusArgument(allowed: readonly SubscriberStatus[]) {
  return (value: string): SubscriberStatus => {
    const status = value.trim().toLowerCase();
    if (!isSubscriberStatus(status) || !allowed.includes(status)) {
      throw new UsageError(`--status: "${value}" is not one of ${allowed.join(', ')}`);
    }
    return status;
  };
}

export function registerSubscriberCommands(program: Command, context: CliContext): void {
  const subscribers = program.command('subscribers').description('add, import, list or erase subscribers');

  subscribers
    .command('add')
    .description('add addresses (an address already present is left unchanged)')
    .argument('<emails...>')
    .option(
      '--status <status>',
      'active (consent already given) or pending',
      statusArgument(['active', 'pending']),
      'active',
    )
    .option('--categories <list>', 'categories to follow, separated by ";" (none = all)')
    .action(async (emails: string[], options: { status: 'active' | 'pending'; categories?: string }) => {
      const db = await context.getDb();
      const outcomes = await addSubscribers({ db, clock: context.clock }, emails, {
        status: options.status,
        categories: parseCategoryList(options.categories),
      });
      for (const outcome of outcomes) {
        if (outcome.outcome === 'added') context.print(`added    ${outcome.email} (${options.status})`);
        else if (outcome.outcome === 'exists')
          context.print(`exists   ${outcome.email} (${outcome.status}), unchanged`);
        else {
          context.warn(`invalid  ${outcome.input}: ${outcome.reason}`);
          context.fail();
        }
      }
    });

  subscribers
    .command('import')
    .description('import a CSV with a header row: email (required), status, categories ("A;B")')
    .argument('<file>')
    .option('--skip-invalid', 'import the good rows even when some rows are bad')
    .action(async (file: string, options: { skipInvalid?: boolean }) => {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (error) {
        throw new UsageError(`${file}: cannot read: ${(error as NodeJS.ErrnoException).code ?? error}`);
      }
      const db = await context.getDb();
      const result = await importSubscriberCsv({ db, clock: context.clock }, text, {
        skipInvalid: options.skipInvalid === true,
      });
      if (!result.ok) throw new UsageError(`${file}: ${result.error}`);
      for (const problem of result.problems) context.warn(`${file}:${problem.line}: ${problem.reason}`);
      if (result.ignoredColumns.length > 0)
        context.warn(`Ignored columns: ${result.ignoredColumns.join(', ')}`);
      if (!result.imported) {
        context.warn(
          `Nothing imported: ${result.problems.length} bad row(s). Fix them or use --skip-invalid.`,
        );
        context.fail();
        return;
      }
      const skipped = result.problems.length ? `, ${result.problems.length} bad row(s) skipped` : '';
      context.print(
        `Imported ${result.added} subscriber(s), ${result.existing} already present (unchanged)${skipped}.`,
      );
    });

  subscribers
    .command('list')
    .description('one line per subscriber: address, status, categories')
    .option(
      '--status <status>',
      `only this status: ${SUBSCRIBER_STATUSES.join(', ')}`,
      statusArgument(SUBSCRIBER_STATUSES),
    )
    .action(async (options: { status?: SubscriberStatus }) => {
      const rows = await listSubscribers(await context.getDb(), options.status);
      for (const row of rows) {
        const categories = subscriberCategories(row);
        context.print(`${row.email}\t${row.status}\t${categories.length ? categories.join(';') : '(all)'}`);
      }
      if (rows.length === 0) context.warn('No subscribers.');
    });

  subscribers
    .command('remove')
    .description("erase a subscriber's data (address, consent record, delivery history)")
    .argument('<email>')
    .action(async (email: string) => {
      const removed = await removeSubscriber({ db: await context.getDb(), clock: context.clock }, email);
      if (!removed) throw new UsageError(`No subscriber with address "${email.trim()}".`);
      context.print(`removed  ${removed.email}`);
    });
}
