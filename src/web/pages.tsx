// Server-rendered pages: small, accessible, readable on a phone, no JavaScript but the confirmation page's
// one line. React escapes every value, so whatever a form or a URL carries is shown as text.
import type { ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import type { SubscriberStatus } from '../../db/schema.js';
import { documentText } from '../domain/document-characters.js';
import { CONFIRM_FORM_ID, CONFIRM_SCRIPT } from './confirm-script.js';

const STYLE = `
body{margin:0;font:16px/1.5 -apple-system,'Segoe UI',Helvetica,Arial,sans-serif;color:#1f2328;background:#f6f8fa}
main{max-width:560px;margin:0 auto;padding:24px 16px}
h1{font-size:1.6rem;line-height:1.25;margin:0 0 12px}
a{color:#0550ae}
form{margin:16px 0}
label{display:block;font-weight:600;margin:12px 0 4px}
input[type=email]{width:100%;box-sizing:border-box;padding:10px;font-size:1rem;border:1px solid #57606a;border-radius:6px}
fieldset{border:1px solid #d0d7de;border-radius:6px;margin:16px 0;padding:8px 12px}
fieldset label{font-weight:400;display:flex;gap:8px;align-items:center;margin:6px 0}
button{background:#0550ae;color:#fff;border:0;border-radius:6px;padding:10px 18px;font-size:1rem;font-weight:600;cursor:pointer}
button:focus,input:focus{outline:3px solid #0969da;outline-offset:2px}
.muted{color:#57606a;font-size:.9rem}
.notice{background:#dafbe1;border:1px solid #1a7f37;border-radius:6px;padding:8px 12px}
.error{background:#ffebe9;border:1px solid #b42318;border-radius:6px;padding:8px 12px}
ul.editions{padding-left:20px}
ul.editions li{margin:0 0 10px}
ul.editions .muted{display:block}
`;

export interface PageHead {
  /** The page's one address (rel=canonical), absolute. */
  readonly canonicalUrl?: string;
  readonly description?: string;
  /** CSS added after the site's own. */
  readonly style?: string;
  /** Replaces the links to the public pages at the foot of the page (the editor console has its own). */
  readonly footer?: ReactNode;
  /** Pages no search engine should keep (the editor console). */
  readonly noindex?: boolean;
}

/**
 * The frame of every public page; every one announces the feed, so a reader's feed app finds it. React
 * escapes markup but passes control characters through, and a NUL or an escape stored before imports
 * refused them (in a category, a title) is a parse error in HTML: the finished page is cleaned once here.
 */
export function page(title: string, content: ReactNode, head: PageHead = {}): string {
  return documentText(
    `<!DOCTYPE html>${renderToStaticMarkup(
      <html lang="en">
        <head>
          <meta charSet="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{`${title} · Weekly AI Tool Verdicts`}</title>
          {head.description && <meta name="description" content={head.description} />}
          {head.canonicalUrl && <link rel="canonical" href={head.canonicalUrl} />}
          {head.noindex && <meta name="robots" content="noindex" />}
          <link rel="alternate" type="application/rss+xml" title="Weekly AI Tool Verdicts" href="/feed.xml" />
          <style>{head.style ? STYLE + head.style : STYLE}</style>
        </head>
        <body>
          <main>
            {content}
            {head.footer ?? (
              <p className="muted">
                <a href="/">Weekly AI Tool Verdicts</a> · <a href="/editions">Past editions</a> ·{' '}
                <a href="/feed.xml">RSS</a>
              </p>
            )}
          </main>
        </body>
      </html>,
    )}`,
  );
}

export interface EditionLink {
  readonly weekKey: string;
  readonly subject: string;
  /** The edition's week in words: "16–22 November 2026". */
  readonly weekLabel: string;
  /** When it went out: the instant (ISO 8601) and the day in words. */
  readonly sent: { readonly at: string; readonly day: string };
}

function CategoryChoices({
  categories,
  selected,
}: {
  categories: readonly string[];
  selected: readonly string[];
}) {
  if (categories.length === 0) return null;
  const chosen = new Set(selected.map((category) => category.toLowerCase()));
  return (
    <fieldset>
      <legend>Categories (none chosen: all of them)</legend>
      {categories.map((category) => (
        <label key={category}>
          <input
            type="checkbox"
            name="categories"
            value={category}
            defaultChecked={chosen.has(category.toLowerCase())}
          />
          {category}
        </label>
      ))}
    </fieldset>
  );
}

function EditionList({ editions }: { editions: readonly EditionLink[] }) {
  if (editions.length === 0) return <p className="muted">No editions have gone out yet.</p>;
  return (
    <ul className="editions">
      {editions.map((edition) => (
        <li key={edition.weekKey}>
          <a href={`/editions/${edition.weekKey}`}>{edition.subject}</a>
          <span className="muted">
            {edition.weekLabel} · sent <time dateTime={edition.sent.at}>{edition.sent.day}</time>
          </span>
        </li>
      ))}
    </ul>
  );
}

const HOME_DESCRIPTION =
  'One email a week: new comparisons of AI tools, two side by side, scored out of 100 by a panel that votes ship or skip. Subscribe free, or read past editions.';

export function signupPage(input: {
  categories: readonly string[];
  editions: readonly EditionLink[];
  error?: string;
  email?: string;
  /** The home page's absolute address, for search engines. */
  canonicalUrl?: string;
}) {
  return page(
    'Subscribe',
    <>
      <h1>Weekly AI Tool Verdicts</h1>
      <p>
        One email a week: new comparisons of AI tools, two side by side, scored out of 100 by our panel, each
        voting ship or skip.
      </p>
      {input.error && (
        <p className="error" role="alert">
          {input.error}
        </p>
      )}
      <form method="post" action="/subscribe">
        <label htmlFor="email">Email address</label>
        <input
          id="email"
          type="email"
          name="email"
          required
          autoComplete="email"
          defaultValue={input.email}
        />
        <CategoryChoices categories={input.categories} selected={[]} />
        <input type="hidden" name="form" value="signup" />
        <button type="submit">Subscribe</button>
      </form>
      <p className="muted">We send a confirmation link first; nothing else arrives until you click it.</p>
      <h2>Past editions</h2>
      <EditionList editions={input.editions} />
    </>,
    { description: HOME_DESCRIPTION, canonicalUrl: input.canonicalUrl },
  );
}

export function checkInboxPage() {
  return page(
    'Check your inbox',
    <>
      <h1>Check your inbox</h1>
      <p>
        If that address can subscribe, a confirmation link is on its way. Click it within 72 hours to start
        receiving Weekly AI Tool Verdicts.
      </p>
    </>,
  );
}

export function confirmedPage(preferencesUrl: string) {
  return page(
    'Subscription confirmed',
    <>
      <h1>You're subscribed</h1>
      <p className="notice">Your address is confirmed. The next digest goes out after the end of the week.</p>
      <p>
        <a href={preferencesUrl}>Choose the categories you follow</a>
      </p>
    </>,
  );
}

/**
 * What a confirmation link opens: a form whose POST confirms (the token in the body, so it stays out of
 * access logs), submitted by the page's own script as soon as a browser shows it. Fetching the page
 * changes nothing, so a mail scanner's visit gives no consent; without JavaScript the button is there.
 */
export function confirmPage(token: string) {
  return page(
    'Confirm your subscription',
    <>
      <h1>Confirm your subscription</h1>
      <p>One step left: confirm that you want Weekly AI Tool Verdicts at this address.</p>
      <form id={CONFIRM_FORM_ID} method="post" action="/confirm">
        <input type="hidden" name="token" value={token} />
        <button type="submit">Confirm my subscription</button>
      </form>
      {/* biome-ignore lint/security/noDangerouslySetInnerHtml: a constant whose hash the CSP allows. */}
      <script dangerouslySetInnerHTML={{ __html: CONFIRM_SCRIPT }} />
    </>,
  );
}

/** An expired confirmation link: it says so, and the sign-up form is one click away. */
export function confirmationExpiredPage() {
  return page(
    'Link expired',
    <>
      <h1>This link has expired</h1>
      <p className="error" role="alert">
        Confirmation links work for 72 hours, and this one is older. Sign up again and we will send you a new
        one.
      </p>
      <p>
        <a href="/">Sign up again</a>
      </p>
    </>,
  );
}

export function errorPage(title: string, message: string) {
  return page(
    title,
    <>
      <h1>{title}</h1>
      <p className="error" role="alert">
        {message}
      </p>
      <p>
        <a href="/">Go to the sign-up page</a>
      </p>
    </>,
  );
}

export function unsubscribeConfirmPage(action: string) {
  return page(
    'Unsubscribe',
    <>
      <h1>Unsubscribe from Weekly AI Tool Verdicts?</h1>
      <p>You will get no more weekly digests at this address.</p>
      <form method="post" action={action}>
        <button type="submit">Unsubscribe</button>
      </form>
    </>,
  );
}

function ResubscribeForm({ action }: { action: string }) {
  return (
    <form method="post" action={action}>
      <button type="submit">Subscribe again</button>
    </form>
  );
}

export function unsubscribedPage(resubscribeAction: string) {
  return page(
    'Unsubscribed',
    <>
      <h1>You're unsubscribed</h1>
      <p className="notice">You will not get Weekly AI Tool Verdicts any more. Sorry to see you go.</p>
      <p>Changed your mind? We will email you a link to confirm first.</p>
      <ResubscribeForm action={resubscribeAction} />
    </>,
  );
}

/** Why a reader who is not subscribed gets nothing, in their terms. */
const NOT_RECEIVING: Record<'unsubscribed' | 'bounced' | 'complained', string> = {
  unsubscribed: 'You unsubscribed: this address gets no digests.',
  bounced: 'Mail to this address bounced, so we stopped sending the digest to it.',
  complained: 'A digest to this address was reported as spam, so we stopped sending to it.',
};

function NotReceiving({
  status,
  resubscribeAction,
}: {
  status: SubscriberStatus;
  resubscribeAction: string;
}) {
  if (status !== 'unsubscribed' && status !== 'bounced' && status !== 'complained') return null;
  return (
    <>
      <p className="notice" role="status">
        {NOT_RECEIVING[status]}
      </p>
      {status === 'unsubscribed' && (
        <>
          <p>Changed your mind? We will email you a link to confirm first.</p>
          <ResubscribeForm action={resubscribeAction} />
        </>
      )}
    </>
  );
}

/** The unsubscribe link of someone who no longer receives the digest: say so instead of asking again. */
export function notSubscribedPage(status: SubscriberStatus, resubscribeAction: string) {
  return page(
    'Not subscribed',
    <>
      <h1>{status === 'unsubscribed' ? "You're unsubscribed" : 'No digests to this address'}</h1>
      <NotReceiving status={status} resubscribeAction={resubscribeAction} />
    </>,
  );
}

export function alreadySubscribedPage() {
  return page(
    'Subscribed',
    <>
      <h1>You're subscribed</h1>
      <p className="notice">This address already gets Weekly AI Tool Verdicts.</p>
    </>,
  );
}

export function preferencesPage(input: {
  action: string;
  unsubscribeUrl: string;
  categories: readonly string[];
  selected: readonly string[];
  saved: boolean;
  status: SubscriberStatus;
  resubscribeAction: string;
}) {
  const receiving = input.status === 'active' || input.status === 'pending';
  const choice = input.selected.length
    ? `You follow: ${input.selected.join(', ')}.`
    : 'You get every category.';
  return page(
    'Your preferences',
    <>
      <h1>Your preferences</h1>
      <NotReceiving status={input.status} resubscribeAction={input.resubscribeAction} />
      {input.saved && (
        <p className="notice" role="status">
          {receiving ? `Saved. ${choice}` : `Saved. ${choice} This applies if you subscribe again.`}
        </p>
      )}
      <form method="post" action={input.action}>
        <CategoryChoices categories={input.categories} selected={input.selected} />
        {input.categories.length === 0 && <p className="muted">No categories yet: you get everything.</p>}
        <button type="submit">Save</button>
      </form>
      {receiving && (
        <p>
          <a href={input.unsubscribeUrl}>Unsubscribe</a>
        </p>
      )}
    </>,
  );
}

export function archivePage(editions: readonly EditionLink[], canonicalUrl?: string) {
  return page(
    'Past editions',
    <>
      <h1>Past editions</h1>
      <EditionList editions={editions} />
    </>,
    {
      description:
        'Every edition of Weekly AI Tool Verdicts, newest first: the week it covers and the AI tools it compared.',
      canonicalUrl,
    },
  );
}
