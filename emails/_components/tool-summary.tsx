import type { DigestTool } from '../../src/domain/digest.js';
import { small } from './styles.js';
import { VerdictBadge } from './verdict-badge.js';

/**
 * One tool's column: verdict badge, panel count, average, prices, best for, community votes. One paragraph
 * with line breaks rather than one per fact: every repeated inline style costs bytes against Gmail's limit.
 */
export function ToolSummary({ tool }: { tool: DigestTool }) {
  const { summary } = tool;
  const votes = tool.communityVotes;
  return (
    <>
      <p style={{ margin: '0 0 6px', fontSize: '16px', fontWeight: 700, lineHeight: '22px' }}>
        {`${tool.name} `}
        <VerdictBadge verdict={summary.verdict} />
      </p>
      <p style={small}>
        <strong>Panel:</strong>{' '}
        {`${summary.shipVotes} ship / ${summary.skipVotes} skip (${summary.shipShare}% ship)`}
        <br />
        <strong>Average:</strong> {`${summary.averageScore.toFixed(1)}/100`}
        {tool.entryPrice && (
          <>
            <br />
            <strong>Entry price:</strong> {tool.entryPrice}
          </>
        )}
        {tool.pricing && (
          <>
            <br />
            <strong>Pricing:</strong> {tool.pricing}
          </>
        )}
        {tool.bestFor && (
          <>
            <br />
            <strong>Best for:</strong> {tool.bestFor}
          </>
        )}
        <br />
        <strong>Community:</strong>{' '}
        {votes ? `${votes.ship} ship / ${votes.skip} skip` : 'No community votes yet'}
      </p>
    </>
  );
}
