// The upcoming edition's page: review state, due time, audience, the items with their moves and holds,
// the subject and note forms, approval, test-send, and the email in frames at 600 and 375 px as any
// category variant or as one subscriber. A week's items are shown a page at a time (?page=): a week of
// thousands would otherwise be thousands of forms in one page, megabytes for the server to build.
import { type ApprovalState, describeInstant, type ReviewMode } from '../../domain/draft.js';
import { count } from '../../domain/plural.js';
import { formatWeekKey, requireWeek, shiftWeek } from '../../domain/weeks.js';
import type { DraftView } from '../../services/draft.js';
import { Action, consolePage, type Shell, TokenField } from './shell.js';

function approvalText(approval: ApprovalState): string {
  if (approval.state === 'approved') return `Approved by ${approval.by}`;
  if (approval.state === 'changed') return `Not approved: the draft changed after ${approval.by} approved it`;
  return 'Not approved';
}

const REVIEW_RULE: Record<ReviewMode, string> = {
  required: 'With DIGEST_REVIEW=required it goes out only once approved.',
  auto: 'With DIGEST_REVIEW=auto it goes out at the due time, approved or not; the edition records an approval.',
};

export interface PreviewChoice {
  /** Categories of the week's comparisons: each is a variant (readers following only it). */
  readonly categories: readonly string[];
  readonly category?: string | undefined;
  readonly as?: string | undefined;
  /** The query of the preview frames' address (week and variant). */
  readonly query: string;
}

/** How many items the page lists at a time; further ones are on ?page=2 and on. */
export const ITEMS_PER_PAGE = 100;
/** How many held-back items the page lists; any beyond are counted (the CLI releases them too). */
export const HELD_SHOWN = 100;

/** Which slice of `total` items page `requested` shows (a page past the end shows the last one). */
export function itemsPage(total: number, requested: number) {
  const pages = Math.max(1, Math.ceil(total / ITEMS_PER_PAGE));
  const page = Math.min(Math.max(1, Math.trunc(requested) || 1), pages);
  const from = (page - 1) * ITEMS_PER_PAGE;
  return { page, pages, from, to: Math.min(total, from + ITEMS_PER_PAGE) };
}

function Pager({ weekKey, total, at }: { weekKey: string; total: number; at: ReturnType<typeof itemsPage> }) {
  if (at.pages === 1) return null;
  const href = (page: number) => `/admin?week=${weekKey}&page=${page}#items`;
  return (
    <nav aria-label="Pages of items" className="pager">
      <p>
        Items {(at.from + 1).toLocaleString('en-US')}–{at.to.toLocaleString('en-US')} of{' '}
        {total.toLocaleString('en-US')}, page {at.page} of {at.pages}.{' '}
        {at.page > 1 && <a href={href(at.page - 1)}>← Previous {ITEMS_PER_PAGE}</a>}
        {at.page > 1 && at.page < at.pages && ' · '}
        {at.page < at.pages && (
          <a href={href(at.page + 1)}>Next {Math.min(ITEMS_PER_PAGE, total - at.to)} →</a>
        )}
      </p>
    </nav>
  );
}

function Preview({ weekKey, preview }: { weekKey: string; preview: PreviewChoice }) {
  const src = `/admin/preview?${preview.query}`;
  return (
    <section aria-labelledby="preview">
      <h2 id="preview">The email</h2>
      <form method="get" action="/admin">
        <input type="hidden" name="week" value={weekKey} />
        <label htmlFor="variant">As readers of</label>
        <select id="variant" name="category" defaultValue={preview.category ?? ''}>
          <option value="">every category (the whole edition)</option>
          {preview.categories.map((category) => (
            <option key={category} value={category}>
              {category} only
            </option>
          ))}
        </select>
        <label htmlFor="as">Or as this subscriber gets it</label>
        <input id="as" type="email" name="as" defaultValue={preview.as} placeholder="reader@example.com" />
        <p>
          <button type="submit" className="secondary">
            Show
          </button>
        </p>
      </form>
      <p className="hint">
        A review copy: the links that would change a reader's subscription are left out, and the frames open
        no link.
      </p>
      <div className="frames">
        {[600, 375].map((width) => (
          <figure key={width}>
            <figcaption>{width} px</figcaption>
            <div className="frame">
              <iframe title={`The email at ${width} px`} src={src} width={width} height={1400} sandbox="" />
            </div>
          </figure>
        ))}
      </div>
    </section>
  );
}

export function upcomingPage(input: {
  readonly shell: Shell;
  readonly view: DraftView;
  readonly timeZone: string;
  readonly preview: PreviewChoice;
  /** Which page of the items to list (1: the first ITEMS_PER_PAGE). Default 1. */
  readonly page?: number | undefined;
}): string {
  const { shell, view } = input;
  if (view.kind === 'frozen') {
    const { edition } = view;
    const frozenAt = itemsPage(view.items.length, input.page ?? 1);
    return consolePage(
      `${view.weekKey} edition`,
      'upcoming',
      shell,
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
          <Pager weekKey={view.weekKey} total={view.items.length} at={frozenAt} />
          <ol start={frozenAt.from + 1}>
            {view.items.slice(frozenAt.from, frozenAt.to).map((item) => (
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
  const { plan, audience } = view;
  const week = { week: plan.weekKey };
  const next = formatWeekKey(shiftWeek(requireWeek(plan.weekKey), 1));
  const at = itemsPage(plan.items.length, input.page ?? 1);
  // Forms on a later page come back to it.
  const onPage: Record<string, string> = at.page > 1 ? { page: String(at.page) } : {};
  const approved = plan.approval.state === 'approved';
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

      <section className="card" aria-labelledby="review">
        <h2 id="review">Review</h2>
        <p>
          <span className={approved ? 'state ok' : 'state warn'}>{approvalText(plan.approval)}</span>
          {approved && plan.approval.state === 'approved' && (
            <span className="muted"> on {describeInstant(new Date(plan.approval.at), input.timeZone)}</span>
          )}
        </p>
        <p>{REVIEW_RULE[view.review]}</p>
        <p>
          <strong>Due:</strong>{' '}
          {view.due ? describeInstant(view.due, input.timeZone) : 'never (DIGEST_SCHEDULE has no time)'}
        </p>
        {approved ? (
          <Action
            action="/admin/draft/unapprove"
            fields={week}
            label="Take back the approval"
            shell={shell}
          />
        ) : (
          <Action
            action="/admin/draft/approve"
            fields={week}
            label="Approve this edition"
            shell={shell}
            disabled={plan.items.length === 0}
          />
        )}
      </section>

      <section className="card" aria-labelledby="audience">
        <h2 id="audience">Audience</h2>
        <p>
          <strong>{count(audience.eligible, 'reader')}</strong> would get it, of{' '}
          {count(audience.total, 'subscriber')}.
        </p>
        {audience.excluded.size > 0 && (
          <table>
            <caption className="muted">Who would not, and why</caption>
            <tbody>
              {[...audience.excluded].map(([reason, n]) => (
                <tr key={reason}>
                  <td>{reason}</td>
                  <td className="n">{n}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section className="card" aria-labelledby="items">
        <h2 id="items">Items, in order</h2>
        {plan.items.length === 0 && (
          <p>Nothing goes out this week as it stands: the week would be recorded as skipped.</p>
        )}
        <Pager weekKey={plan.weekKey} total={plan.items.length} at={at} />
        <ol className="items">
          {plan.items.slice(at.from, at.to).map((item, shown) => {
            const index = at.from + shown;
            return (
              <li key={item.view.slug}>
                <span className="what">
                  <strong>
                    {index + 1}. {item.view.title}
                  </strong>
                  <br />
                  <span className="muted">
                    {item.view.slug} · {item.view.categories.join(', ')}
                  </span>
                </span>
                <span className="actions">
                  <Action
                    action="/admin/draft/move"
                    fields={{ ...week, ...onPage, slug: item.view.slug, direction: 'up' }}
                    label="Move up"
                    ariaLabel={`Move up: ${item.view.title}`}
                    shell={shell}
                    secondary
                    small
                    disabled={index === 0}
                  />
                  <Action
                    action="/admin/draft/move"
                    fields={{ ...week, ...onPage, slug: item.view.slug, direction: 'down' }}
                    label="Move down"
                    ariaLabel={`Move down: ${item.view.title}`}
                    shell={shell}
                    secondary
                    small
                    disabled={index === plan.items.length - 1}
                  />
                  <Action
                    action="/admin/draft/hold"
                    fields={{ ...week, ...onPage, slug: item.view.slug }}
                    label="Hold back"
                    ariaLabel={`Hold back: ${item.view.title}`}
                    shell={shell}
                    secondary
                    small
                  />
                </span>
              </li>
            );
          })}
        </ol>
        <Pager weekKey={plan.weekKey} total={plan.items.length} at={at} />
        {plan.held.length > 0 && (
          <>
            <h3>Held back (offered again in {next})</h3>
            <ul className="items">
              {plan.held.slice(0, HELD_SHOWN).map((item) => (
                <li key={item.view.slug}>
                  <span className="what">
                    {item.view.title}
                    <br />
                    <span className="muted">{item.view.slug}</span>
                  </span>
                  <span className="actions">
                    <Action
                      action="/admin/draft/release"
                      fields={{ ...week, ...onPage, slug: item.view.slug }}
                      label="Release"
                      ariaLabel={`Release: ${item.view.title}`}
                      shell={shell}
                      secondary
                      small
                    />
                  </span>
                </li>
              ))}
            </ul>
            {plan.held.length > HELD_SHOWN && (
              <p className="muted">
                And {count(plan.held.length - HELD_SHOWN, 'more item')} held back (
                <code>digest draft release</code> releases any of them).
              </p>
            )}
          </>
        )}
        <p className="hint">
          Moving an item fixes the order of every item shown; comparisons published later join after them.
        </p>
      </section>

      <section className="card" aria-labelledby="subject">
        <h2 id="subject">Subject</h2>
        <form method="post" action="/admin/draft/subject">
          <TokenField token={shell.formToken} />
          <input type="hidden" name="week" value={plan.weekKey} />
          <label htmlFor="subject-line">Subject line</label>
          <input
            id="subject-line"
            type="text"
            name="subject"
            maxLength={200}
            defaultValue={plan.subjectOverride ?? ''}
            placeholder={plan.subject}
          />
          <p className="hint">Empty: the default, which names the lead comparison.</p>
          <button type="submit">Save the subject</button>
        </form>
        {plan.subjectOverride !== null && (
          <Action
            action="/admin/draft/subject"
            fields={{ ...week, clear: '1' }}
            label="Use the default subject"
            shell={shell}
            secondary
          />
        )}
      </section>

      <section className="card" aria-labelledby="note">
        <h2 id="note">Editor's note</h2>
        <form method="post" action="/admin/draft/note">
          <TokenField token={shell.formToken} />
          <input type="hidden" name="week" value={plan.weekKey} />
          <label htmlFor="note-text">Note, shown under the masthead</label>
          <textarea id="note-text" name="note" rows={6} maxLength={2000} defaultValue={plan.note ?? ''} />
          <p className="hint">
            Markdown: paragraphs, *emphasis*, **strong** and [links](https://example.com). Empty: no note.
          </p>
          <button type="submit">Save the note</button>
        </form>
      </section>

      <section className="card" aria-labelledby="test">
        <h2 id="test">Send a test</h2>
        <form method="post" action="/admin/test-send">
          <TokenField token={shell.formToken} />
          <input type="hidden" name="week" value={plan.weekKey} />
          <label htmlFor="test-to">To (comma-separated addresses)</label>
          <input id="test-to" type="text" name="to" defaultValue={shell.editor} autoComplete="off" />
          <label htmlFor="test-as">As this subscriber gets it (optional)</label>
          <input id="test-as" type="email" name="as" placeholder="reader@example.com" />
          <p className="hint">The copy's subject starts with [TEST]; it changes nobody's subscription.</p>
          <button type="submit">Send the test</button>
        </form>
      </section>

      {plan.items.length > 0 && <Preview weekKey={plan.weekKey} preview={input.preview} />}
    </>,
    { wide: true },
  );
}
