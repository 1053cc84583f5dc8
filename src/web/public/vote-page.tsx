// The pages a vote link opens (docs/votes.md): the question (opening a link records nothing), the answer
// once the reader pressed a button, the inert page of editors' copies, and the refusals. No JavaScript:
// each choice is a form whose POST goes to that choice's own signed link, so the button is the vote.
import type { VoteChoice } from '../../../db/schema.js';
import { choiceLabel } from '../../domain/vote-link.js';
import { errorPage, page } from '../pages.js';

const STYLE = `
.ballot{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:16px;margin:16px 0}
.ballot>:first-child{margin-top:0}
.ballot>:last-child{margin-bottom:0}
.comparison{font-weight:600;margin:0 0 4px}
.choices{display:flex;flex-wrap:wrap;gap:12px;margin:16px 0 8px}
.choices form{margin:0}
button.secondary{background:#fff;color:#0550ae;border:1px solid #0550ae}
.ship{color:#1a7f37}
.skip{color:#b42318}
.info{background:#fff8c5;border:1px solid #9a6700;border-radius:6px;padding:8px 12px}
`;

// Nothing a vote link shows belongs in a search engine: each page is one reader's.
const head = { style: STYLE, noindex: true } as const;

/** A vote the reader cast before, as the page words it. */
export interface EarlierVote {
  readonly choice: VoteChoice;
  /** When they cast or last changed it: the instant (ISO 8601) and the day in words. */
  readonly at: string;
  readonly day: string;
}

function Earlier({ vote, lead = 'You said' }: { vote: EarlierVote; lead?: string }) {
  return (
    <>
      {lead} <strong>{choiceLabel(vote.choice)}</strong> on <time dateTime={vote.at}>{vote.day}</time>
    </>
  );
}

function ChoiceForm({ action, label, secondary }: { action: string; label: string; secondary?: boolean }) {
  return (
    <form method="post" action={action}>
      <button type="submit" className={secondary ? 'secondary' : undefined}>
        {label}
      </button>
    </form>
  );
}

export interface VotePageInput {
  readonly toolName: string;
  readonly comparisonTitle: string;
  readonly choice: VoteChoice;
  readonly previous?: EarlierVote | undefined;
  /** This choice's link: the form posts back to it. */
  readonly recordAction: string;
  /** The other choice's signed link. */
  readonly otherAction: string;
}

/** What GET (or a mail scanner's HEAD) of a vote link shows: the choice, and the buttons that record it. */
export function votePage(input: VotePageInput) {
  const label = choiceLabel(input.choice);
  const other = choiceLabel(input.choice === 'ship' ? 'skip' : 'ship');
  return page(
    `Your verdict on ${input.toolName}`,
    <>
      <h1>
        Your verdict on {input.toolName}: <strong className={input.choice}>{label}</strong>
      </h1>
      <section className="ballot">
        <p className="comparison">{input.comparisonTitle}</p>
        {input.previous && (
          <p className="notice" role="status">
            <Earlier vote={input.previous} />.
          </p>
        )}
        <div className="choices">
          <ChoiceForm action={input.recordAction} label={`Record ${label}`} />
          <ChoiceForm action={input.otherAction} label={`${other} instead`} secondary />
        </div>
      </section>
      <p className="muted">
        Nothing is recorded until you press a button. You have one vote per tool: voting again replaces it.
      </p>
    </>,
    head,
  );
}

export interface VoteRecordedInput {
  readonly toolName: string;
  readonly comparisonTitle: string;
  /** The comparison's page on the site. */
  readonly comparisonUrl: string;
  readonly recorded: VoteChoice;
  /** Their vote before this one, if they had cast one. */
  readonly previous?: EarlierVote | undefined;
  /** The other choice's signed link, to change the vote. */
  readonly changeAction: string;
}

/** The answer to the POST that recorded a vote: what was recorded, what it replaced, and how to change it. */
export function voteRecordedPage(input: VoteRecordedInput) {
  const label = choiceLabel(input.recorded);
  const previous = input.previous;
  return page(
    'Vote recorded',
    <>
      <h1>Thank you: your verdict is in</h1>
      <p className="notice" role="status">
        Recorded: <strong>{label}</strong> on {input.toolName}.
      </p>
      {previous && previous.choice !== input.recorded && (
        <p>
          <Earlier vote={previous} lead="You had said" />; {label} replaces it.
        </p>
      )}
      {previous && previous.choice === input.recorded && (
        <p>
          <Earlier vote={previous} lead="You had already said" />; it stands.
        </p>
      )}
      <section className="ballot">
        <p className="comparison">{input.comparisonTitle}</p>
        <p>
          <a href={input.comparisonUrl}>Read the full comparison</a>
        </p>
        <ChoiceForm
          action={input.changeAction}
          label={`Change to ${choiceLabel(input.recorded === 'ship' ? 'skip' : 'ship')}`}
          secondary
        />
      </section>
    </>,
    head,
  );
}

/** Where the vote links of test, review and preview copies lead: nothing here records anything. */
export function voteCopyPage() {
  return page(
    "Editor's copy",
    <>
      <h1>This is an editor's copy</h1>
      <p className="info" role="status">
        Votes from it are not recorded.
      </p>
      <p>
        Test, review and preview copies of the digest go to the people who make it, so their vote links lead
        here. Each reader's own digest carries links that record that reader's vote.
      </p>
    </>,
    head,
  );
}

/** A vote link that records nothing, and why, in the reader's terms. */
export function voteRefusedPage(title: string, message: string) {
  return errorPage(title, message, head);
}
