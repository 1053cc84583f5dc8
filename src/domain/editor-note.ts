// The editor's note: Markdown with paragraphs, emphasis and links only, so no note can break the layout or
// inject markup. markdown-it's "zero" preset with just those rules switched on, and raw HTML off, so
// everything else (headings, lists, images, code, <script>) stays literal text and is escaped. The same
// tokens give the plain-text part.
import MarkdownIt, { type Token } from 'markdown-it';
import { codePointLabel, findControlCharacter } from './control-characters.js';

export interface RenderedNote {
  /** Safe HTML: <p>, <em>, <strong> and <a href> with an http(s) or mailto URL, nothing else. */
  readonly html: string;
  /** Readable plain text: paragraphs separated by a blank line, links as "text (url)". */
  readonly text: string;
}

/** Long enough for a real introduction; short enough that the digest keeps within its size budget. */
export const NOTE_MAX_CHARACTERS = 2000;

// Links only where a mail reader can follow them: no javascript:, data:, file: or relative URLs.
const LINKABLE = /^(?:https?:\/\/|mailto:)/i;

function parser(linkColor: string) {
  const md = new MarkdownIt('zero', { html: false, linkify: false, typographer: false }).enable([
    'emphasis',
    'link',
    'escape',
    'entity',
  ]);
  md.validateLink = (url) => LINKABLE.test(url.trim());
  // Email clients ignore stylesheets unevenly: the note's own spacing and link colour go inline.
  md.renderer.rules.paragraph_open = () => '<p style="margin:0 0 12px">';
  md.renderer.rules.link_open = (tokens, index, options, _env, self) => {
    tokens[index]?.attrSet('style', `color:${linkColor}`);
    return self.renderToken(tokens, index, options);
  };
  return md;
}

function inlineText(children: readonly Token[]): string {
  let out = '';
  let href: string | undefined;
  let label = '';
  for (const token of children) {
    let piece = '';
    if (token.type === 'text') piece = token.content;
    else if (token.type === 'softbreak') piece = '\n';
    else if (token.type === 'em_open' || token.type === 'em_close') piece = '_';
    else if (token.type === 'strong_open' || token.type === 'strong_close') piece = '*';
    else if (token.type === 'link_open') {
      href = String(token.attrGet('href') ?? '');
      label = '';
      continue;
    } else if (token.type === 'link_close') {
      piece = label === href ? label : `${label} (${href})`;
      href = undefined;
      out += piece;
      continue;
    }
    if (href !== undefined) label += piece;
    else out += piece;
  }
  return out;
}

/** The note as HTML for the email (links in `linkColor`) and as plain text for its text part. */
export function renderEditorNote(markdown: string, linkColor: string): RenderedNote {
  const md = parser(linkColor);
  const tokens = md.parse(markdown, {});
  const paragraphs = tokens
    .filter((token) => token.type === 'inline')
    .map((token) => inlineText(token.children ?? []).trim())
    .filter((paragraph) => paragraph !== '');
  return { html: md.renderer.render(tokens, md.options, {}).trim(), text: paragraphs.join('\n\n') };
}

/** Why a note cannot be used, in one sentence; undefined when it can. */
export function noteProblem(markdown: string): string | undefined {
  if (markdown.trim() === '') return 'The note is empty; use --clear to remove a note.';
  // Line breaks and tabs are the note's own; any other control character would reach the email and the
  // terminal as it is.
  const control = findControlCharacter(markdown, 'multi-line');
  if (control !== undefined)
    return `The note contains a control character (${codePointLabel(control)}); remove it.`;
  if (markdown.length > NOTE_MAX_CHARACTERS) {
    return `The note has ${markdown.length} characters; keep it to ${NOTE_MAX_CHARACTERS} so the digest stays within its size budget.`;
  }
  return undefined;
}
