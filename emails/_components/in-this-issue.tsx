import { Fragment } from 'react';
import { Heading } from 'react-email';
import { type DigestComparison, pickText } from '../../src/domain/digest.js';
import { count } from '../../src/domain/plural.js';
import { cls, colors, link, sectionHeading } from './styles.js';
import { VerdictBadge } from './verdict-badge.js';

const line = { margin: '0 0 10px', fontSize: '14px', lineHeight: '21px' } as const;

export interface InThisIssueProps {
  /** The comparisons listed, in edition order: those with a card first, then the rest. */
  readonly comparisons: readonly DigestComparison[];
  /** How many of them have a card in this document (the others link elsewhere). */
  readonly withCard: number;
  /** Where a comparison without a card is read in full: the web version, or undefined for its page. */
  readonly webVersionUrl?: string | undefined;
  /** Comparisons not even listed (past the size budget), counted at the end. */
  readonly unlisted: number;
}

/**
 * A comparison in one line: its title (a link), both tools with their badges, the panel's pick. `id` gives
 * the line the id its card would have, where a page shows the line instead of the card.
 */
export function ComparisonLine({
  comparison,
  href,
  id,
}: {
  readonly comparison: DigestComparison;
  readonly href: string;
  readonly id?: string;
}) {
  const [left, right] = comparison.tools;
  return (
    <p id={id} style={line}>
      <a href={href} className={cls.link} style={{ ...link, fontWeight: 600 }}>
        {comparison.title}
      </a>
      <br />
      {`${left.name} `}
      <VerdictBadge verdict={left.summary.verdict} />
      {` · ${right.name} `}
      <VerdictBadge verdict={right.summary.verdict} />
      {` · ${pickText(comparison)}`}
    </p>
  );
}

/**
 * One line per comparison: title, both badges, the pick. A comparison with a card links to it; the
 * others (compact rows: the size budget left them no card) to the web version's card, or, before the web
 * version exists, to the comparison's own page. Links to cards are plain <a>: React Email's <Link> opens a
 * new tab, wrong for a jump within the email.
 */
export function InThisIssue({ comparisons, withCard, webVersionUrl, unlisted }: InThisIssueProps) {
  return (
    <>
      <Heading as="h2" style={sectionHeading}>
        In this issue
      </Heading>
      {comparisons.map((comparison, index) => {
        const href =
          index < withCard
            ? `#${comparison.slug}`
            : webVersionUrl
              ? `${webVersionUrl}#${comparison.slug}`
              : comparison.url;
        return (
          <Fragment key={comparison.slug}>
            {index === withCard && index > 0 && (
              <p className={cls.muted} style={{ ...line, color: colors.muted }}>
                {webVersionUrl
                  ? 'More this week, in full in the web version:'
                  : 'More this week, on the site:'}
              </p>
            )}
            <ComparisonLine comparison={comparison} href={href} />
          </Fragment>
        );
      })}
      {unlisted > 0 && (
        <p style={line}>
          {webVersionUrl ? (
            <a href={webVersionUrl} className={cls.link} style={link}>
              {`And ${count(unlisted, 'more verdict')} in the web version`}
            </a>
          ) : (
            `And ${count(unlisted, 'more verdict')}, in the web version once the edition is sent`
          )}
        </p>
      )}
    </>
  );
}
