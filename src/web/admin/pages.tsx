// The editor console's pages (SPEC section 15): server-rendered, no JavaScript, readable on a phone, in the
// public pages' shell and style. Every state-changing form carries the session's token; React escapes
// every value, so nothing imported or typed can add markup.
import type { ReactNode } from 'react';
import type { EditionStatus, SubscriberRow } from '../../../db/schema.js';
import { type ApprovalState, describeInstant, type ReviewMode } from '../../domain/draft.js';
import { describeEditionOf } from '../../domain/edition-of.js';
import { type EditionStats, formatRate } from '../../domain/edition-stats.js';
import { count } from '../../domain/plural.js';
import type { GrowthWeek } from '../../domain/subscriber-growth.js';
import { formatWeekKey, requireWeek, shiftWeek } from '../../domain/weeks.js';
import type { ListedComparison } from '../../services/comparison-listing.js';
import type { DraftView } from '../../services/draft.js';
import type { SubscriberOverview } from '../../services/subscriber-overview.js';
import { page } from '../pages.js';
import { FORM_TOKEN_FIELD } from './session.js';

const STYLE = `
main{max-width:800px}
nav.console{display:flex;flex-wrap:wrap;gap:4px 16px;align-items:center;margin:0 0 16px;padding:0 0 8px;border-bottom:1px solid #d0d7de}
nav.console a[aria-current=page]{color:#1f2328;font-weight:700;text-decoration:none}
nav.console form{margin:0 0 0 auto}
h2{font-size:1.2rem;margin:0 0 8px}
h3{font-size:1rem;margin:16px 0 8px}
section.card{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:12px 16px;margin:16px 0}
section.card>:last-child{margin-bottom:0}
form.inline{display:inline-block;margin:4px 8px 4px 0}
button.secondary{background:#fff;color:#0550ae;border:1px solid #0550ae}
button.small{padding:4px 10px;font-size:.875rem;font-weight:600}
button:disabled{opacity:.45;cursor:default}
input[type=text],input[type=search],select,textarea{width:100%;box-sizing:border-box;padding:10px;font:inherit;border:1px solid #57606a;border-radius:6px;background:#fff;color:#1f2328}
textarea{min-height:8em;resize:vertical}
textarea:focus,select:focus{outline:3px solid #0969da;outline-offset:2px}
.hint{color:#57606a;font-size:.875rem;margin:4px 0 8px}
ol.items,ul.items{list-style:none;padding:0;margin:8px 0}
.items li{display:flex;flex-wrap:wrap;gap:4px 12px;align-items:center;border:1px solid #d0d7de;border-radius:6px;padding:8px 12px;margin:8px 0;background:#f6f8fa}
.items .what{flex:1 1 260px;min-width:0;overflow-wrap:anywhere}
.items .actions{display:flex;flex-wrap:wrap;gap:6px}
.items form{margin:0}
table{border-collapse:collapse;width:100%;margin:8px 0;font-size:.95rem}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #d0d7de;vertical-align:top;overflow-wrap:anywhere}
th{font-weight:600}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.state{display:inline-block;border-radius:999px;padding:0 10px;font-size:.85rem;font-weight:600;border:1px solid #57606a}
.state.ok{background:#dafbe1;border-color:#1a7f37;color:#1a7f37}
.state.warn{background:#fff8c5;border-color:#7d4e00;color:#7d4e00}
.frames{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start;margin:12px 0}
figure{margin:0;max-width:100%}
figcaption{font-weight:600;margin:0 0 4px}
.frame{max-width:100%;overflow-x:auto}
iframe{display:block;border:1px solid #d0d7de;background:#fff}
dl.record{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:8px 0;font-size:.95rem}
dl.record dt{color:#57606a}
dl.record dd{margin:0;overflow-wrap:anywhere}
article.subscriber{border-top:1px solid #d0d7de;padding:8px 0}
article.subscriber h3{margin:4px 0}
`;

export interface Flash {
  readonly kind: 'notice' | 'error';
  readonly text: string;
}

/** What every signed-in page knows: who is signed in, the session's form token, the last action's message. */
export interface Shell {
  readonly editor: string;
  readonly formToken: string;
  readonly flash?: Flash | undefined;
}

type ConsolePage = 'upcoming' | 'editions' | 'subscribers' | 'comparisons';

const NAV: readonly [ConsolePage, string, string][] = [
  ['upcoming', '/admin', 'Upcoming edition'],
  ['editions', '/admin/editions', 'Past editions'],
  ['subscribers', '/admin/subscribers', 'Subscribers'],
  ['comparisons', '/admin/comparisons', 'Comparisons'],
];

export function TokenField({ token }: { token: string }) {
  return <input type="hidden" name={FORM_TOKEN_FIELD} value={token} />;
}

function Message({ flash }: { flash: Flash | undefined }) {
  if (!flash) return null;
  return flash.kind === 'error' ? (
    <p className="error" role="alert">
      {flash.text}
    </p>
  ) : (
    <p className="notice" role="status">
      {flash.text}
    </p>
  );
}

const FOOTER = (
  <p className="muted">
    Weekly AI Tool Verdicts · editor console · <a href="/">Public site</a>
  </p>
);

function consolePage(
  title: string,
  current: ConsolePage,
  shell: Shell,
  content: ReactNode,
  options: { wide?: boolean } = {},
): string {
  return page(
    title,
    <>
      <nav className="console" aria-label="Editor console">
        {NAV.map(([key, href, label]) => (
          <a key={key} href={href} aria-current={key === current ? 'page' : undefined}>
            {label}
          </a>
        ))}
        <form method="post" action="/admin/sign-out">
          <TokenField token={shell.formToken} />
          <button type="submit" className="secondary small">
            Sign out
          </button>
        </form>
      </nav>
      <p className="muted">Signed in as {shell.editor}</p>
      <Message flash={shell.flash} />
      {content}
    </>,
    // The upcoming edition's two frames (600 and 375 px) sit side by side on a wide screen.
    { style: options.wide ? `${STYLE}main{max-width:1040px}` : STYLE, footer: FOOTER, noindex: true },
  );
}

function publicPage(title: string, content: ReactNode): string {
  return page(title, content, { style: STYLE, footer: FOOTER, noindex: true });
}

// Sign-in -----------------------------------------------------------------------------------------------

export function consoleOffPage(): string {
  return publicPage(
    'Editor console',
    <>
      <h1>Editor console</h1>
      <p className="error" role="alert">
        The editor console is off: no editor addresses are configured.
      </p>
      <p>An operator turns it on by listing editors' addresses in DIGEST_EDITORS (comma-separated).</p>
    </>,
  );
}

export function signInRequestPage(input: {
  readonly formToken: string;
  readonly next: string;
  readonly email?: string | undefined;
  readonly error?: string | undefined;
  readonly signedOut?: boolean;
}): string {
  return publicPage(
    'Sign in',
    <>
      <h1>Editor console</h1>
      {input.signedOut && (
        <p className="notice" role="status">
          You are signed out.
        </p>
      )}
      <p>Sign in with your editor address: we email you a link that works once, for 15 minutes.</p>
      {input.error && (
        <p className="error" role="alert">
          {input.error}
        </p>
      )}
      <form method="post" action="/admin/login">
        <label htmlFor="email">Editor address</label>
        <input
          id="email"
          type="email"
          name="email"
          required
          autoComplete="email"
          defaultValue={input.email}
        />
        <input type="hidden" name="next" value={input.next} />
        <TokenField token={input.formToken} />
        <p>
          <button type="submit">Email me a sign-in link</button>
        </p>
      </form>
    </>,
  );
}

export function signInSentPage(): string {
  return publicPage(
    'Check your inbox',
    <>
      <h1>Check your inbox</h1>
      <p>
        If that address belongs to an editor, a sign-in link is on its way. It works once, for 15 minutes.
      </p>
      <p>
        <a href="/admin/login">Ask for another link</a>
      </p>
    </>,
  );
}

export function signInLinkPage(input: { readonly token: string; readonly formToken: string }): string {
  return publicPage(
    'Sign in',
    <>
      <h1>Sign in to the editor console</h1>
      <p>This link works once. Signing in here opens the console in this browser.</p>
      <form method="post" action="/admin/sign-in">
        <input type="hidden" name="token" value={input.token} />
        <TokenField token={input.formToken} />
        <button type="submit">Sign in</button>
      </form>
    </>,
  );
}

const LINK_PROBLEMS = {
  unknown: 'This sign-in link is not valid.',
  used: 'This sign-in link has already been used; each works once.',
  expired: 'This sign-in link has expired; links work for 15 minutes.',
  'not an editor': 'This address is no longer one of the editors.',
} as const;

export function signInLinkProblemPage(problem: keyof typeof LINK_PROBLEMS): string {
  return publicPage(
    'Link not valid',
    <>
      <h1>Link not valid</h1>
      <p className="error" role="alert">
        {LINK_PROBLEMS[problem]}
      </p>
      <p>
        <a href="/admin/login">Ask for a new sign-in link</a>
      </p>
    </>,
  );
}

export function refusedPage(title: string, message: string, signIn = false): string {
  return publicPage(
    title,
    <>
      <h1>{title}</h1>
      <p className="error" role="alert">
        {message}
      </p>
      {signIn && (
        <p>
          <a href="/admin/login">Sign in</a>
        </p>
      )}
    </>,
  );
}

// The upcoming edition -------------------------------------------------------------------------------

function approvalText(approval: ApprovalState): string {
  if (approval.state === 'approved') return `Approved by ${approval.by}`;
  if (approval.state === 'changed') return `Not approved: the draft changed after ${approval.by} approved it`;
  return 'Not approved';
}

const REVIEW_RULE: Record<ReviewMode, string> = {
  required: 'With DIGEST_REVIEW=required it goes out only once approved.',
  auto: 'With DIGEST_REVIEW=auto it goes out at the due time, approved or not; the edition records an approval.',
};

/** A small form posting `fields` to `action` with the session's token. */
function Action({
  action,
  fields,
  label,
  shell,
  secondary = false,
  small = false,
  disabled = false,
  ariaLabel,
}: {
  action: string;
  fields: Record<string, string>;
  label: string;
  shell: Shell;
  secondary?: boolean;
  small?: boolean;
  disabled?: boolean;
  ariaLabel?: string;
}) {
  const className = [secondary ? 'secondary' : '', small ? 'small' : ''].filter(Boolean).join(' ');
  return (
    <form method="post" action={action} className="inline">
      <TokenField token={shell.formToken} />
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <button type="submit" className={className || undefined} disabled={disabled} aria-label={ariaLabel}>
        {label}
      </button>
    </form>
  );
}

export interface PreviewChoice {
  /** Categories of the week's comparisons: each is a variant (readers following only it). */
  readonly categories: readonly string[];
  readonly category?: string | undefined;
  readonly as?: string | undefined;
  /** The query of the preview frames' address (week and variant). */
  readonly query: string;
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
        A review copy: the links that would change a reader's subscription are left out. Links open inside the
        frame.
      </p>
      <div className="frames">
        {[600, 375].map((width) => (
          <figure key={width}>
            <figcaption>{width} px</figcaption>
            <div className="frame">
              <iframe
                title={`The email at ${width} px`}
                src={src}
                width={width}
                height={1400}
                sandbox=""
                loading="lazy"
              />
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
}): string {
  const { shell, view } = input;
  if (view.kind === 'frozen') {
    const { edition } = view;
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
        <ol>
          {view.items.map((item) => (
            <li key={item.slug}>{item.title}</li>
          ))}
        </ol>
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
  const slugs = plan.items.map((item) => item.view.slug);
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
            <span className="muted"> at {describeInstant(new Date(plan.approval.at), input.timeZone)}</span>
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
        <ol className="items">
          {plan.items.map((item, index) => (
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
                  fields={{ ...week, slug: item.view.slug, direction: 'up' }}
                  label="Move up"
                  ariaLabel={`Move up: ${item.view.title}`}
                  shell={shell}
                  secondary
                  small
                  disabled={index === 0}
                />
                <Action
                  action="/admin/draft/move"
                  fields={{ ...week, slug: item.view.slug, direction: 'down' }}
                  label="Move down"
                  ariaLabel={`Move down: ${item.view.title}`}
                  shell={shell}
                  secondary
                  small
                  disabled={index === slugs.length - 1}
                />
                <Action
                  action="/admin/draft/hold"
                  fields={{ ...week, slug: item.view.slug }}
                  label="Hold back"
                  ariaLabel={`Hold back: ${item.view.title}`}
                  shell={shell}
                  secondary
                  small
                />
              </span>
            </li>
          ))}
        </ol>
        {plan.held.length > 0 && (
          <>
            <h3>Held back (offered again in {next})</h3>
            <ul className="items">
              {plan.held.map((item) => (
                <li key={item.view.slug}>
                  <span className="what">
                    {item.view.title}
                    <br />
                    <span className="muted">{item.view.slug}</span>
                  </span>
                  <span className="actions">
                    <Action
                      action="/admin/draft/release"
                      fields={{ ...week, slug: item.view.slug }}
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

// Past editions --------------------------------------------------------------------------------------

export interface EditionEntry {
  readonly weekKey: string;
  readonly label: string;
  readonly status: EditionStatus;
  readonly subject: string | null;
  readonly reason: string | null;
  readonly approvedBy: string | null;
  readonly finishedAt: string | null;
  readonly stats: EditionStats;
}

function Figures({ stats }: { stats: EditionStats }) {
  const rows: [string, number | string, number | null | undefined][] = [
    ['Eligible', stats.eligible, undefined],
    ['Sent', stats.sent, undefined],
    ['Failed', stats.failed, undefined],
    ['Delivered (of sent)', stats.delivered, stats.rates.delivered],
    ['Delayed', stats.delayed, undefined],
    [
      'Bounced, permanent / transient (of sent)',
      `${stats.bounced.permanent} / ${stats.bounced.transient}`,
      stats.rates.bounced,
    ],
    ['Complained', stats.complained, stats.rates.complained],
    ['Suppressed by Resend', stats.suppressed, undefined],
    ['Unsubscribed through it', stats.unsubscribed, stats.rates.unsubscribed],
    ['Opened (approximate)', stats.opened, stats.rates.opened],
    ['Clicked (people)', stats.clicked, stats.rates.clicked],
    ['Human clicks', stats.clicks, undefined],
    ['Machine clicks (scanners)', stats.machineClicks, undefined],
  ];
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">Figure</th>
          <th scope="col" className="n">
            Count
          </th>
          <th scope="col" className="n">
            Rate
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([label, value, rate]) => (
          <tr key={label}>
            <th scope="row">{label}</th>
            <td className="n">{value}</td>
            <td className="n">{rate === undefined ? '' : formatRate(rate)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function editionsPage(input: { readonly shell: Shell; readonly editions: readonly EditionEntry[] }) {
  return consolePage(
    'Past editions',
    'editions',
    input.shell,
    <>
      <h1>Past editions</h1>
      <p className="hint">
        Readers unless a figure says clicks. Rates: delivered and bounced over sent, the others over
        delivered. Opens are approximate: Apple Mail Privacy Protection opens every message.
      </p>
      {input.editions.length === 0 && <p>No edition has been planned yet.</p>}
      {input.editions.map((edition) => (
        <section className="card" key={edition.weekKey} aria-labelledby={`e-${edition.weekKey}`}>
          <h2 id={`e-${edition.weekKey}`}>
            {edition.label} <span className="muted">{edition.weekKey}</span>{' '}
            <span className={edition.status === 'sent' ? 'state ok' : 'state warn'}>{edition.status}</span>
          </h2>
          <p>
            {edition.subject ?? edition.reason}
            {edition.status === 'sent' && (
              <>
                {' · '}
                <a href={`/editions/${edition.weekKey}`}>Web version</a>
              </>
            )}
          </p>
          <p className="muted">
            {edition.approvedBy ? `Approved by ${edition.approvedBy}` : 'Not approved'}
            {edition.finishedAt ? ` · finished ${edition.finishedAt}` : ''}
          </p>
          {edition.stats.eligible > 0 && <Figures stats={edition.stats} />}
          {edition.stats.comparisons.length > 0 && (
            <table>
              <caption className="muted">Clicks per comparison (people only)</caption>
              <thead>
                <tr>
                  <th scope="col">Comparison</th>
                  <th scope="col" className="n">
                    Clicks
                  </th>
                  <th scope="col" className="n">
                    Clickers
                  </th>
                </tr>
              </thead>
              <tbody>
                {edition.stats.comparisons.map((comparison) => (
                  <tr key={comparison.slug}>
                    <td>{comparison.title}</td>
                    <td className="n">{comparison.clicks}</td>
                    <td className="n">{comparison.clickers}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      ))}
    </>,
  );
}

// Subscribers ----------------------------------------------------------------------------------------

/** "23 Nov 2026, 09:00": an instant in the newsletter's zone, short enough for a table. */
function shortInstant(iso: string | null, timeZone: string): string {
  if (iso === null) return '–';
  return new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone,
  }).format(new Date(iso));
}

function SubscriberRecord({ row, timeZone }: { row: SubscriberRow; timeZone: string }) {
  const categories = JSON.parse(row.categories) as string[];
  return (
    <article className="subscriber">
      <h3>{row.email}</h3>
      <dl className="record">
        <dt>Status</dt>
        <dd>
          {row.status}
          {row.status_reason ? ` (${row.status_reason})` : ''}, since{' '}
          {shortInstant(row.status_changed_at, timeZone)}
        </dd>
        <dt>Categories</dt>
        <dd>{categories.length > 0 ? categories.join(', ') : 'all'}</dd>
        <dt>Added</dt>
        <dd>
          {shortInstant(row.created_at, timeZone)} via{' '}
          {row.source === 'form' ? 'the sign-up form' : row.source}
        </dd>
        <dt>Consent</dt>
        <dd>
          {shortInstant(row.consent_at, timeZone)}
          {row.consent_form ? `, form "${row.consent_form}"` : ''}
          {row.consent_ip ? `, from ${row.consent_ip}` : ''}
        </dd>
        {row.consent_user_agent && (
          <>
            <dt>Browser</dt>
            <dd>{row.consent_user_agent}</dd>
          </>
        )}
        <dt>Confirmed</dt>
        <dd>{shortInstant(row.confirmed_at, timeZone)}</dd>
      </dl>
    </article>
  );
}

export function subscribersPage(input: {
  readonly shell: Shell;
  readonly overview: SubscriberOverview;
  readonly query: string;
  readonly found: { readonly rows: readonly SubscriberRow[]; readonly total: number };
  readonly timeZone: string;
}) {
  const { overview, found, query } = input;
  return consolePage(
    'Subscribers',
    'subscribers',
    input.shell,
    <>
      <h1>Subscribers</h1>
      <form method="get" action="/admin/subscribers">
        <label htmlFor="q">Find by part of an address</label>
        <input id="q" type="search" name="q" defaultValue={query} placeholder="ada@ or example.com" />
        <p>
          <button type="submit">Search</button>
        </p>
      </form>
      <section className="card" aria-labelledby="found">
        <h2 id="found">
          {query
            ? `${count(found.total, 'subscriber')} matching “${query}”`
            : 'Most recently changed subscribers'}
        </h2>
        {found.total > found.rows.length && (
          <p className="hint">Showing the {found.rows.length} most recently changed; narrow the search.</p>
        )}
        {found.rows.length === 0 && <p>Nobody.</p>}
        {found.rows.map((row) => (
          <SubscriberRecord key={row.id} row={row} timeZone={input.timeZone} />
        ))}
      </section>
      <section className="card" aria-labelledby="by-status">
        <h2 id="by-status">{count(overview.total, 'subscriber')} by status</h2>
        <table>
          <tbody>
            {overview.byStatus.map((entry) => (
              <tr key={entry.status}>
                <th scope="row">{entry.status}</th>
                <td className="n">{entry.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="card" aria-labelledby="growth">
        <h2 id="growth">Week by week</h2>
        <GrowthTable growth={overview.growth} />
        <p className="hint">
          From each subscriber's current record: confirmed (or added as active) that week; unsubscribed,
          bounced or complained that week and still so. Erased subscribers count nowhere.
        </p>
      </section>
    </>,
  );
}

function GrowthTable({ growth }: { growth: readonly GrowthWeek[] }) {
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">Week</th>
          <th scope="col" className="n">
            New confirmed
          </th>
          <th scope="col" className="n">
            Unsubscribed
          </th>
          <th scope="col" className="n">
            Suppressed
          </th>
        </tr>
      </thead>
      <tbody>
        {growth.map((week, index) => (
          <tr key={week.week}>
            <th scope="row">
              {week.week}
              {index === 0 ? ' (so far)' : ''}
            </th>
            <td className="n">{week.confirmed}</td>
            <td className="n">{week.unsubscribed}</td>
            <td className="n">{week.suppressed}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

// Comparisons ----------------------------------------------------------------------------------------

export function comparisonsPage(input: {
  readonly shell: Shell;
  readonly comparisons: readonly ListedComparison[];
  readonly timeZone: string;
}) {
  return consolePage(
    'Comparisons',
    'comparisons',
    input.shell,
    <>
      <h1>Comparisons</h1>
      <p className="hint">Newest first, with the edition each rode in or will ride in.</p>
      {input.comparisons.length === 0 ? (
        <p>No comparisons yet: `digest import` adds them.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Comparison</th>
              <th scope="col">Published</th>
              <th scope="col">Edition</th>
            </tr>
          </thead>
          <tbody>
            {input.comparisons.map((comparison) => (
              <tr key={comparison.slug}>
                <td>
                  {comparison.title}
                  <br />
                  <span className="muted">{comparison.slug}</span>
                </td>
                <td>
                  {shortInstant(comparison.publishedAt.toISOString(), input.timeZone)}
                  <br />
                  <span className="muted">{comparison.publishedWeek}</span>
                </td>
                <td>{describeEditionOf(comparison.edition)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>,
  );
}
