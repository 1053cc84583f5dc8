import type { ReactNode } from 'react';
import { Column, Heading, Row } from 'react-email';
import type { VoteChoice } from '../../db/schema.js';
import { personaLabel } from '../../src/domain/comparison.js';
import type { DigestTool } from '../../src/domain/digest.js';
import { readersMarkAttributes } from '../../src/domain/readers-mark.js';
import { cls, colors } from './styles.js';
import { VerdictBadge } from './verdict-badge.js';

// Paragraphs in the cards are plain <p> rather than React Email's <Text>: <Text> writes every margin twice
// (the shorthand and four longhands), about 60 bytes a paragraph, a dozen times a card, against Gmail's
// clipping limit; it carries no client fix these need. Labels and scores are <b>, not <strong>: the same
// bold (they are labels, not emphasis), 10 bytes fewer each, about 180 times at ten cards.

// Small print is set once on the column and inherited by its paragraphs (td to p inheritance holds in
// every client; it is nested tables that lose it in Outlook).
const columnFont = { fontSize: '13px', lineHeight: '18px' } as const;
const gap = { margin: '0 0 4px' } as const;
const quoteStyle = {
  margin: '8px 0 0',
  paddingLeft: '10px',
  borderLeft: `3px solid ${colors.border}`,
  fontSize: '14px',
  lineHeight: '20px',
} as const;

/**
 * Two tools side by side, stacking below 480 px: table cells (every client lays them out side by side,
 * Outlook included) whose class the responsive <style> turns into full-width blocks on a phone.
 */
export function ToolColumns({ children: [left, right] }: { children: [ReactNode, ReactNode] }) {
  return (
    <Row>
      <Column className={cls.stack} width="50%" valign="top" style={{ ...columnFont, paddingRight: '8px' }}>
        {left}
      </Column>
      <Column className={cls.stack} width="50%" valign="top" style={{ ...columnFont, paddingLeft: '8px' }}>
        {right}
      </Column>
    </Row>
  );
}

/** What the panel thinks of a tool: name and verdict, tagline, votes and average, and one quote. */
export function ToolVerdict({ tool }: { tool: DigestTool }) {
  const { summary, quote } = tool;
  return (
    <>
      <Heading as="h3" style={{ margin: '0 0 4px', fontSize: '16px', lineHeight: '22px' }}>
        {`${tool.name} `}
        <VerdictBadge verdict={summary.verdict} />
      </Heading>
      {tool.tagline && (
        <p className={cls.muted} style={{ ...gap, color: colors.muted }}>
          {tool.tagline}
        </p>
      )}
      <p style={gap}>
        {`Panel: ${summary.shipVotes} ship / ${summary.skipVotes} skip (${summary.shipShare}% ship) · Average: ${summary.averageScore.toFixed(1)}/100`}
      </p>
      {quote && (
        <p className={cls.rule} style={quoteStyle}>
          {`“${quote.text}”`}
          <br />
          <span className={cls.muted} style={{ ...columnFont, color: colors.muted }}>
            {`— ${personaLabel(quote.persona)} (${quote.verdict}, ${quote.score}/100)${quote.dissent ? ', dissenting' : ''}`}
          </span>
        </p>
      )}
    </>
  );
}

/**
 * The facts after the scorecard: prices, best for, community votes; then, with `vote`, the reader's own
 * "Your verdict: Ship · Skip" links for this tool. Those are plain <a> with no style of their own: a card
 * has four, against the size budget (React Email's <Link> adds target="_blank" and two colour
 * declarations to each), so they take the client's link colour, and dark mode's through their class.
 */
export function ToolFacts({
  tool,
  vote,
  markTallyOf,
}: {
  tool: DigestTool;
  /** This tool's vote link for a choice. */
  vote?: ((choice: VoteChoice) => string) | undefined;
  /**
   * The comparison's slug, on a web version only: its community line is marked, so the page shows this
   * tool's current reader tally wherever it is served from (an email shows no tally, and keeps no mark).
   */
  markTallyOf?: string | undefined;
}) {
  const votes = tool.communityVotes;
  const line = (label: string, value: string | undefined) =>
    value && (
      <>
        <br />
        <b>{`${label}:`}</b>
        {` ${value}`}
      </>
    );
  const community = line(
    'Community',
    votes ? `${votes.ship} ship / ${votes.skip} skip` : 'No community votes yet',
  );
  return (
    <p style={gap}>
      <b>{tool.name}</b>
      {line('Entry price', tool.entryPrice)}
      {line('Pricing', tool.pricing)}
      {line('Best for', tool.bestFor)}
      {markTallyOf ? (
        <span {...readersMarkAttributes(markTallyOf, tool.slug, votes !== undefined)}>{community}</span>
      ) : (
        community
      )}
      {vote && (
        <>
          <br />
          <b>
            {'Your verdict: '}
            <a href={vote('ship')} className={cls.link}>
              Ship
            </a>
            {' · '}
            <a href={vote('skip')} className={cls.link}>
              Skip
            </a>
          </b>
        </>
      )}
    </p>
  );
}
