// Where a stored web version says "this tool's reader tally goes here". A sent edition's page is rendered
// once and stored, but readers keep voting: the page holds a mark around each tool's "Community" line, and
// the server puts the current tally into it as it serves the page (docs/votes.md).
//
// The mark is `<span data-readers="MODE:COMPARISON/TOOL">…</span>` around the line. Slugs are lower-case
// letters, digits and hyphens (the import refuses others), so neither holds `"`, `:` or `/`; and imported
// text is escaped when the page is rendered, so no comparison's own words can forge a mark.

/**
 * `beside`: the site's own community votes stay and the readers' line goes after them. `instead`: the
 * site has none, so the readers' line takes the place of "No community votes yet".
 */
export type ReadersMode = 'beside' | 'instead';

const OPEN = '<span data-readers="';
const CLOSE = '</span>';
const VALUE = /^(beside|instead):([a-z0-9-]+)\/([a-z0-9-]+)$/;

/** The attribute that marks tool `tool`'s community line on comparison `comparison`. */
export function readersMarkAttributes(
  comparison: string,
  tool: string,
  siteHasVotes: boolean,
): { readonly 'data-readers': string } {
  const mode: ReadersMode = siteHasVotes ? 'beside' : 'instead';
  return { 'data-readers': `${mode}:${comparison}/${tool}` };
}

/** One mark in a page: whose tally, and the byte range of the line it holds (between its tags). */
export interface ReadersMark {
  readonly comparison: string;
  readonly tool: string;
  readonly mode: ReadersMode;
  /** Byte offset of the first byte after the opening tag. */
  readonly start: number;
  /** Byte offset of the closing tag. */
  readonly end: number;
}

/** Every well-formed mark in `page` (UTF-8 bytes), in page order; a page stored without any has none. */
export function findReadersMarks(page: Uint8Array): ReadersMark[] {
  const bytes = Buffer.from(page.buffer, page.byteOffset, page.byteLength);
  const marks: ReadersMark[] = [];
  for (let at = bytes.indexOf(OPEN); at >= 0; at = bytes.indexOf(OPEN, at + OPEN.length)) {
    const valueStart = at + OPEN.length;
    const quote = bytes.indexOf('">', valueStart);
    if (quote < 0) break;
    // Two slugs of at most 200 characters each, and the mode: anything longer is no mark of ours.
    const value = quote - valueStart <= 420 ? VALUE.exec(bytes.toString('latin1', valueStart, quote)) : null;
    const start = quote + 2;
    const end = bytes.indexOf(CLOSE, start);
    // The line inside holds <br/> and <b> only, never another span: the next closing tag is the mark's.
    const next = bytes.indexOf(OPEN, start);
    if (!value || end < 0 || (next >= 0 && next < end)) continue;
    marks.push({
      mode: value[1] as ReadersMode,
      comparison: value[2] ?? '',
      tool: value[3] ?? '',
      start,
      end,
    });
  }
  return marks;
}
