// Which reviewer speaks for a tool in the digest: one quote per tool, a sentence or two
// from a stored review, credited to its persona. When the panel split, the dissenting voice; otherwise the
// highest-scoring reviewer. Pure: no I/O.
import { comparePersonas, type Review, type ReviewVerdict } from './comparison.js';

export interface PanelQuote {
  /** Persona slug; the template shows it with personaLabel. */
  readonly persona: string;
  readonly score: number;
  readonly verdict: ReviewVerdict;
  /** A sentence or two of the review, whitespace collapsed, at most QUOTE_MAX_CHARS characters. */
  readonly text: string;
  /** True when this reviewer voted against the rest of the panel. */
  readonly dissent: boolean;
}

/** Long enough for a real sentence, short enough that ten cards with two quotes each fit the size budget. */
export const QUOTE_MAX_CHARS = 220;

// A full stop after these is not the end of a sentence ("Claude Code vs. Aider", "e.g. Ollama").
const ABBREVIATIONS = new Set(['vs', 'e.g', 'i.e', 'etc', 'approx', 'mr', 'mrs', 'ms', 'dr', 'inc']);

/** Sentence ends: terminal punctuation (and closing quotes), whitespace, then a capital or opening quote. */
function sentences(text: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (const match of text.matchAll(/[.!?]["'”’)\]]*\s+(?=["'“‘([]?[A-Z0-9])/g)) {
    const end = (match.index ?? 0) + match[0].trimEnd().length;
    const lastWord = /([A-Za-z.]+)\.$/.exec(text.slice(start, end))?.[1]?.toLowerCase();
    if (lastWord && ABBREVIATIONS.has(lastWord)) continue;
    parts.push(text.slice(start, end));
    start = (match.index ?? 0) + match[0].length;
  }
  parts.push(text.slice(start));
  return parts.filter((part) => part.length > 0);
}

/**
 * The first sentence of a review, with the second when both fit `max` characters; a first sentence longer
 * than `max` is cut at a word boundary and ends with an ellipsis.
 */
export function excerpt(text: string, max = QUOTE_MAX_CHARS): string {
  const [first = '', second] = sentences(text.replace(/\s+/g, ' ').trim());
  if (first.length > max) {
    const cut = first.slice(0, max - 1);
    const atWord = cut.lastIndexOf(' ') > max / 2 ? cut.slice(0, cut.lastIndexOf(' ')) : cut;
    return `${atWord.replace(/[\s,;:–—-]+$/, '')}…`;
  }
  return second !== undefined && first.length + 1 + second.length <= max ? `${first} ${second}` : first;
}

const byScoreDescending = (a: Review, b: Review) =>
  b.score - a.score || comparePersonas(a.persona, b.persona);
const byScoreAscending = (a: Review, b: Review) => a.score - b.score || comparePersonas(a.persona, b.persona);

/**
 * The quote that speaks for a tool, or undefined when no reviewer wrote any text.
 *
 * - Unanimous panel: the highest-scoring reviewer (ties: panel order).
 * - Split panel: the minority side dissents; on an even split the skip side does, since the reason not to
 *   adopt a tool is what a reader most needs before adopting it. Of the dissenters, the most emphatic: the
 *   lowest score among skip votes, the highest among ship votes.
 * - Dissenters who wrote nothing: fall back to the highest-scoring reviewer who did.
 */
export function panelQuote(reviews: readonly Review[]): PanelQuote | undefined {
  const written = reviews.filter((review) => review.text !== undefined && review.text.trim() !== '');
  if (written.length === 0) return undefined;
  const ship = reviews.filter((review) => review.verdict === 'ship').length;
  const skip = reviews.length - ship;
  let chosen: Review | undefined;
  let dissent = false;
  if (ship > 0 && skip > 0) {
    const side: ReviewVerdict = ship < skip ? 'ship' : 'skip';
    const dissenters = written.filter((review) => review.verdict === side);
    chosen = dissenters.sort(side === 'skip' ? byScoreAscending : byScoreDescending)[0];
    dissent = chosen !== undefined;
  }
  chosen ??= [...written].sort(byScoreDescending)[0];
  if (!chosen) return undefined;
  return {
    persona: chosen.persona,
    score: chosen.score,
    verdict: chosen.verdict,
    text: excerpt(chosen.text ?? ''),
    dissent,
  };
}
