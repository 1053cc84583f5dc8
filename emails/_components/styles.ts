// Inline style objects shared by every template (inline, not <Tailwind>: size is the binding constraint).
// Contrast ratios against their backgrounds, WCAG 2.1, all at least 4.5:1:
//   text #1f2328 on #ffffff 15.8:1; muted #57606a on #ffffff 6.4:1 and on #f6f8fa 6.0:1;
//   link #0550ae on #ffffff 7.6:1; white on SHIP #1a7f37 5.1:1, SKIP #b42318 6.4:1, SPLIT #7d4e00 6.9:1.
import type { CSSProperties } from 'react';

export const colors = {
  text: '#1f2328',
  muted: '#57606a',
  link: '#0550ae',
  border: '#d0d7de',
  page: '#f6f8fa',
  card: '#ffffff',
  track: '#e6e8eb',
  ship: '#1a7f37',
  skip: '#b42318',
  split: '#7d4e00',
} as const;

export const fontStack = "-apple-system,'Segoe UI',Helvetica,Arial,sans-serif";

export const body: CSSProperties = {
  margin: 0,
  padding: 0,
  backgroundColor: colors.page,
  color: colors.text,
  fontFamily: fontStack,
};
export const container: CSSProperties = { maxWidth: '600px', margin: '0 auto', padding: '16px 8px' };
export const paragraph: CSSProperties = { margin: '0 0 12px', fontSize: '15px', lineHeight: '22px' };
export const small: CSSProperties = {
  margin: '0 0 4px',
  fontSize: '13px',
  lineHeight: '18px',
  color: colors.muted,
};
export const link: CSSProperties = { color: colors.link };
export const heading: CSSProperties = {
  margin: '0 0 6px',
  fontSize: '20px',
  lineHeight: '26px',
  color: colors.text,
};
export const button: CSSProperties = {
  backgroundColor: colors.link,
  color: '#ffffff',
  borderRadius: '6px',
  padding: '10px 16px',
  fontSize: '15px',
  fontWeight: 600,
  textDecoration: 'none',
  display: 'inline-block',
};
export const card: CSSProperties = {
  backgroundColor: colors.card,
  border: `1px solid ${colors.border}`,
  borderRadius: '8px',
  marginBottom: '16px',
};
