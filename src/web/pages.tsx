// The frame of every server-rendered page, and the error page. Pages are small, accessible, readable on a
// phone, with no JavaScript but the confirmation page's one line (public/signup-pages.tsx). React escapes
// every value, so whatever a form or a URL carries is shown as text. The pages themselves are by family:
// public/signup-pages.tsx, public/subscription-pages.tsx, public/archive-page.tsx, admin/*.
import type { ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { documentText } from '../domain/document-characters.js';

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

export function errorPage(title: string, message: string, head: PageHead = {}) {
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
    head,
  );
}
