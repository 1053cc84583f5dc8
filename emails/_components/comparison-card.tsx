import { Button, Heading, Section } from 'react-email';
import type { VoteChoice } from '../../db/schema.js';
import { type DigestComparison, pickText } from '../../src/domain/digest.js';
import type { ToolIndex, VoteLinker } from '../../src/domain/vote-link.js';
import { Scorecard } from './scorecard.js';
import { button, card, cardTitle, cls, colors, paragraph } from './styles.js';
import { ToolColumns, ToolFacts, ToolVerdict } from './tool-columns.js';

const pickStrip = {
  margin: '0 0 12px',
  padding: '8px 12px',
  backgroundColor: colors.page,
  borderRadius: '6px',
  fontSize: '15px',
  lineHeight: '22px',
  fontWeight: 700,
} as const;

/**
 * A whole comparison, verdict first: title and headline, the panel's pick, both tools' badges with one
 * quote each, then the scorecard, the facts and a button. Its id is the target of "In this issue".
 */
export function ComparisonCard({
  comparison,
  voteLink,
  markTallies,
}: {
  comparison: DigestComparison;
  voteLink?: VoteLinker | undefined;
  /** On a web version: mark each tool's community line for its current reader tally (see ToolFacts). */
  markTallies?: boolean | undefined;
}) {
  const tallyOf = markTallies ? comparison.slug : undefined;
  const vote = voteLink && ((tool: ToolIndex, choice: VoteChoice) => voteLink(comparison.slug, tool, choice));
  const [left, right] = comparison.tools;
  return (
    <Section id={comparison.slug} className={cls.card} style={card}>
      <Heading as="h2" style={cardTitle}>
        {comparison.title}
      </Heading>
      {comparison.headline && <p style={paragraph}>{comparison.headline}</p>}
      <p className={cls.page} style={pickStrip}>
        {pickText(comparison)}
      </p>
      <ToolColumns>
        {[<ToolVerdict key="left" tool={left} />, <ToolVerdict key="right" tool={right} />]}
      </ToolColumns>
      <Scorecard comparison={comparison} />
      <ToolColumns>
        {[
          <ToolFacts
            key="left"
            tool={left}
            vote={vote && ((choice) => vote(0, choice))}
            markTallyOf={tallyOf}
          />,
          <ToolFacts
            key="right"
            tool={right}
            vote={vote && ((choice) => vote(1, choice))}
            markTallyOf={tallyOf}
          />,
        ]}
      </ToolColumns>
      <Button href={comparison.url} style={{ ...button, marginTop: '8px' }}>
        Read the full comparison
      </Button>
    </Section>
  );
}
