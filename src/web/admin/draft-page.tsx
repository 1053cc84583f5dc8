// The upcoming edition's page: review state, due time, audience, the items with their moves and holds,
// the subject and note forms, approval, test-send, and the email in frames at 600 and 375 px as any
// category variant or as one subscriber. A week already sent (or being sent) shows what went out instead.
// Its pieces: draft-cards.tsx, draft-items.tsx (a page of items at a time), draft-preview.tsx.
import { formatWeekKey, requireWeek, shiftWeek } from '../../domain/weeks.js';
import type { DraftView } from '../../services/draft.js';
import { AudienceCard, NoteCard, ReviewCard, SubjectCard, TestSendCard } from './draft-cards.js';
import { ItemsCard, itemsPage, Pager } from './draft-items.js';
import { Preview, type PreviewChoice } from './draft-preview.js';
import { consolePage, type Shell } from './shell.js';

interface UpcomingInput {
  readonly shell: Shell;
  readonly view: DraftView;
  readonly timeZone: string;
  readonly preview: PreviewChoice;
  /** Which page of the items to list (1: the first ITEMS_PER_PAGE). Default 1. */
  readonly page?: number | undefined;
}

/** A week whose edition is frozen: its status, subject, items and approval, and the email. */
function frozenPage(input: UpcomingInput, view: Extract<DraftView, { kind: 'frozen' }>): string {
  const { edition } = view;
  const at = itemsPage(view.items.length, input.page ?? 1);
  return consolePage(
    `${view.weekKey} edition`,
    'upcoming',
    input.shell,
    <>
      <h1>
        {view.label} <span className="muted">{view.weekKey}</span>
      </h1>
      <p className="notice" role="status">
        This week is {edition.status}
        {edition.reason ? ` (${edition.reason})` : ''}: its edition can no longer be changed.
      </p>
      {edition.subject && <p>Subject: {edition.subject}</p>}
      <section id="items" aria-label="Items">
        <Pager weekKey={view.weekKey} total={view.items.length} at={at} />
        <ol start={at.from + 1}>
          {view.items.slice(at.from, at.to).map((item) => (
            <li key={item.slug}>{item.title}</li>
          ))}
        </ol>
      </section>
      <p>
        {edition.approved_by
          ? `Approved by ${edition.approved_by} at ${edition.approved_at}.`
          : 'It went out unapproved.'}
      </p>
      {view.items.length > 0 && <Preview weekKey={view.weekKey} preview={input.preview} />}
    </>,
    { wide: true },
  );
}

/** The draft: every card, each with its forms. */
function draftPage(input: UpcomingInput, view: Extract<DraftView, { kind: 'draft' }>): string {
  const { shell } = input;
  const { plan } = view;
  const next = formatWeekKey(shiftWeek(requireWeek(plan.weekKey), 1));
  return consolePage(
    `${plan.weekKey} draft`,
    'upcoming',
    shell,
    <>
      <h1>
        {plan.label} <span className="muted">{plan.weekKey} draft</span>
      </h1>
      <p>
        <strong>Subject:</strong> {plan.subject}
        {plan.subjectOverride === null && <span className="muted"> (default)</span>}
      </p>
      <ReviewCard view={view} timeZone={input.timeZone} shell={shell} />
      <AudienceCard audience={view.audience} />
      <ItemsCard plan={plan} at={itemsPage(plan.items.length, input.page ?? 1)} next={next} shell={shell} />
      <SubjectCard plan={plan} shell={shell} />
      <NoteCard plan={plan} shell={shell} />
      <TestSendCard weekKey={plan.weekKey} shell={shell} />
      {plan.items.length > 0 && <Preview weekKey={plan.weekKey} preview={input.preview} />}
    </>,
    { wide: true },
  );
}

export function upcomingPage(input: UpcomingInput): string {
  return input.view.kind === 'frozen' ? frozenPage(input, input.view) : draftPage(input, input.view);
}
