// A layout table with the attributes every email client needs, written once: role=presentation keeps
// screen readers from announcing layout as data, and zero spacing stops Outlook adding gaps.
import type { CSSProperties, ReactNode } from 'react';

export function LayoutTable({ children, style }: { children: ReactNode; style?: CSSProperties }) {
  return (
    <table role="presentation" width="100%" cellPadding={0} cellSpacing={0} border={0} style={style}>
      <tbody>{children}</tbody>
    </table>
  );
}
