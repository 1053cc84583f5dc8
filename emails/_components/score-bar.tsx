import { colors } from './styles.js';

// Presentational attributes email clients honour where they ignore CSS, and React passes through; this
// tells TypeScript so. bgcolor: the one background every client (Outlook included) shows on a table cell.
// width and valign on <th>: set once in a header row instead of a style on every cell.
declare module 'react' {
  interface TdHTMLAttributes<T> {
    bgcolor?: string | undefined;
  }
  interface ThHTMLAttributes<T> {
    width?: string | undefined;
    valign?: 'top' | 'middle' | 'bottom' | undefined;
  }
}

// Outlook collapses an empty row: the filled cell holds a no-break space, shrunk to nothing, so the row
// keeps the bar's 6 px. The track cell beside it takes the row's height and needs no content of its own,
// except for a score of 0, when it is alone.
const NBSP = '\u00a0';
const cell = { fontSize: '0', lineHeight: '0' } as const;

/**
 * A score bar made of two table cells with bgcolor: no images, no CSS widths on divs, which Outlook and
 * Gmail both ignore. Decorative (aria-hidden, which also keeps it out of the accessibility tree without a
 * role): the score is written out beside it. Hand-written rather than <Row>/<Column>: eight of these per
 * card, and the components' extra attributes would cost about 1 KB a card against Gmail's clipping limit.
 * Dark mode recolours the track by its bgcolor (see darkCss), saving a class on each.
 */
export function ScoreBar({ score, color }: { score: number; color: string }) {
  const filled = Math.max(0, Math.min(100, Math.round(score)));
  return (
    <table width="100%" cellPadding={0} cellSpacing={0} aria-hidden="true">
      <tbody>
        <tr>
          {filled > 0 ? (
            <td width={`${filled}%`} height="6" bgcolor={color} style={cell}>
              {NBSP}
            </td>
          ) : (
            <td height="6" bgcolor={colors.track} style={cell}>
              {NBSP}
            </td>
          )}
          {filled > 0 && filled < 100 && <td bgcolor={colors.track} />}
        </tr>
      </tbody>
    </table>
  );
}
