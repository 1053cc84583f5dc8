// A digest copy whose every character is below U+0100 costs half the memory on its way to the provider.
// V8 keeps such a string at one byte per character and any other at two; one character beyond Latin-1
// anywhere in a batch (a quote's em dash, the week's en dash) makes the SDK's JSON of all 100 copies
// two-byte, and makes fetch copy that JSON once more (`toWellFormed`). So a variant is rendered that way
// once: its HTML spells such characters as character references, which every client decodes to the same
// text, and its text part uses plain-text typography (BENCHMARKS.md, "What digest send's memory is made of").

/** The HTML with every character beyond Latin-1 written as a numeric character reference: the same page. */
export function htmlWithCharacterReferences(html: string): string {
  return html.replace(/[\u0100-\u{10ffff}]/gu, (character) => `&#${character.codePointAt(0)};`);
}

// The typographic characters of English prose and of our own templates, as a plain-text email writes them.
// Anything else (a name in another script, an emoji) is left as it is: correct text comes first.
const PLAIN_TYPOGRAPHY: Readonly<Record<string, string>> = {
  '\u2010': '-', // hyphen
  '\u2011': '-', // non-breaking hyphen
  '\u2012': '-', // figure dash
  '\u2013': '-', // en dash
  '\u2014': '--', // em dash
  '\u2015': '--', // horizontal bar
  '\u2018': "'",
  '\u2019': "'",
  '\u201a': "'",
  '\u201c': '"',
  '\u201d': '"',
  '\u201e': '"',
  '\u2022': '*', // bullet
  '\u2026': '...',
  '\u2032': "'", // prime
  '\u2033': '"', // double prime
  '\u2039': '<',
  '\u203a': '>',
  '\u2192': '->',
  '\u2190': '<-',
  '\u2212': '-', // minus sign
  '\u2009': ' ', // thin space
  '\u200a': ' ', // hair space
  '\u202f': '\u00a0', // narrow no-break space
};

/** The text with typographic punctuation in its plain-text spelling (an em dash as "--", quotes straight). */
export function plainTypography(text: string): string {
  return text.replace(/[\u2009-\u2212]/g, (character) => PLAIN_TYPOGRAPHY[character] ?? character);
}
