import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { Command } from 'commander';
import type { SubscriberStatus } from '../../db/schema.js';
import { knownCategories } from '../adapters/comparison-repository.js';
import { CsvUnreadableError } from '../adapters/subscriber-csv.js';
import { subscriberCategories, subscribersInOrder } from '../adapters/subscriber-repository.js';
import { parseCategoryList } from '../domain/email-address.js';
import { cannotRead } from '../domain/file-error.js';
import { count } from '../domain/plural.js';
import { isSubscriberStatus, matchCategories, SUBSCRIBER_STATUSES } from '../domain/subscriber.js';
import { terminalSafe } from '../domain/terminal-text.js';
import type { ConfirmationOutcome } from '../services/confirmation-request.js';
import {
  addSubscribers,
  type CsvImportResult,
  FileChangedError,
  importSubscriberCsv,
  removeSubscriber,
} from '../services/subscribers.js';
import { type CliContext, UsageError } from './context.js';
import { importProgress } from './import-progress.js';
import { lineOutput } from './line-output.js';

/**
 * Sends a pending subscriber the confirmation email, as the web form does and with the same dependencies.
 * The renderer and the transport are loaded only when someone is added as pending.
 */
async function confirmationSender(
  context: CliContext,
): Promise<(id: number) => Promise<ConfirmationOutcome>> {
  const [{ createTransport }, { createLogger }, { requestConfirmation }] = await Promise.all([
    import('../adapters/create-transport.js'),
    import('../adapters/logger.js'),
    import('../services/confirmation-request.js'),
  ]);
  const config = context.getConfig();
  const deps = {
    db: await context.getDb(),
    clock: context.clock,
    config,
    transport: createTransport(config, context.clock),
    log: createLogger(context.io.stderr),
  };
  return (id) => requestConfirmation(deps, id);
}

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
  registerAdd(subscribers, context);
  registerImport(subscribers, context);
  registerList(subscribers, context);
  registerRemove(subscribers, context);
}

function registerAdd(subscribers: Command, context: CliContext): void {
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
    .option('--new-category', 'allow categories that no imported comparison has yet')
    .action(
      async (
        emails: string[],
        options: { status: 'active' | 'pending'; categories?: string; newCategory?: boolean },
      ) => {
        const db = await context.getDb();
        const categories = matchCategories(
          await knownCategories(db),
          parseCategoryList(options.categories),
          options.newCategory === true,
        );
        if (!categories.ok) throw new UsageError(`--categories: ${categories.reason}.`);
        const outcomes = await addSubscribers({ db, clock: context.clock }, emails, {
          status: options.status,
          categories: categories.categories,
        });
        const sendConfirmation =
          options.status === 'pending' && outcomes.some((outcome) => outcome.outcome === 'added')
            ? await confirmationSender(context)
            : undefined;
        for (const outcome of outcomes) {
          if (outcome.outcome === 'added') {
            const confirmation = await sendConfirmation?.(outcome.id);
            context.print(
              `added    ${outcome.email} (${options.status}${confirmation === 'sent' ? ', confirmation email sent' : ''})`,
            );
          } else if (outcome.outcome === 'exists')
            context.print(`exists   ${outcome.email} (${outcome.status}), unchanged`);
          else {
            context.warn(`invalid  ${outcome.input}: ${outcome.reason}`);
            context.fail();
          }
        }
      },
    );
}

function registerImport(subscribers: Command, context: CliContext): void {
  subscribers
    .command('import')
    .description('import a CSV with a header row: email (required), status, categories ("A;B")')
    .argument('<file>')
    .option('--skip-invalid', 'import the good rows even when some rows are bad')
    .option('--new-category', 'allow categories that no imported comparison has yet')
    .action(async (file: string, options: { skipInvalid?: boolean; newCategory?: boolean }) => {
      let size: number;
      try {
        const stats = await stat(file);
        if (stats.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
        // Opened once here so that a file that cannot be read is refused before anything else happens.
        await (await open(file, 'r')).close();
        size = stats.size;
      } catch (error) {
        throw new UsageError(cannotRead(file, error));
      }
      const db = await context.getDb();
      const progress = await importProgress(context, size);
      let result: CsvImportResult;
      try {
        result = await importSubscriberCsv(
          { db, clock: context.clock },
          () => progress.track(createReadStream(file)),
          {
            skipInvalid: options.skipInvalid === true,
            allowNewCategories: options.newCategory === true,
            progress: progress.callbacks,
          },
        );
      } catch (error) {
        if (error instanceof FileChangedError) throw new UsageError(`${file}: ${error.message}.`);
        if (error instanceof CsvUnreadableError) throw new UsageError(cannotRead(file, error.cause));
        throw error;
      } finally {
        progress.stop();
      }
      if (!result.ok) throw new UsageError(`${file}: ${result.error}`);
      for (const problem of result.problems)
        context.warn(`${file}:${problem.line}: ${terminalSafe(problem.reason)}`);
      if (result.badRows > result.problems.length) {
        context.warn(`${file}: ${count(result.badRows - result.problems.length, 'more bad row')} not shown.`);
      }
      if (result.ignoredColumns.length > 0)
        context.warn(
          `Ignored columns: ${result.ignoredColumns.map((column) => terminalSafe(column)).join(', ')}`,
        );
      if (!result.imported) {
        context.warn(
          `Nothing imported: ${count(result.badRows, 'bad row')}. Fix them or use --skip-invalid.`,
        );
        context.fail();
        return;
      }
      const skipped = result.badRows ? `, ${count(result.badRows, 'bad row')} skipped` : '';
      context.print(
        `Imported ${count(result.added, 'subscriber')}, ${result.existing} already present (unchanged)${skipped}.`,
      );
      // Pending rows are people who have not confirmed: they get the confirmation email the web form sends.
      if (result.pendingIds.length > 0) {
        const sendConfirmation = await confirmationSender(context);
        let sent = 0;
        for (const id of result.pendingIds) if ((await sendConfirmation(id)) === 'sent') sent++;
        context.print(`Sent ${count(sent, 'confirmation email')} to the pending subscribers.`);
      }
    });
}

function registerList(subscribers: Command, context: CliContext): void {
  subscribers
    .command('list')
    .description('one line per subscriber: address, status, categories')
    .option(
      '--status <status>',
      `only this status: ${SUBSCRIBER_STATUSES.join(', ')}`,
      statusArgument(SUBSCRIBER_STATUSES),
    )
    .action(async (options: { status?: SubscriberStatus }) => {
      const output = lineOutput(context.io.stdout);
      let listed = 0;
      for await (const row of subscribersInOrder(await context.getDb(), options.status)) {
        const categories = subscriberCategories(row);
        const shown = categories.length ? categories.join(';') : '(all)';
        // An address or category from an older release's database may hold control characters.
        await output.line(`${terminalSafe(row.email)}\t${row.status}\t${terminalSafe(shown)}`);
        listed++;
        if (output.closed) return;
      }
      await output.end();
      if (listed === 0) context.warn('No subscribers.');
    });
}

function registerRemove(subscribers: Command, context: CliContext): void {
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
