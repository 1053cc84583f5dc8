// The web version of an edition (SPEC 12): a page of the site, not the email copied. The same masthead,
// "In this issue" and cards as the email (one set of components), every comparison as a full card (no
// size budget on the web), a sign-up form instead of personal links, and nothing that only makes sense in
// an inbox ("View in browser", "you get this email because", unsubscribe and preferences links).
import { renderToStaticMarkup } from 'react-dom/server';
import { ComparisonCard } from '../../../emails/_components/comparison-card.js';
import { InThisIssue } from '../../../emails/_components/in-this-issue.js';
import { EditorNote, Masthead } from '../../../emails/_components/masthead.js';
import { responsiveCss } from '../../../emails/_components/styles.js';
import type { EditionNeighbours } from '../../adapters/web-version-repository.js';
import type { DigestComparison } from '../../domain/digest.js';
import { requireWeek, weekLabel } from '../../domain/weeks.js';
import { page } from '../pages.js';

export interface EditionPageInput {
  /** `${DIGEST_PUBLIC_URL}/editions/<week>`. */
  readonly canonicalUrl: string;
  readonly subject: string;
  /** One line for search results and link previews: the preheader. */
  readonly description: string;
  readonly weekLabel: string;
  readonly comparisons: readonly DigestComparison[];
  readonly noteHtml?: string | undefined;
}

const STYLE = `${responsiveCss}
.subscribe{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:16px;margin:24px 0 8px}
.subscribe h2{margin:0 0 4px;font-size:1.2rem}
.subscribe form{margin:8px 0 0}
.subscribe label{margin-top:0}
.subscribe button{margin-top:10px}
`;

/**
 * Where the links to the neighbouring editions go: after the last card, before the sign-up box. Pages
 * stored by earlier versions have that box too, so they get the links as well.
 */
export const NAVIGATION_BEFORE = '<section id="subscribe"';

/**
 * "← Previous edition, 9–15 November 2026" and "Next edition →": none at either end of the archive. Styled
 * inline, since the page it goes into may have been stored with an earlier style sheet.
 */
export function editionNavigation({ previous, next }: EditionNeighbours): string {
  if (!previous && !next) return '';
  const side = (weekKey: string, rel: 'prev' | 'next') => (
    <a
      href={`/editions/${weekKey}`}
      rel={rel}
      style={{
        display: 'block',
        textAlign: rel === 'prev' ? 'left' : 'right',
        marginLeft: rel === 'next' ? 'auto' : 0,
      }}
    >
      <span className="muted" style={{ display: 'block' }}>
        {rel === 'prev' ? '← Previous edition' : 'Next edition →'}
      </span>
      {weekLabel(requireWeek(weekKey))}
    </a>
  );
  return renderToStaticMarkup(
    <nav
      aria-label="Other editions"
      style={{ display: 'flex', gap: '16px', justifyContent: 'space-between', margin: '24px 0 0' }}
    >
      {previous && side(previous, 'prev')}
      {next && side(next, 'next')}
    </nav>,
  );
}

export function editionPage(input: EditionPageInput): string {
  const { comparisons } = input;
  return page(
    input.subject,
    <>
      <p className="muted" style={{ margin: '0 0 8px' }}>
        <a href="/editions">All editions</a> · <a href="#subscribe">Subscribe</a>
      </p>
      <Masthead weekLabel={input.weekLabel} count={comparisons.length} />
      <EditorNote html={input.noteHtml} />
      <InThisIssue comparisons={comparisons} withCard={comparisons.length} unlisted={0} />
      {comparisons.map((comparison) => (
        <ComparisonCard key={comparison.slug} comparison={comparison} />
      ))}
      <section id="subscribe" className="subscribe" aria-labelledby="subscribe-heading">
        <h2 id="subscribe-heading">Get the verdicts every week</h2>
        <p className="muted">
          One email a week with the panel's new comparisons. We send a confirmation link first; unsubscribe in
          one click.
        </p>
        <form method="post" action="/subscribe">
          <label htmlFor="email">Email address</label>
          <input id="email" type="email" name="email" required autoComplete="email" />
          <input type="hidden" name="form" value="edition" />
          <button type="submit">Subscribe</button>
        </form>
        <p className="muted">
          Only some categories? <a href="/">Choose them on the sign-up page</a>.
        </p>
      </section>
    </>,
    { canonicalUrl: input.canonicalUrl, description: input.description, style: STYLE },
  );
}
