import type { DigestComparison } from '../../src/domain/digest.js';
import { ScoreBar } from './score-bar.js';
import { cls, colors } from './styles.js';

/**
 * Persona x tool: score out of 100, the persona's vote in words, and a bar. A real data table (caption,
 * th scope) so screen readers announce "Builder, Claude Code: 89/100 Ship", hence hand-written rather than
 * React Email's layout components, which are role=presentation. Padding (cellpadding), column widths
 * (header row) and font are each set once, not per cell: there are eight scores a card.
 */
export function Scorecard({ comparison }: { comparison: DigestComparison }) {
  const [left, right] = comparison.tools;
  return (
    <table
      className={cls.rule}
      width="100%"
      cellPadding={4}
      cellSpacing={0}
      style={{
        fontSize: '13px',
        lineHeight: '18px',
        borderTop: `1px solid ${colors.border}`,
        margin: '4px 0 8px',
        textAlign: 'left',
      }}
    >
      <caption style={{ textAlign: 'left', fontWeight: 600, padding: '8px 4px 0' }}>Panel scorecard</caption>
      <thead>
        <tr className={cls.muted} style={{ color: colors.muted }}>
          <th scope="col" width="28%" valign="top">
            Persona
          </th>
          <th scope="col" width="36%" valign="top">
            {left.name}
          </th>
          <th scope="col" width="36%" valign="top">
            {right.name}
          </th>
        </tr>
      </thead>
      <tbody>
        {comparison.personas.map((persona) => (
          <tr key={persona.slug}>
            <th scope="row">{persona.label}</th>
            {[left, right].map((tool) => {
              const cell = tool.scores[persona.slug];
              return (
                <td key={tool.slug}>
                  {cell ? (
                    <>
                      <b>{`${cell.score}/100`}</b>
                      {cell.verdict === 'ship' ? ' Ship' : ' Skip'}
                      <ScoreBar
                        score={cell.score}
                        color={cell.verdict === 'ship' ? colors.ship : colors.skip}
                      />
                    </>
                  ) : (
                    'No review'
                  )}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
