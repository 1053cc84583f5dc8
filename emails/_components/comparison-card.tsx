import type { DigestComparison } from '../../src/domain/digest.js';
import { Scorecard } from './scorecard.js';
import { button, card, heading, paragraph } from './styles.js';
import { LayoutTable } from './table.js';
import { ToolSummary } from './tool-summary.js';

export function panelPickText(comparison: DigestComparison): string {
  return comparison.pick.kind === 'tool'
    ? `Panel's pick: ${comparison.pick.name}`
    : "Panel's pick: dead even";
}

/** A whole comparison: title, headline, both tools side by side, the scorecard, the pick and a button. */
export function ComparisonCard({ comparison }: { comparison: DigestComparison }) {
  const [left, right] = comparison.tools;
  return (
    <LayoutTable style={card}>
      <tr>
        <td style={{ padding: '16px' }}>
          <h2 style={heading}>{comparison.title}</h2>
          {comparison.headline && <p style={paragraph}>{comparison.headline}</p>}
          <LayoutTable>
            <tr>
              <td width="50%" valign="top" style={{ paddingRight: '8px' }}>
                <ToolSummary tool={left} />
              </td>
              <td width="50%" valign="top" style={{ paddingLeft: '8px' }}>
                <ToolSummary tool={right} />
              </td>
            </tr>
          </LayoutTable>
          <Scorecard comparison={comparison} />
          <p style={{ ...paragraph, fontWeight: 700 }}>{panelPickText(comparison)}</p>
          <a href={comparison.url} style={button}>
            Read the full comparison
          </a>
        </td>
      </tr>
    </LayoutTable>
  );
}
