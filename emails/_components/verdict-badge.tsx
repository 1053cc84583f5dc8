import type { ToolVerdict } from '../../src/domain/comparison.js';
import { colors } from './styles.js';

const background: Record<ToolVerdict, string> = { SHIP: colors.ship, SKIP: colors.skip, SPLIT: colors.split };

/** The verdict in words; colour is only a second signal (readers with colour blindness, plain clients). */
export function VerdictBadge({ verdict }: { verdict: ToolVerdict }) {
  return (
    <span
      style={{
        backgroundColor: background[verdict],
        color: '#ffffff',
        borderRadius: '4px',
        padding: '2px 8px',
        fontSize: '12px',
        fontWeight: 700,
        letterSpacing: '0.5px',
      }}
    >
      {verdict}
    </span>
  );
}
