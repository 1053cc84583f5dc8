import type { DigestComparison } from '../../src/domain/digest.js';
import { panelPickText } from './comparison-card.js';
import { colors, link, small } from './styles.js';
import { VerdictBadge } from './verdict-badge.js';

/** What a comparison shrinks to when the full cards would push the email past Gmail's clipping limit. */
export function CompactRow({ comparison }: { comparison: DigestComparison }) {
  const [left, right] = comparison.tools;
  return (
    <tr>
      <td style={{ padding: '8px 0', borderBottom: `1px solid ${colors.border}` }}>
        <a href={comparison.url} style={{ ...link, fontWeight: 600, fontSize: '15px' }}>
          {comparison.title}
        </a>
        <p style={{ ...small, margin: '4px 0 0' }}>
          {`${left.name} `}
          <VerdictBadge verdict={left.summary.verdict} />
          {` ${left.summary.averageScore.toFixed(1)}/100 · ${right.name} `}
          <VerdictBadge verdict={right.summary.verdict} />
          {` ${right.summary.averageScore.toFixed(1)}/100 · ${panelPickText(comparison)}`}
        </p>
      </td>
    </tr>
  );
}
