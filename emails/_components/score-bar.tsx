import { colors } from './styles.js';

// bgcolor is the one background every email client honours on a table cell (Outlook ignores CSS there);
// React passes the attribute through, and this tells TypeScript so.
declare module 'react' {
  interface TdHTMLAttributes<T> {
    bgcolor?: string | undefined;
  }
}

// Outlook collapses empty cells: a no-break space, shrunk to nothing, keeps the bar's height.
const NBSP = '\u00a0';
const cell = { fontSize: '0', lineHeight: '0' } as const;

/**
 * A score bar made of two table cells with bgcolor: no images, no CSS widths on divs, which Outlook and
 * Gmail both ignore. Decorative (aria-hidden): the score is written out beside it.
 */
export function ScoreBar({ score, color }: { score: number; color: string }) {
  const filled = Math.max(0, Math.min(100, Math.round(score)));
  return (
    <table role="presentation" width="100%" cellPadding={0} cellSpacing={0} aria-hidden="true">
      <tbody>
        <tr>
          {filled > 0 && (
            <td width={`${filled}%`} height="6" bgcolor={color} style={cell}>
              {NBSP}
            </td>
          )}
          {filled < 100 && (
            <td width={`${100 - filled}%`} height="6" bgcolor={colors.track} style={cell}>
              {NBSP}
            </td>
          )}
        </tr>
      </tbody>
    </table>
  );
}
