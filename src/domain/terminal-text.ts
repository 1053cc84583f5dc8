// Text from the database printed to a terminal. Imports refuse control characters now, but a database
// written by an older release may still hold them, and an ESC (or the C1 CSI) printed raw is a terminal
// escape sequence: it can recolour, move the cursor, retitle the window or hide what follows.

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it replaces.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it replaces.
const CONTROL_BUT_NEWLINE_AND_TAB = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

function visible(character: string): string {
  return `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * The text with every control character shown as a visible escape (`\u001b`), so it prints as inert
 * characters. `multiLine` keeps line feeds and tabs, for text printed as several lines (the editor's note);
 * a carriage return is escaped even then, since it moves the cursor back over what was already printed.
 */
export function terminalSafe(text: string, options: { readonly multiLine?: boolean } = {}): string {
  return text.replace(options.multiLine ? CONTROL_BUT_NEWLINE_AND_TAB : CONTROL, visible);
}
