// Control characters in stored text: C0 (U+0000-U+001F), DEL (U+007F) and C1 (U+0080-U+009F). None of them
// is something an editor means to publish: XML 1.0 forbids most of them outright (one in a title makes the
// feed ill-formed), ESC and the C1 CSI start terminal escape sequences, and a NUL ends a C string. So text
// is refused where it enters (imports, the CLI, the console), naming the character, rather than cleaned.

/** One line of text (a title, a name, a category): no control character at all. */
export type TextShape = 'one-line' | 'multi-line';

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for.
const CONTROL_BUT_LINE_BREAKS_AND_TABS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/**
 * The first control character the text may not hold, as a code point; undefined when it holds none.
 * Multi-line text (prose such as a description, a review or the editor's note) keeps line feeds, carriage
 * returns (a file saved with CRLF line ends) and tabs; anything shown on one line keeps none.
 */
export function findControlCharacter(text: string, shape: TextShape = 'one-line'): number | undefined {
  const found = (shape === 'one-line' ? CONTROL : CONTROL_BUT_LINE_BREAKS_AND_TABS).exec(text);
  return found ? found[0].charCodeAt(0) : undefined;
}

/** "U+001B": how Unicode names a code point, so the editor can search for it. */
export function codePointLabel(codePoint: number): string {
  return `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** "contains a control character (U+001B); remove it", or undefined when the text is clean. */
export function controlCharacterProblem(text: string, shape: TextShape = 'one-line'): string | undefined {
  const found = findControlCharacter(text, shape);
  return found === undefined
    ? undefined
    : `contains a control character (${codePointLabel(found)}); remove it`;
}
