// Which edition a comparison rode in or will ride in, by the selection rule (docs/schedule.md): that of
// the week it was published in, or, when that week's edition was planned before the comparison was imported,
// the next week's; never one that was already planned without it. A week that was missed, or skipped for
// want of readers, hands its comparisons on to the next week that is not one too. A comparison an editor
// held back rides the first week after the last one that held it (see the README's decision on held comparisons).
import type { EditionStatus } from '../../db/schema.js';
import { handsOn, type RecordedEdition } from './edition-plan.js';
import { formatWeekKey, requireWeek, shiftWeek } from './weeks.js';

/** The first week after `week` that did not hand its comparisons on (it may not be planned yet). */
function nextTaker(week: string, editions: ReadonlyMap<string, RecordedEdition>): string {
  let next = formatWeekKey(shiftWeek(requireWeek(week), 1));
  for (let edition = editions.get(next); edition && handsOn(edition); ) {
    next = formatWeekKey(shiftWeek(requireWeek(next), 1));
    edition = editions.get(next);
  }
  return next;
}

export type EditionOf =
  | { readonly kind: 'carried'; readonly week: string; readonly status: EditionStatus }
  | { readonly kind: 'upcoming'; readonly week: string; readonly heldBackFrom?: string | undefined }
  | { readonly kind: 'none'; readonly reason: string };

export function editionOf(input: {
  readonly publishedWeek: string;
  /** ISO instant of the comparison's first import. */
  readonly importedAt: string;
  readonly carriedBy?: { readonly week: string; readonly status: EditionStatus } | undefined;
  readonly editions: ReadonlyMap<string, RecordedEdition>;
  /** Weeks whose drafts hold it back. */
  readonly heldIn?: readonly string[] | undefined;
}): EditionOf {
  if (input.carriedBy) return { kind: 'carried', ...input.carriedBy };
  // Week keys sort as text in calendar order.
  const lastHold = [...(input.heldIn ?? [])].sort().at(-1);
  if (lastHold !== undefined) {
    // Every later week's draft offers it until one carries it; a missed week planned nothing.
    const week = nextTaker(lastHold, input.editions);
    if (!input.editions.has(week)) return { kind: 'upcoming', week, heldBackFrom: lastHold };
    return { kind: 'none', reason: `held back from ${lastHold}, and ${week} was planned without it` };
  }
  const week = input.publishedWeek;
  const own = input.editions.get(week);
  if (!own) return { kind: 'upcoming', week };
  // A week that went out (or is going out, or had nothing) before this comparison arrived hands it on, and
  // so does one that never went out or had nobody to go to.
  const passedOn = handsOn(own);
  if (!passedOn && input.importedAt <= own.plannedAt) {
    return { kind: 'none', reason: `${week} was ${own.status} without it` };
  }
  const next = nextTaker(week, input.editions);
  if (!input.editions.has(next)) return { kind: 'upcoming', week: next };
  return { kind: 'none', reason: `imported after ${week} and ${next} were planned` };
}

export function describeEditionOf(edition: EditionOf): string {
  switch (edition.kind) {
    case 'carried':
      return `${edition.week} (${edition.status})`;
    case 'upcoming':
      return edition.heldBackFrom
        ? `${edition.week} (upcoming, held back from ${edition.heldBackFrom})`
        : `${edition.week} (upcoming)`;
    case 'none':
      return `none (${edition.reason})`;
  }
}
