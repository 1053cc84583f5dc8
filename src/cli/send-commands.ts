// digest send | test-send | editions | preview
// The renderer (React), the planner (markdown-it), the transports (the Resend SDK, nodemailer), the logger
// and the progress bar are imported inside the actions that use them, so `digest editions` starts without
// loading any of them.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { findEdition, listEditions } from '../adapters/edition-repository.js';
import { countDeliveries, type DeliveryCounts } from '../adapters/frozen-ledger-repository.js';
import type { Config } from '../config.js';
import { countIn, DELIVERY_GROUPS } from '../domain/delivery-status.js';
import type { Assignment } from '../domain/edition-plan.js';
import { parseAddressList } from '../domain/email-address.js';
import { humanTime, humanTimesIn } from '../domain/human-time.js';
import { count } from '../domain/plural.js';
import { isUnfinished } from '../domain/send-run.js';
import { terminalSafe } from '../domain/terminal-text.js';
import { formatWeekKey, lastCompletedWeek, requireWeek, shiftWeek, weekWindow } from '../domain/weeks.js';
import type { ContentRenderer } from '../services/freeze-edition.js';
import type { SendReport } from '../services/send-edition.js';
import { weekArgument } from './comparisons-commands.js';
import { type CliContext, UsageError } from './context.js';
import { lineOutput } from './line-output.js';
import { loadSingleBar } from './progress-bar.js';
import { table } from './text-table.js';

/**
 * The digest renderer, loaded when a variant must be rendered (planning a new edition): resuming a planned
 * edition, and a worker between sends, never load React and the templates.
 */
export function lazyDigestRenderer(config: Pick<Config, 'publicUrl' | 'postalAddress'>): ContentRenderer {
  return {
    async render(input) {
      const { renderDigestContent } = await import('../services/digest-renderer.js');
      return renderDigestContent(config, input);
    },
  };
}

function targetWeek(context: CliContext, week: string | undefined): string {
  const { timeZone } = context.getConfig();
  const now = context.clock.now();
  const key = week ?? formatWeekKey(lastCompletedWeek(now, timeZone));
  if (weekWindow(requireWeek(key), timeZone).end > now) {
    throw new UsageError(
      `${key} has not ended yet in ${timeZone}; an edition can only be sent once its week is over.`,
    );
  }
  return key;
}

/**
 * The send's closing report. Its message is the one the worker logs (ISO times); here a person reads it,
 * with its times in DIGEST_TIMEZONE, and with whatever stored text it quotes made inert.
 */
function printReport(context: CliContext, report: SendReport): void {
  context.print(terminalSafe(humanTimesIn(report.message, context.getConfig().timeZone)));
  if (report.counts) printCounts(context, report.counts);
}

/** Eligible, sent, failed by reason, skipped by reason: the figures add up to every subscriber. */
function printCounts(context: CliContext, counts: DeliveryCounts): void {
  const sent = counts.byStatus.sent ?? 0;
  const failed = counts.byStatus.failed ?? 0;
  const skipped = counts.byStatus.skipped ?? 0;
  const waiting = countIn(counts.byStatus, 'unfinished');
  context.print(`Subscribers: ${counts.total}`);
  context.print(`  eligible  ${counts.total - skipped}`);
  context.print(`  sent      ${sent}`);
  if (waiting > 0) context.print(`  not yet   ${waiting}`);
  context.print(`  failed    ${failed}`);
  for (const [reason, count] of Object.entries(counts.byReason).filter(([key]) =>
    key.startsWith('failed: '),
  )) {
    context.print(`    ${count}\t${terminalSafe(reason.slice('failed: '.length))}`);
  }
  context.print(`  skipped   ${skipped}`);
  for (const [reason, count] of Object.entries(counts.byReason).filter(([key]) =>
    key.startsWith('skipped: '),
  )) {
    context.print(`    ${count}\t${terminalSafe(reason.slice('skipped: '.length))}`);
  }
}

async function dryRun(context: CliContext, weekKey: string): Promise<void> {
  const db = await context.getDb();
  const edition = await findEdition(db, weekKey);
  if (edition) {
    context.print(
      `${weekKey} is already planned (status ${edition.status}${edition.reason ? `: ${terminalSafe(edition.reason)}` : ''}); its ledger:`,
    );
    printCounts(context, await countDeliveries(db, edition.id));
    return;
  }
  const config = context.getConfig();
  // Planning (the selection rule, the draft, the audience) is loaded only when a dry run plans.
  const { notApprovedReason, planEdition, walkAudience } = await import('../services/plan-edition.js');
  const plan = await planEdition({ db, clock: context.clock, config }, weekKey);
  const items = plan.items.map((item) => item.view);
  if (items.length === 0) {
    const why = plan.held.length > 0 ? 'every comparison is held back' : 'no new comparisons';
    context.print(`${weekKey}: ${why}; the week would be recorded as skipped and nothing sent.`);
    return;
  }
  context.print(`${weekKey} would carry ${count(items.length, 'comparison')}, in this order:`);
  for (const item of items) context.print(`  ${terminalSafe(item.slug)}\t${terminalSafe(item.title)}`);
  for (const item of plan.held)
    context.print(`  held back: ${terminalSafe(item.view.slug)}\t${terminalSafe(item.view.title)}`);
  if (config.review === 'required' && plan.approval.state !== 'approved') {
    context.print(notApprovedReason(weekKey, plan.approval));
  }
  // What follows each address, once per assignment (a million readers share a handful).
  const outcomes = new Map<Assignment, string>();
  const outcomeOf = (assignment: Assignment) => {
    let outcome = outcomes.get(assignment);
    if (outcome === undefined) {
      outcome =
        assignment.status === 'pending'
          ? `gets ${assignment.comparisons.length}: ${terminalSafe(assignment.comparisons.map((c) => c.slug).join(', '))}`
          : `skipped: ${assignment.reason}`;
      outcomes.set(assignment, outcome);
    }
    return outcome;
  };
  context.print('Recipients:');
  // A million lines, written as the stream takes them: a pipe read slower than the listing is made would
  // otherwise hold them all in memory.
  const output = lineOutput(context.io.stdout);
  const audience = await walkAudience(db, items, async (page) => {
    // A page's lines go as one: an await per line was a large part of a million-reader dry run.
    const lines = page.map(({ email, assignment }) => `  ${terminalSafe(email)}\t${outcomeOf(assignment)}`);
    await output.line(lines.join('\n'));
    return !output.closed;
  });
  if (!audience) return;
  await output.end();
  const { total, eligible, excluded } = audience;
  context.print(`Subscribers: ${total}; would send ${eligible}; would skip ${total - eligible}`);
  for (const [reason, count] of excluded) context.print(`  ${count}\t${reason}`);
  if (eligible === 0) {
    const next = formatWeekKey(shiftWeek(requireWeek(weekKey), 1));
    context.print(
      `${weekKey}: no eligible readers; the week would be recorded as skipped, nothing sent, and its comparisons would ride ${next}.`,
    );
  }
  context.print('Dry run: nothing was written or sent.');
}

/** Sends week `weekKey` with a progress bar on a terminal (JSON log lines otherwise), then its report. */
async function send(context: CliContext, weekKey: string): Promise<void> {
  const config = context.getConfig();
  const db = await context.getDb();
  const [
    SingleBar,
    { createTransport },
    { createLogger, silentLogger },
    { personalisedPieces },
    { sendEdition },
    { threadRenderer },
  ] = await Promise.all([
    loadSingleBar(),
    import('../adapters/create-transport.js'),
    import('../adapters/logger.js'),
    import('../services/personalise.js'),
    import('../services/send-edition.js'),
    import('./render-thread.js'),
  ]);
  const tty = context.io.stdout.isTTY === true;
  const bar = tty
    ? new SingleBar({
        format: ' {bar} {value}/{total} emails | {eta_formatted} left',
        stream: context.io.stdout,
      })
    : undefined;
  let started = false;
  const report = await sendEdition(
    {
      db,
      clock: context.clock,
      config,
      transport: createTransport(config, context.clock),
      renderer: context.io.renderThreadEntry
        ? threadRenderer(config, context.io.renderThreadEntry)
        : lazyDigestRenderer(config),
      personalise: personalisedPieces,
      // A TTY gets the progress bar; otherwise one JSON log line per batch on stderr.
      log: tty ? silentLogger : createLogger(context.io.stderr, { json: true }),
      signal: context.signal,
      onBatch: (progress) => {
        if (!bar) return;
        if (!started) bar.start(progress.eligible, progress.done);
        started = true;
        bar.setTotal(progress.eligible);
        bar.update(progress.done);
      },
    },
    weekKey,
  );
  bar?.stop();
  if (report.outcome === 'not approved') throw new UsageError(report.message);
  printReport(context, report);
  const failed = report.counts?.byStatus.failed ?? 0;
  if (failed > 0 || isUnfinished(report.outcome)) context.fail();
}

export function registerSendCommands(program: Command, context: CliContext): void {
  registerSend(program, context);
  registerTestSend(program, context);
  registerEditions(program, context);
  registerPreview(program, context);
}

/** digest send [--week] [--dry-run] */
function registerSend(program: Command, context: CliContext): void {
  program
    .command('send')
    .description(
      "send a week's digest to every eligible subscriber, exactly once (resumes an interrupted send)",
    )
    .option(
      '--week <week>',
      'ISO week, e.g. 2026-W47 (default: the most recent completed week)',
      weekArgument,
    )
    .option('--dry-run', 'print who would get what, and every exclusion with its reason; send nothing')
    .action(async (options: { week?: string; dryRun?: boolean }) => {
      const weekKey = targetWeek(context, options.week);
      if (options.dryRun) return dryRun(context, weekKey);
      await send(context, weekKey);
    });
}

/** digest test-send --to [--as] [--week] */
function registerTestSend(program: Command, context: CliContext): void {
  program
    .command('test-send')
    .description(
      "send a week's digest (as a subscriber gets it, with --as) to one or more addresses, outside the ledger, subject prefixed [TEST]",
    )
    .requiredOption('--to <emails>', 'recipients, separated by commas')
    .option('--as <email>', "render that subscriber's copy (their category variant)")
    .option('--week <week>', 'ISO week (default: the most recent completed week)', weekArgument)
    .action(async (options: { to: string; as?: string; week?: string }) => {
      const to = parseAddressList(options.to);
      if (!to.ok) throw new UsageError(`--to: ${to.reason}`);
      const config = context.getConfig();
      const weekKey = options.week ?? formatWeekKey(lastCompletedWeek(context.clock.now(), config.timeZone));
      const [{ sendTestCopy }, { createTransport }] = await Promise.all([
        import('../services/review-copies.js'),
        import('../adapters/create-transport.js'),
      ]);
      const deps = {
        db: await context.getDb(),
        clock: context.clock,
        config,
        transport: createTransport(config, context.clock),
      };
      const sent = await sendTestCopy(deps, weekKey, { to: options.to, as: options.as });
      if (!sent.ok) throw new UsageError(sent.reason);
      context.print(terminalSafe(sent.message));
    });
}

/** digest editions */
function registerEditions(program: Command, context: CliContext): void {
  program
    .command('editions')
    .description('list editions with their status and delivery counts')
    .action(async () => {
      const db = await context.getDb();
      const editions = await listEditions(db);
      // An empty list is an answer, not a failure: stdout and exit 0, so a script can tell it from an error.
      if (editions.length === 0) {
        context.print('No editions yet.');
        return;
      }
      const { timeZone } = context.getConfig();
      const rows: string[][] = [];
      for (const edition of editions) {
        const counts = await countDeliveries(db, edition.id);
        const figures = [...DELIVERY_GROUPS.finished, ...DELIVERY_GROUPS.unfinished]
          .filter((status) => counts.byStatus[status])
          .map((status) => `${status} ${counts.byStatus[status]}`)
          .join(', ');
        rows.push([
          edition.week_key,
          edition.status,
          // A subject or reason stored by an older release may hold control characters.
          terminalSafe(edition.reason ?? edition.subject ?? ''),
          figures,
          edition.finished_at ? humanTime(edition.finished_at, timeZone) : '',
        ]);
      }
      const headings = ['week', 'status', 'subject or reason', 'deliveries', 'finished'];
      for (const line of table(headings, rows, () => 'left')) context.print(line);
    });
}

/** digest preview [--week] [--as] [--out] [--text] */
function registerPreview(program: Command, context: CliContext): void {
  program
    .command('preview')
    .description(
      "render a week's digest (as a subscriber gets it, with --as) from the database without sending",
    )
    .option('--week <week>', 'ISO week (default: the most recent completed week)', weekArgument)
    .option('--as <email>', "render that subscriber's copy (their category variant)")
    .option('--out <file>', 'where to write it (default: ./preview/<week>.html or .txt)')
    .option('--text', 'write the plain-text part instead of the HTML')
    .action(async (options: { week?: string; as?: string; out?: string; text?: boolean }) => {
      const config = context.getConfig();
      const weekKey = options.week ?? formatWeekKey(lastCompletedWeek(context.clock.now(), config.timeZone));
      const { renderCopy } = await import('../services/review-copies.js');
      const copy = await renderCopy({ db: await context.getDb(), clock: context.clock, config }, weekKey, {
        as: options.as,
      });
      if (!copy.ok) throw new UsageError(copy.reason);
      const body = options.text ? copy.text : copy.html;
      const out = resolve(options.out ?? `preview/${weekKey}.${options.text ? 'txt' : 'html'}`);
      await mkdir(dirname(out), { recursive: true });
      await writeFile(out, body);
      context.print(
        `Wrote the ${weekKey} digest (${count(copy.comparisons, 'comparison')}${copy.reader ? `, as ${terminalSafe(copy.reader.email)} gets it` : ''}, ${Buffer.byteLength(body)} bytes) to ${out}`,
      );
    });
}
