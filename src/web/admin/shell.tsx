// The editor console's frame: the public pages' shell and style, with the console's
// navigation, who is signed in, the last action's message, and the small forms every action is. No
// JavaScript; every state-changing form carries the session's token; React escapes every value.
import type { ReactNode } from 'react';
import { page } from '../pages.js';
import { FORM_TOKEN_FIELD } from './session.js';

const STYLE = `
caption{text-align:left}
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
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #d0d7de;vertical-align:top}
td{overflow-wrap:anywhere}
th{font-weight:600}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
td.n,th.week{white-space:nowrap}
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

export function consolePage(
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
    { style: `${STYLE}main{max-width:${options.wide ? 1040 : 800}px}`, footer: FOOTER, noindex: true },
  );
}

/** A console page for someone not signed in (sign-in, refusals): no navigation. */
export function signedOutPage(title: string, content: ReactNode): string {
  return page(title, content, { style: STYLE, footer: FOOTER, noindex: true });
}

/** A one-button form posting `fields` to `action` with the session's token. */
export function Action({
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

/** "23 Nov 2026, 09:00": an instant in the newsletter's zone, short enough for a table. */
export function shortInstant(iso: string | null, timeZone: string): string {
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
