// The upcoming edition's cards besides its items: the review (approval and due time), the audience, and the
// subject, note and test-send forms.
import { type ApprovalState, describeInstant, type ReviewMode } from '../../domain/draft.js';
import { count } from '../../domain/plural.js';
import type { DraftView } from '../../services/draft.js';
import { Action, type Shell, TokenField } from './shell.js';

type Draft = Extract<DraftView, { kind: 'draft' }>;
type Plan = Draft['plan'];

function approvalText(approval: ApprovalState): string {
  if (approval.state === 'approved') return `Approved by ${approval.by}`;
  if (approval.state === 'changed') return `Not approved: the draft changed after ${approval.by} approved it`;
  return 'Not approved';
}

const REVIEW_RULE: Record<ReviewMode, string> = {
  required: 'With DIGEST_REVIEW=required it goes out only once approved.',
  auto: 'With DIGEST_REVIEW=auto it goes out at the due time, approved or not; the edition records an approval.',
};

export function ReviewCard({ view, timeZone, shell }: { view: Draft; timeZone: string; shell: Shell }) {
  const { plan } = view;
  const week = { week: plan.weekKey };
  const approved = plan.approval.state === 'approved';
  return (
    <section className="card" aria-labelledby="review">
      <h2 id="review">Review</h2>
      <p>
        <span className={approved ? 'state ok' : 'state warn'}>{approvalText(plan.approval)}</span>
        {approved && plan.approval.state === 'approved' && (
          <span className="muted"> on {describeInstant(new Date(plan.approval.at), timeZone)}</span>
        )}
      </p>
      <p>{REVIEW_RULE[view.review]}</p>
      <p>
        <strong>Due:</strong>{' '}
        {view.due ? describeInstant(view.due, timeZone) : 'never (DIGEST_SCHEDULE has no time)'}
      </p>
      {approved ? (
        <Action action="/admin/draft/unapprove" fields={week} label="Take back the approval" shell={shell} />
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
  );
}

export function AudienceCard({ audience }: { audience: Draft['audience'] }) {
  return (
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
  );
}

export function SubjectCard({ plan, shell }: { plan: Plan; shell: Shell }) {
  return (
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
          fields={{ week: plan.weekKey, clear: '1' }}
          label="Use the default subject"
          shell={shell}
          secondary
        />
      )}
    </section>
  );
}

export function NoteCard({ plan, shell }: { plan: Plan; shell: Shell }) {
  return (
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
  );
}

export function TestSendCard({ weekKey, shell }: { weekKey: string; shell: Shell }) {
  return (
    <section className="card" aria-labelledby="test">
      <h2 id="test">Send a test</h2>
      <form method="post" action="/admin/test-send">
        <TokenField token={shell.formToken} />
        <input type="hidden" name="week" value={weekKey} />
        <label htmlFor="test-to">To (comma-separated addresses)</label>
        <input id="test-to" type="text" name="to" defaultValue={shell.editor} autoComplete="off" />
        <label htmlFor="test-as">As this subscriber gets it (optional)</label>
        <input id="test-as" type="email" name="as" placeholder="reader@example.com" />
        <p className="hint">The copy's subject starts with [TEST]; it changes nobody's subscription.</p>
        <button type="submit">Send the test</button>
      </form>
    </section>
  );
}
