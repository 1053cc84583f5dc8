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

/** The recipient's copy: the variant with their links in place of the placeholders. */
export function personalise(content: RenderedContent, links: RecipientLinks): { html: string; text: string } {
  const template = splitOnce(content);
  const values: Record<string, string> = {
    [content.placeholders.unsubscribe ?? '']: links.unsubscribeUrl,
    [content.placeholders.preferences ?? '']: links.preferencesUrl,
  };
  const fill = (parts: readonly string[], asHtml: boolean) => {
    let out = '';
    for (let index = 0; index < parts.length; index++) {
      const part = parts[index] ?? '';
      if (index % 2 === 0) out += part;
      else out += asHtml ? escapeHtml(values[part] ?? part) : (values[part] ?? part);
    }
    return out;
  };
  return { html: fill(template.html, true), text: fill(template.text, false) };
}
