// Render once, personalise cheaply: a recipient's copy of a rendered variant is the variant with the
// placeholders replaced by the reader's own links, a string operation that costs microseconds where a React
// render costs milliseconds. Kept apart from the renderer so that sending a planned edition never loads React.
import type { RecipientLinks } from '../domain/digest-message.js';
import type { RenderedContent } from './plan-edition.js';

const escapeHtml = (value: string) =>
  value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

interface Template {
  readonly html: readonly string[];
  readonly text: readonly string[];
}

const templates = new WeakMap<RenderedContent, Template>();

function splitOnce(content: RenderedContent): Template {
  let template = templates.get(content);
  if (!template) {
    const alternatives = Object.values(content.placeholders).map((placeholder) =>
      placeholder.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'),
    );
    // split with a capture group keeps the placeholders: text, placeholder, text, placeholder, ...
    const capture = new RegExp(`(${alternatives.join('|')})`);
    template = { html: content.html.split(capture), text: content.text.split(capture) };
    templates.set(content, template);
  }
  return template;
}

/** A recipient's copy in pieces, in order: the variant's text between placeholders, and their own links. */
export interface PersonalisedPieces {
  readonly html: readonly string[];
  readonly text: readonly string[];
}

/**
 * The recipient's copy as pieces: joined, they are `personalise`'s result. The sender hashes the pieces and
 * builds each body only when it goes on the wire, so a batch waiting its turn holds no copy of its bodies.
 */
export function personalisedPieces(content: RenderedContent, links: RecipientLinks): PersonalisedPieces {
  // A review copy has no placeholders (and an empty alternation would split between every character).
  if (Object.keys(content.placeholders).length === 0) return { html: [content.html], text: [content.text] };
  const template = splitOnce(content);
  const values: Record<string, string> = {
    [content.placeholders.unsubscribe ?? '']: links.unsubscribeUrl,
    [content.placeholders.preferences ?? '']: links.preferencesUrl,
  };
  const fill = (parts: readonly string[], asHtml: boolean) =>
    parts.map((part, index) => {
      if (index % 2 === 0) return part;
      const value = values[part] ?? part;
      return asHtml ? escapeHtml(value) : value;
    });
  return { html: fill(template.html, true), text: fill(template.text, false) };
}

/**
 * Pieces into one string. Concatenation leaves V8 a rope of the pieces (a few bytes per piece); the copy of
 * the whole body is made only when something reads it, such as the JSON serialisation of a request.
 */
export function joinPieces(pieces: readonly string[]): string {
  let out = '';
  for (const piece of pieces) out += piece;
  return out;
}

/** The recipient's copy: the variant with their links in place of the placeholders. */
export function personalise(content: RenderedContent, links: RecipientLinks): { html: string; text: string } {
  const pieces = personalisedPieces(content, links);
  return { html: joinPieces(pieces.html), text: joinPieces(pieces.text) };
}
