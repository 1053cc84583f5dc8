import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { SubscriberStatus } from '../../db/schema.js';
import { knownCategories } from '../adapters/comparison-repository.js';
import { listSubscribers, subscriberCategories } from '../adapters/subscriber-repository.js';
import { parseCategoryList } from '../domain/email-address.js';
import { count } from '../domain/plural.js';
import { isSubscriberStatus, matchCategories, SUBSCRIBER_STATUSES } from '../domain/subscriber.js';
import type { ConfirmationOutcome } from '../services/opt-in.js';
import { addSubscribers, importSubscriberCsv, removeSubscriber } from '../services/subscribers.js';
import { type CliContext, UsageError } from './context.js';

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
    import('../services/opt-in.js'),
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

  subscribers
    .command('import')
    .description('import a CSV with a header row: email (required), status, categories ("A;B")')
    .argument('<file>')
    .option('--skip-invalid', 'import the good rows even when some rows are bad')
    .option('--new-category', 'allow categories that no imported comparison has yet')
    .action(async (file: string, options: { skipInvalid?: boolean; newCategory?: boolean }) => {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (error) {
        throw new UsageError(`${file}: cannot read: ${(error as NodeJS.ErrnoException).code ?? error}`);
      }
      const db = await context.getDb();
      const result = await importSubscriberCsv({ db, clock: context.clock }, text, {
        skipInvalid: options.skipInvalid === true,
        allowNewCategories: options.newCategory === true,
      });
      if (!result.ok) throw new UsageError(`${file}: ${result.error}`);
      for (const problem of result.problems) context.warn(`${file}:${problem.line}: ${problem.reason}`);
      if (result.ignoredColumns.length > 0)
        context.warn(`Ignored columns: ${result.ignoredColumns.join(', ')}`);
      if (!result.imported) {
        context.warn(
          `Nothing imported: ${count(result.problems.length, 'bad row')}. Fix them or use --skip-invalid.`,
        );
        context.fail();
        return;
      }
      const skipped = result.problems.length ? `, ${count(result.problems.length, 'bad row')} skipped` : '';
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
