import type { DigestComparison } from '../../src/domain/digest.js';
import { ScoreBar } from './score-bar.js';
import { colors } from './styles.js';

const cellPadding = { padding: '5px 4px', verticalAlign: 'top' } as const;

/**
 * Persona x tool: score out of 100, the persona's vote in words, and a bar. A real data table (caption,
 * th scope) so screen readers announce "Builder, Claude Code: 89/100 Ship". Font settings are set once
 * on the table and inherited, to keep the markup small.
 */
export function Scorecard({ comparison }: { comparison: DigestComparison }) {
  const [left, right] = comparison.tools;
  return (
    <table
      width="100%"
      cellPadding={0}
      cellSpacing={0}
      style={{
        fontSize: '13px',
        lineHeight: '18px',
        borderTop: `1px solid ${colors.border}`,
        margin: '8px 0',
        textAlign: 'left',
      }}
    >
      <caption style={{ textAlign: 'left', fontWeight: 600, padding: '8px 4px 0' }}>Panel scorecard</caption>
      <thead>
        <tr style={{ color: colors.muted }}>
          <th scope="col" style={cellPadding}>
            Persona
          </th>
          <th scope="col" style={cellPadding}>
            {left.name}
          </th>
          <th scope="col" style={cellPadding}>
            {right.name}
          </th>
        </tr>
      </thead>
      <tbody>
        {comparison.personas.map((persona) => (
          <tr key={persona.slug}>
            <th scope="row" style={{ ...cellPadding, width: '28%' }}>
              {persona.label}
            </th>
            {[left, right].map((tool) => {
              const cell = tool.scores[persona.slug];
              return (
                <td key={tool.slug} width="36%" style={cellPadding}>
                  {cell ? (
                    <>
                      <strong>{`${cell.score}/100`}</strong> {cell.verdict === 'ship' ? 'Ship' : 'Skip'}
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
