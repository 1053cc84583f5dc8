// The editor's note as the templates show it: rendered from its Markdown with links in the templates' link
// colour. Planning keeps the note as Markdown; this is where it meets the emails' styles.
import { type RenderedNote, renderEditorNote } from '../../src/domain/editor-note.js';
import { colors } from './styles.js';

/** The note as the renderer takes it: safe HTML (links in the template's link colour) and plain text. */
export function renderedNote(markdown: string | null): RenderedNote | undefined {
  return markdown === null ? undefined : renderEditorNote(markdown, colors.link);
}
