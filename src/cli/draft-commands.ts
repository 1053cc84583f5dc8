// digest draft [note | subject | order | hold | release] | approve | unapprove: the editorial workflow on
// the command line, through the same service the editor console uses. What it prints from the database
// goes through terminalSafe: a row written by an older release may hold control characters.
import { readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { cannotRead } from '../domain/file-error.js';
import { humanTime, humanTimesIn } from '../domain/human-time.js';
import { count } from '../domain/plural.js';
import { terminalSafe } from '../domain/terminal-text.js';
import { formatWeekKey, requireWeek, shiftWeek } from '../domain/weeks.js';
import type { DraftChange, DraftDeps, DraftView, Refusal } from '../services/draft.js';
import { weekArgument } from './comparisons-commands.js';
import { type CliContext, UsageError } from './context.js';

const WEEK_HELP = 'ISO week, e.g. 2026-W47 (default: the upcoming edition)';

type DraftService = typeof import('../services/draft.js');

/** The draft service loads only when a draft command runs: through the editor's note it brings markdown-it,
 * which every other command's start-up would otherwise pay for. */
async function openDraft(context: CliContext): Promise<{ deps: DraftDeps; service: DraftService }> {
  const service = await import('../services/draft.js');
  return { deps: { db: await context.getDb(), clock: context.clock, config: context.getConfig() }, service };
}

/** The editor's note as plain text, indented for the terminal. */
async function noteLines(markdown: string): Promise<string[]> {
  const { renderedNote } = await import('../../emails/_components/editor-note.js');
  return indent(terminalSafe(renderedNote(markdown)?.text ?? '', { multiLine: true }));
}

/** The week a draft verb acts on: its own --week, the one given to `draft`, or the upcoming edition. */
async function targetWeek(
  { deps, service }: { deps: DraftDeps; service: DraftService },
  command: Command,
): Promise<string> {
  const { week } = command.optsWithGlobals<{ week?: string }>();
  return week ?? service.defaultDraftWeek(deps);
}

function indent(text: string, prefix = '    '): string[] {
  return text.split('\n').map((line) => (line === '' ? '' : `${prefix}${line}`));
}

async function printView(context: CliContext, view: DraftView): Promise<void> {
  const timeZone = context.getConfig().timeZone;
  const safe = (text: string) => terminalSafe(text);
  const when = (at: string) => humanTime(at, timeZone);
  if (view.kind === 'frozen') {
    const { edition } = view;
    context.print(
      `${view.weekKey} (${view.label}) is ${edition.status}${edition.reason ? ` (${safe(edition.reason)})` : ''}: its edition can no longer be changed.`,
    );
    if (edition.subject) context.print(`Subject: ${safe(edition.subject)}`);
    if (edition.note) {
      context.print('Note:');
      for (const line of await noteLines(edition.note)) context.print(line);
    }
    if (view.items.length > 0) context.print('Items, in order:');
    view.items.forEach((item, index) => {
      context.print(`  ${index + 1}. ${safe(item.slug)}\t${safe(item.title)}`);
    });
    if (edition.approved_by) {
      const at = edition.approved_at ? ` at ${when(edition.approved_at)}` : '';
      context.print(`Approved by ${safe(edition.approved_by)}${at}`);
    } else if (edition.status === 'sending' || edition.status === 'sent')
      context.print('Went out unapproved');
    const figures = Object.entries(view.counts.byStatus).map(([status, n]) => `${status} ${n}`);
    if (figures.length > 0) context.print(`Deliveries: ${figures.join(', ')}`);
    return;
  }
  const { plan, audience } = view;
  context.print(`${plan.weekKey} draft (${plan.label})`);
  context.print(`Subject: ${safe(plan.subject)}${plan.subjectOverride === null ? ' (default)' : ''}`);
  if (plan.note === null) context.print('Note: (none)');
  else {
    context.print('Note:');
    for (const line of await noteLines(plan.note)) context.print(line);
  }
  if (plan.items.length === 0) context.print('Items: none; the week would be recorded as skipped.');
  else context.print(`Items, in order (${count(plan.items.length, 'comparison')}):`);
  plan.items.forEach((item, index) => {
    context.print(`  ${index + 1}. ${safe(item.view.slug)}\t${safe(item.view.title)}`);
  });
  if (plan.held.length > 0) {
    const next = formatWeekKey(shiftWeek(requireWeek(plan.weekKey), 1));
    context.print(`Held back (offered again in ${next}):`);
    for (const item of plan.held) context.print(`  - ${safe(item.view.slug)}\t${safe(item.view.title)}`);
  }
  const { approval } = plan;
  const state =
    approval.state === 'approved'
      ? `approved by ${safe(approval.by)} at ${when(approval.at)}`
      : approval.state === 'changed'
        ? `not approved (the draft changed after ${safe(approval.by)} approved it at ${when(approval.at)})`
        : 'not approved';
  const rule =
    view.review === 'required'
      ? 'DIGEST_REVIEW=required: it goes out only once approved'
      : 'DIGEST_REVIEW=auto: it goes out at the due time, approved or not';
  context.print(`Review: ${state}; ${rule}`);
  context.print(`Due: ${view.due ? humanTime(view.due, timeZone) : 'never (DIGEST_SCHEDULE has no time)'}`);
  const excluded = [...audience.excluded].map(([reason, n]) => `${n} ${reason}`);
  context.print(
    `Readers: ${audience.eligible} would get it${excluded.length > 0 ? `; ${audience.total - audience.eligible} would not: ${excluded.join(', ')}` : ''}`,
  );
}

/**
 * Prints what a verb changed, or fails the command with the refusal's one sentence. The service's
 * sentences also serve the editor console; here their times are read in DIGEST_TIMEZONE, and what they
 * quote (titles, names) is made inert.
 */
function report(context: CliContext, result: DraftChange | Refusal): DraftChange {
  const { timeZone } = context.getConfig();
  const forTerminal = (sentence: string) => terminalSafe(humanTimesIn(sentence, timeZone));
  if (!result.ok) throw new UsageError(forTerminal(result.reason));
  context.print(forTerminal(result.message));
  if (result.approvalCleared) {
    const { by, at } = result.approvalCleared;
    context.print(
      `The approval by ${terminalSafe(by)} (${humanTime(at, timeZone)}) is cleared: any change to an approved draft clears it.`,
    );
  }
  return result;
}

async function noteSource(options: {
  file?: string;
  text?: string;
  clear?: boolean;
}): Promise<string | null> {
  const given = [options.file !== undefined, options.text !== undefined, options.clear === true];
  if (given.filter(Boolean).length !== 1) {
    throw new UsageError('Give the note with exactly one of --file <note.md>, --text "..." or --clear.');
  }
  if (options.clear) return null;
  if (options.text !== undefined) return options.text;
  const file = options.file ?? '';
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(cannotRead(file, error));
  }
}

export function registerDraftCommands(program: Command, context: CliContext): void {
  const draft = program
    .command('draft')
    .description("show the upcoming edition's draft: subject, note, items in order, review state, audience")
    .option('--week <week>', WEEK_HELP, weekArgument)
    // Options before a verb belong to `draft` (digest draft --week W note ...), after it to the verb.
    .enablePositionalOptions()
    .action(async (_options: unknown, command: Command) => {
      const draft = await openDraft(context);
      await printView(context, await draft.service.viewDraft(draft.deps, await targetWeek(draft, command)));
    });
  registerNote(draft, context);
  registerSubject(draft, context);
  registerOrder(draft, context);
  registerHold(draft, context);
  registerRelease(draft, context);
  registerApprove(program, context);
  registerUnapprove(program, context);
}

function registerNote(draft: Command, context: CliContext): void {
  draft
    .command('note')
    .description("set the editor's note (Markdown: paragraphs, emphasis, links), or --clear it")
    .option('--week <week>', WEEK_HELP, weekArgument)
    .option('--file <note.md>', 'read the note from a Markdown file')
    .option('--text <markdown>', 'the note itself')
    .option('--clear', 'remove the note')
    .action(async (options: { file?: string; text?: string; clear?: boolean }, command: Command) => {
      const markdown = await noteSource(options);
      const draft = await openDraft(context);
      const result = report(
        context,
        await draft.service.setNote(draft.deps, await targetWeek(draft, command), markdown),
      );
      if (markdown !== null && result.changed) {
        for (const line of await noteLines(markdown)) context.print(line);
      }
    });
}

function registerSubject(draft: Command, context: CliContext): void {
  draft
    .command('subject')
    .description('override the default subject, or --clear the override')
    .argument('[subject]', 'the subject line')
    .option('--week <week>', WEEK_HELP, weekArgument)
    .option('--clear', 'go back to the default subject')
    .action(async (subject: string | undefined, options: { clear?: boolean }, command: Command) => {
      if ((subject === undefined) === (options.clear !== true)) {
        throw new UsageError('Give the subject in quotes, or --clear to go back to the default subject.');
      }
      const draft = await openDraft(context);
      report(
        context,
        await draft.service.setSubject(draft.deps, await targetWeek(draft, command), subject ?? null),
      );
    });
}

function registerOrder(draft: Command, context: CliContext): void {
  draft
    .command('order')
    .description('put these comparisons first, in this order; the rest follow newest first')
    .argument('<slugs...>', 'comparison slugs')
    .option('--week <week>', WEEK_HELP, weekArgument)
    .action(async (slugs: string[], _options: unknown, command: Command) => {
      const draft = await openDraft(context);
      report(context, await draft.service.setOrder(draft.deps, await targetWeek(draft, command), slugs));
    });
}

function registerHold(draft: Command, context: CliContext): void {
  draft
    .command('hold')
    .description("leave a comparison out of this edition; next week's draft offers it again")
    .argument('<slug>', 'comparison slug')
    .option('--week <week>', WEEK_HELP, weekArgument)
    .action(async (slug: string, _options: unknown, command: Command) => {
      const draft = await openDraft(context);
      report(context, await draft.service.holdItem(draft.deps, await targetWeek(draft, command), slug));
    });
}

function registerRelease(draft: Command, context: CliContext): void {
  draft
    .command('release')
    .description('put a held comparison back into this edition')
    .argument('<slug>', 'comparison slug')
    .option('--week <week>', WEEK_HELP, weekArgument)
    .action(async (slug: string, _options: unknown, command: Command) => {
      const draft = await openDraft(context);
      report(context, await draft.service.releaseItem(draft.deps, await targetWeek(draft, command), slug));
    });
}

function registerApprove(program: Command, context: CliContext): void {
  program
    .command('approve')
    .description('approve the draft as it stands (with DIGEST_REVIEW=required nothing goes out without it)')
    .option('--week <week>', WEEK_HELP, weekArgument)
    .option('--by <name>', 'who approves (default: your user name)')
    .action(async (options: { week?: string; by?: string }) => {
      const { deps, service } = await openDraft(context);
      const weekKey = options.week ?? (await service.defaultDraftWeek(deps));
      const result = report(context, await service.approve(deps, weekKey, options.by ?? userInfo().username));
      if (!result.changed) return;
      const view = await service.viewDraft(deps, weekKey);
      const due = view.kind === 'draft' ? view.due : undefined;
      const { review, timeZone } = deps.config;
      if (review === 'auto') {
        context.print(
          'DIGEST_REVIEW=auto: it goes out at the due time either way; the edition records the approval.',
        );
      } else if (due && due <= context.clock.now()) {
        context.print('It is due: a running worker sends it within a minute, or run `digest send`.');
      } else if (due) {
        context.print(`A running worker sends it when it is due, ${humanTime(due, timeZone)}.`);
      }
    });
}

function registerUnapprove(program: Command, context: CliContext): void {
  program
    .command('unapprove')
    .description('take an approval back, until the week starts sending')
    .option('--week <week>', WEEK_HELP, weekArgument)
    .action(async (options: { week?: string }) => {
      const { deps, service } = await openDraft(context);
      report(context, await service.unapprove(deps, options.week ?? (await service.defaultDraftWeek(deps))));
    });
}
