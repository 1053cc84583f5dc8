// Inline style objects shared by every template (inline, not <Tailwind>: size is the binding constraint),
// and the two small <style> blocks that only enhance: stacking columns on phones, and dark mode.
// Every text/background pair is checked for WCAG contrast in both schemes by test/emails/digest-browser.test.ts,
// on the rendered email in Chromium (README: "Contrast").
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
  onColor: '#fff',
} as const;

/** The dark scheme, applied by clients that honour prefers-color-scheme (Apple Mail, iOS Mail, Outlook for Mac). */
export const darkColors = {
  text: '#e6edf3',
  muted: '#9198a1',
  link: '#58a6ff',
  border: '#3d444d',
  page: '#0d1117',
  card: '#161b22',
  track: '#3d444d',
} as const;

export const fontStack = "-apple-system,'Segoe UI',Helvetica,Arial,sans-serif";

/**
 * Class names the <style> blocks target (short: each is repeated on many elements). `s` stacks a column;
 * the `x` classes recolour an element in dark mode.
 */
export const cls = {
  stack: 's',
  /** page background and body text: the body cell and the pick strip */
  page: 'xb',
  card: 'xc',
  muted: 'xm',
  link: 'xl',
  rule: 'xr',
  note: 'xn',
} as const;

/**
 * Phones: below 480 px the two tool columns stack. Columns are table cells side by side (the fallback
 * every client renders); this turns them into full-width blocks where media queries work (Gmail, Apple
 * Mail, Outlook for iOS and Android, Yahoo). Its own <style> block, since Gmail drops a whole block over
 * one rule it dislikes.
 */
export const responsiveCss = `@media only screen and (max-width:480px){.${cls.stack}{display:block!important;width:100%!important;box-sizing:border-box;padding:0 0 12px!important}}`;

/**
 * Dark mode for clients that honour prefers-color-scheme. The body selector reaches the cell React Email's
 * <Body> puts the page style on (Yahoo and AOL drop styles on <body> itself); score-bar tracks are found by
 * their bgcolor (every client that runs this block supports attribute selectors), not by a class on each. Badges and the button keep
 * their colours: white on a mid-dark fill reads in both schemes and survives clients that invert colours.
 */
export const darkCss = `:root{color-scheme:light dark;supported-color-schemes:light dark}@media (prefers-color-scheme:dark){.${cls.page},.${cls.page}>table>tbody>tr>td{background:${darkColors.page}!important;color:${darkColors.text}!important}.${cls.card}{background:${darkColors.card}!important;border-color:${darkColors.border}!important}.${cls.muted}{color:${darkColors.muted}!important}.${cls.link},.${cls.note} a{color:${darkColors.link}!important}[bgcolor="${colors.track}"]{background:${darkColors.track}!important}.${cls.rule}{border-color:${darkColors.border}!important}}`;

export const body: CSSProperties = {
  margin: 0,
  padding: 0,
  backgroundColor: colors.page,
  color: colors.text,
  fontFamily: fontStack,
  // Long unbroken imported words (URLs in a pricing line) wrap instead of widening the layout on a phone.
  wordBreak: 'break-word',
};
export const container: CSSProperties = { maxWidth: '600px', padding: '16px 8px' };
export const paragraph: CSSProperties = { margin: '0 0 12px', fontSize: '15px', lineHeight: '22px' };
/** Small print in the body colour (inherited, so dark mode recolours it with the page). */
export const fine: CSSProperties = { margin: '0 0 4px', fontSize: '13px', lineHeight: '18px' };
/** Small print in the muted colour: pair it with the `muted` class for dark mode. */
export const small: CSSProperties = { ...fine, color: colors.muted };
export const link: CSSProperties = { color: colors.link };
export const sectionHeading: CSSProperties = { margin: '0 0 8px', fontSize: '17px', lineHeight: '22px' };
export const cardTitle: CSSProperties = { margin: '0 0 4px', fontSize: '20px', lineHeight: '26px' };
export const button: CSSProperties = {
  backgroundColor: colors.link,
  color: colors.onColor,
  borderRadius: '6px',
  padding: '10px 16px',
  fontSize: '15px',
  fontWeight: 600,
};
export const card: CSSProperties = {
  backgroundColor: colors.card,
  border: `1px solid ${colors.border}`,
  borderRadius: '8px',
  marginBottom: '16px',
  padding: '16px',
};
export const rule: CSSProperties = { borderTop: `1px solid ${colors.border}`, margin: '16px 0' };
