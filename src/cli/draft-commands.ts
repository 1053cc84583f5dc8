// digest draft [note | subject | order | hold | release] | approve | unapprove: the editorial workflow of
// SPEC section 13 on the command line, through the same service the editor console uses.
import { readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { describeInstant } from '../domain/draft.js';
import { count } from '../domain/plural.js';
import { formatWeekKey, requireWeek, shiftWeek } from '../domain/weeks.js';
import {
  approve,
  type DraftChange,
  type DraftDeps,
  type DraftView,
  defaultDraftWeek,
  holdItem,
  type Refusal,
  releaseItem,
  setNote,
  setOrder,
  setSubject,
  unapprove,
  viewDraft,
} from '../services/draft.js';
import { renderedNote } from '../services/plan-edition.js';
import { weekArgument } from './comparisons-commands.js';
import { type CliContext, UsageError } from './context.js';

const WEEK_HELP = 'ISO week, e.g. 2026-W47 (default: the upcoming edition)';

async function draftDeps(context: CliContext): Promise<DraftDeps> {
  return { db: await context.getDb(), clock: context.clock, config: context.getConfig() };
}

/** The week a draft verb acts on: its own --week, the one given to `draft`, or the upcoming edition. */
async function targetWeek(deps: DraftDeps, command: Command): Promise<string> {
  const { week } = command.optsWithGlobals<{ week?: string }>();
  return week ?? defaultDraftWeek(deps);
}

function indent(text: string, prefix = '    '): string[] {
  return text.split('\n').map((line) => (line === '' ? '' : `${prefix}${line}`));
}

function printView(context: CliContext, view: DraftView): void {
  const timeZone = context.getConfig().timeZone;
  if (view.kind === 'frozen') {
    const { edition } = view;
    context.print(
      `${view.weekKey} (${view.label}) is ${edition.status}${edition.reason ? ` (${edition.reason})` : ''}: its edition can no longer be changed.`,
    );
    if (edition.subject) context.print(`Subject: ${edition.subject}`);
    if (edition.note) {
      context.print('Note:');
      for (const line of indent(renderedNote(edition.note)?.text ?? '')) context.print(line);
    }
    if (view.items.length > 0) context.print('Items, in order:');
    view.items.forEach((item, index) => {
      context.print(`  ${index + 1}. ${item.slug}\t${item.title}`);
    });
    if (edition.approved_by) context.print(`Approved by ${edition.approved_by} at ${edition.approved_at}`);
    else if (edition.status === 'sending' || edition.status === 'sent') context.print('Went out unapproved');
    const figures = Object.entries(view.counts.byStatus).map(([status, n]) => `${status} ${n}`);
    if (figures.length > 0) context.print(`Deliveries: ${figures.join(', ')}`);
    return;
  }
  const { plan, audience } = view;
  context.print(`${plan.weekKey} draft (${plan.label})`);
  context.print(`Subject: ${plan.subject}${plan.subjectOverride === null ? ' (default)' : ''}`);
  if (plan.note === null) context.print('Note: (none)');
  else {
    context.print('Note:');
    for (const line of indent(renderedNote(plan.note)?.text ?? '')) context.print(line);
  }
  if (plan.items.length === 0) context.print('Items: none; the week would be recorded as skipped.');
  else context.print(`Items, in order (${count(plan.items.length, 'comparison')}):`);
  plan.items.forEach((item, index) => {
    context.print(`  ${index + 1}. ${item.view.slug}\t${item.view.title}`);
  });
  if (plan.held.length > 0) {
    const next = formatWeekKey(shiftWeek(requireWeek(plan.weekKey), 1));
    context.print(`Held back (offered again in ${next}):`);
    for (const item of plan.held) context.print(`  - ${item.view.slug}\t${item.view.title}`);
  }
  const { approval } = plan;
  const state =
    approval.state === 'approved'
      ? `approved by ${approval.by} at ${approval.at}`
      : approval.state === 'changed'
        ? `not approved (the draft changed after ${approval.by} approved it at ${approval.at})`
        : 'not approved';
  const rule =
    view.review === 'required'
      ? 'DIGEST_REVIEW=required: it goes out only once approved'
      : 'DIGEST_REVIEW=auto: it goes out at the due time, approved or not';
  context.print(`Review: ${state}; ${rule}`);
  context.print(
    `Due: ${view.due ? describeInstant(view.due, timeZone) : 'never (DIGEST_SCHEDULE has no time)'}`,
  );
  const excluded = [...audience.excluded].map(([reason, n]) => `${n} ${reason}`);
  context.print(
    `Readers: ${audience.eligible} would get it${excluded.length > 0 ? `; ${audience.total - audience.eligible} would not: ${excluded.join(', ')}` : ''}`,
  );
}

/** Prints what a verb changed, or fails the command with the refusal's one sentence. */
function report(context: CliContext, result: DraftChange | Refusal): DraftChange {
  if (!result.ok) throw new UsageError(result.reason);
  context.print(result.message);
  if (result.approvalCleared) {
    context.print(
      `The approval by ${result.approvalCleared.by} (${result.approvalCleared.at}) is cleared: any change to an approved draft clears it.`,
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
    throw new UsageError(
      `Cannot read the note file ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`,
    );
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
      const deps = await draftDeps(context);
      printView(context, await viewDraft(deps, await targetWeek(deps, command)));
    });

  draft
    .command('note')
    .description("set the editor's note (Markdown: paragraphs, emphasis, links), or --clear it")
    .option('--week <week>', WEEK_HELP, weekArgument)
    .option('--file <note.md>', 'read the note from a Markdown file')
    .option('--text <markdown>', 'the note itself')
    .option('--clear', 'remove the note')
    .action(async (options: { file?: string; text?: string; clear?: boolean }, command: Command) => {
      const markdown = await noteSource(options);
      const deps = await draftDeps(context);
      const result = report(context, await setNote(deps, await targetWeek(deps, command), markdown));
      if (markdown !== null && result.changed) {
        for (const line of indent(renderedNote(markdown)?.text ?? '')) context.print(line);
      }
    });

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
      const deps = await draftDeps(context);
      report(context, await setSubject(deps, await targetWeek(deps, command), subject ?? null));
    });

  draft
    .command('order')
    .description('put these comparisons first, in this order; the rest follow newest first')
    .argument('<slugs...>', 'comparison slugs')
    .option('--week <week>', WEEK_HELP, weekArgument)
    .action(async (slugs: string[], _options: unknown, command: Command) => {
      const deps = await draftDeps(context);
      report(context, await setOrder(deps, await targetWeek(deps, command), slugs));
    });

  draft
    .command('hold')
    .description("leave a comparison out of this edition; next week's draft offers it again")
    .argument('<slug>', 'comparison slug')
    .option('--week <week>', WEEK_HELP, weekArgument)
    .action(async (slug: string, _options: unknown, command: Command) => {
      const deps = await draftDeps(context);
      report(context, await holdItem(deps, await targetWeek(deps, command), slug));
    });

  draft
    .command('release')
    .description('put a held comparison back into this edition')
    .argument('<slug>', 'comparison slug')
    .option('--week <week>', WEEK_HELP, weekArgument)
    .action(async (slug: string, _options: unknown, command: Command) => {
      const deps = await draftDeps(context);
      report(context, await releaseItem(deps, await targetWeek(deps, command), slug));
    });

  program
    .command('approve')
    .description('approve the draft as it stands (with DIGEST_REVIEW=required nothing goes out without it)')
    .option('--week <week>', WEEK_HELP, weekArgument)
    .option('--by <name>', 'who approves (default: your user name)')
    .action(async (options: { week?: string; by?: string }) => {
      const deps = await draftDeps(context);
      const weekKey = options.week ?? (await defaultDraftWeek(deps));
      const result = report(context, await approve(deps, weekKey, options.by ?? userInfo().username));
      if (!result.changed) return;
      const view = await viewDraft(deps, weekKey);
      const due = view.kind === 'draft' ? view.due : undefined;
      const { review, timeZone } = deps.config;
      if (review === 'auto') {
        context.print(
          'DIGEST_REVIEW=auto: it goes out at the due time either way; the edition records the approval.',
        );
      } else if (due && due <= context.clock.now()) {
        context.print('It is due: a running worker sends it within a minute, or run `digest send`.');
      } else if (due) {
        context.print(`A running worker sends it when it is due, ${describeInstant(due, timeZone)}.`);
      }
    });

  program
    .command('unapprove')
    .description('take an approval back, until the week starts sending')
    .option('--week <week>', WEEK_HELP, weekArgument)
    .action(async (options: { week?: string }) => {
      const deps = await draftDeps(context);
      report(context, await unapprove(deps, options.week ?? (await defaultDraftWeek(deps))));
    });
}
