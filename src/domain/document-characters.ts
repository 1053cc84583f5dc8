// Characters a feed or a page must never carry. XML 1.0 allows only tab, line feed and carriage return
// below U+0020, no lone surrogate, and neither U+FFFE nor U+FFFF; one of them, even escaped as `&#1;`,
// makes the whole feed ill-formed and a reader's app drops it. HTML parsers treat the same characters as
// errors (a NUL vanishes or turns into U+FFFD, depending on where it sits). DEL and the C1 controls are
// legal XML but are terminal escapes (C1 CSI) or invisible, never something an editor meant to publish.
// Imports refuse these characters now, but rows written before that still hold them, so the writers of
// pages and of the feed pass everything through here.

/** What takes a forbidden character's place: Unicode's replacement character, so the loss shows. */
export const REPLACEMENT_CHARACTER = '\uFFFD';

const FORBIDDEN =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it replaces.
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** `text` with every character that XML 1.0 or HTML forbids replaced by U+FFFD; most text comes back as is. */
export function documentText(text: string): string {
  return text.replace(FORBIDDEN, REPLACEMENT_CHARACTER);
}
