// Render once, personalise cheaply: a recipient's copy of a rendered variant is the variant with the
// placeholders replaced by the reader's own links, a string operation that costs microseconds where a React
// render costs milliseconds. Kept apart from the renderer so that sending a planned edition never loads React.
import type { RecipientLinks } from '../domain/digest-message.js';
import { joinPieces, jsonStringBytes } from '../domain/email-message.js';
import type { RenderedContent } from './freeze-edition.js';

const escapeHtml = (value: string) =>
  value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A variant split at its placeholders: text, placeholder, text, ... (one piece when it has none). */
interface Template {
  readonly html: readonly string[];
  readonly text: readonly string[];
  /** The same pieces as JSON string text in UTF-8, escaped and encoded once per variant, not once per copy. */
  readonly json: { readonly html: readonly Uint8Array[]; readonly text: readonly Uint8Array[] };
  /** The same pieces in UTF-8, encoded once per variant: what the payload hash reads. */
  readonly utf8: { readonly html: readonly Uint8Array[]; readonly text: readonly Uint8Array[] };
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
    // A review copy has no placeholders (and an empty alternation would split between every character).
    const split = (body: string) => (alternatives.length === 0 ? [body] : body.split(capture));
    const html = split(content.html);
    const text = split(content.text);
    template = {
      html,
      text,
      json: { html: html.map(jsonStringBytes), text: text.map(jsonStringBytes) },
      utf8: { html: html.map((piece) => Buffer.from(piece)), text: text.map((piece) => Buffer.from(piece)) },
    };
    templates.set(content, template);
  }
  return template;
}

/** A recipient's copy in pieces, in order: the variant's text between placeholders, and their own links. */
export interface PersonalisedPieces {
  readonly html: readonly string[];
  readonly text: readonly string[];
  /** The same pieces as JSON string text in UTF-8 (see EmailMessage.json). */
  readonly json: { readonly html: readonly Uint8Array[]; readonly text: readonly Uint8Array[] };
  /**
   * The same pieces for hashing: the variant's as its UTF-8 bytes, the reader's links as they are (a string
   * hashes as its UTF-8). Hashing a string re-encodes it on every call, a third of a batch's formation.
   */
  readonly utf8: {
    readonly html: readonly (string | Uint8Array)[];
    readonly text: readonly (string | Uint8Array)[];
  };
}

const EMPTY = new Uint8Array(0);

/**
 * The variant's pieces with each placeholder replaced by the reader's value (escaped for HTML in `html`).
 * A value may stand in many places (the token in every vote link, four a card): each is escaped once.
 */
function filled(content: RenderedContent, template: Template, links: RecipientLinks) {
  const values = new Map<string, { readonly text: string; readonly html: string }>();
  const set = (placeholder: string | undefined, value: string) => {
    // A variant rendered before the footer said why, or before vote links, has no such placeholder.
    if (placeholder) values.set(placeholder, { text: value, html: escapeHtml(value) });
  };
  set(content.placeholders.unsubscribe, links.unsubscribeUrl);
  set(content.placeholders.preferences, links.preferencesUrl);
  set(content.placeholders.reason, links.reason);
  set(content.placeholders.token, links.token);
  const fill = (parts: readonly string[], asHtml: boolean) =>
    parts.map((part, index) => {
      if (index % 2 === 0) return part;
      const value = values.get(part);
      return value === undefined ? part : asHtml ? value.html : value.text;
    });
  return { html: fill(template.html, true), text: fill(template.text, false) };
}

/**
 * The recipient's copy as pieces: joined, they are `personalise`'s result. The sender hashes the pieces and
 * builds each body only when it goes on the wire, so a batch waiting its turn holds no copy of its bodies.
 */
export function personalisedPieces(content: RenderedContent, links: RecipientLinks): PersonalisedPieces {
  const template = splitOnce(content);
  const { html, text } = filled(content, template, links);
  // The variant's pieces come written once (`ready`); only the reader's links are written here. JSON escapes
  // character by character, so escaped pieces join to the escaped whole.
  const written = <T>(pieces: readonly string[], ready: readonly Uint8Array[], write: (link: string) => T) =>
    pieces.map((piece, index) => (index % 2 === 0 ? (ready[index] ?? EMPTY) : write(piece)));
  const asIs = (link: string) => link;
  // Each of the reader's values is written to JSON once, however many places it fills.
  const json = new Map<string, Uint8Array>();
  const asJson = (link: string) => {
    let bytes = json.get(link);
    if (bytes === undefined) {
      bytes = jsonStringBytes(link);
      json.set(link, bytes);
    }
    return bytes;
  };
  return {
    html,
    text,
    json: {
      html: written(html, template.json.html, asJson),
      text: written(text, template.json.text, asJson),
    },
    utf8: { html: written(html, template.utf8.html, asIs), text: written(text, template.utf8.text, asIs) },
  };
}

/** The recipient's copy: the variant with their links in place of the placeholders. */
export function personalise(content: RenderedContent, links: RecipientLinks): { html: string; text: string } {
  const { html, text } = filled(content, splitOnce(content), links);
  return { html: joinPieces(html), text: joinPieces(text) };
}
