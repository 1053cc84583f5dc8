// The web version of an edition: a page of the site, not the email copied. The same masthead, "In this
// issue" and cards as the email (one set of components), a sign-up form instead of personal links, and
// nothing that only makes sense in an inbox ("View in browser", "you get this email because", unsubscribe
// and preferences links). An ordinary week shows every comparison as a full card; a huge one shows its
// first ones as cards and the next as one line each, and counts the rest, so a page of a week of
// thousands stays about the size of one of fifty.

import { renderToStaticMarkup } from 'react-dom/server';
import { ComparisonCard } from '../../../emails/_components/comparison-card.js';
import { ComparisonLine, InThisIssue } from '../../../emails/_components/in-this-issue.js';
import { EditorNote, Masthead } from '../../../emails/_components/masthead.js';
import { ReadersVsPanel } from '../../../emails/_components/readers-vs-panel.js';
import { responsiveCss } from '../../../emails/_components/styles.js';
import type { EditionNeighbours } from '../../adapters/web-version-repository.js';
import type { DigestComparison } from '../../domain/digest.js';
import { count } from '../../domain/plural.js';
import type { ReadersVsPanelView } from '../../domain/readers-vs-panel.js';
import { readersLine, type ToolTally } from '../../domain/vote-tally.js';
import { requireWeek, weekLabel } from '../../domain/weeks.js';
import { page } from '../pages.js';

export interface EditionPageInput {
  /** `${DIGEST_PUBLIC_URL}/editions/<week>`. */
  readonly canonicalUrl: string;
  readonly subject: string;
  /** One line for search results and link previews: the preheader. */
  readonly description: string;
  readonly weekLabel: string;
  /** The comparisons shown, in edition order: the first `cards` as full cards, the others as one line. */
  readonly comparisons: readonly DigestComparison[];
  /** How many of `comparisons` get a full card. Default: all. */
  readonly cards?: number | undefined;
  /** How many comparisons the edition carries; those past `comparisons` are only counted. Default: shown. */
  readonly total?: number | undefined;
  /** Where the comparisons that are only counted are read: the comparison site. */
  readonly siteUrl?: string | undefined;
  readonly noteHtml?: string | undefined;
  /** Last edition's reader tallies beside the panel's verdicts, as the email showed them; absent: none. */
  readonly readersVsPanel?: ReadersVsPanelView | undefined;
}

const line = { margin: '0 0 10px', fontSize: '14px', lineHeight: '21px' } as const;

/**
 * One line of a comparison past the cards: title (linking its page on the site), both badges, the pick.
 * Its id is the one its card would have, so the email's links to it land here.
 */
function MoreLine({ comparison }: { comparison: DigestComparison }) {
  return <ComparisonLine comparison={comparison} href={comparison.url} id={comparison.slug} />;
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

/**
 * A tool's reader tally as its card shows it, "Readers: 71% ship · 48 votes" on a line of its own, labelled
 * like the lines above it; '' when no reader voted. Put into the stored page as it is served, since the
 * tally changes and the page does not.
 */
export function readersTallyLine(tally: Pick<ToolTally, 'ship' | 'skip'>): string {
  const text = readersLine(tally);
  if (!text) return '';
  const colon = text.indexOf(':') + 1;
  return renderToStaticMarkup(
    <>
      <br />
      <b>{text.slice(0, colon)}</b>
      {text.slice(colon)}
    </>,
  );
}

export function editionPage(input: EditionPageInput): string {
  const { comparisons } = input;
  const cards = Math.min(input.cards ?? comparisons.length, comparisons.length);
  const carded = comparisons.slice(0, cards);
  const lines = comparisons.slice(cards);
  const total = Math.max(input.total ?? comparisons.length, comparisons.length);
  const counted = total - comparisons.length;
  return page(
    input.subject,
    <>
      <p className="muted" style={{ margin: '0 0 8px' }}>
        <a href="/editions">All editions</a> · <a href="#subscribe">Subscribe</a>
      </p>
      <Masthead weekLabel={input.weekLabel} count={total} />
      <EditorNote html={input.noteHtml} />
      <InThisIssue comparisons={carded} withCard={cards} unlisted={0} />
      {lines.length + counted > 0 && (
        <p className="muted" style={line}>
          <a href="#more">{`And ${count(lines.length + counted, 'more verdict')} this week, below`}</a>
        </p>
      )}
      {input.readersVsPanel && <ReadersVsPanel {...input.readersVsPanel} />}
      {carded.map((comparison) => (
        <ComparisonCard key={comparison.slug} comparison={comparison} markTallies />
      ))}
      {lines.length + counted > 0 && (
        <section id="more" aria-labelledby="more-heading">
          <h2 id="more-heading">More this week</h2>
          {lines.map((comparison) => (
            <MoreLine key={comparison.slug} comparison={comparison} />
          ))}
          {counted > 0 && (
            <p style={line}>
              {input.siteUrl ? (
                <a href={input.siteUrl}>{`And ${count(counted, 'more verdict')} this week, on the site`}</a>
              ) : (
                `And ${count(counted, 'more verdict')} this week, on the site`
              )}
            </p>
          )}
        </section>
      )}
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
