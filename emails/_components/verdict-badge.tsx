import type { ToolVerdict } from '../../src/domain/comparison.js';
import { colors } from './styles.js';

const background: Record<ToolVerdict, string> = { SHIP: colors.ship, SKIP: colors.skip, SPLIT: colors.split };

/**
 * The verdict in words; colour is only a second signal (readers with colour blindness, plain clients).
 * White on a mid-dark fill: readable in light and dark mode and after a client inverts colours.
 */
export function VerdictBadge({ verdict }: { verdict: ToolVerdict }) {
  return (
    <span
      style={{
        background: background[verdict],
        color: colors.onColor,
        borderRadius: '4px',
        padding: '1px 6px',
        fontSize: '12px',
        fontWeight: 700,
      }}
    >
      {verdict}
    </span>
  );
}
