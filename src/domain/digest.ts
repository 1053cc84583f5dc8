// The digest's view model: plain JSON-able data the templates render, built from comparisons by the pure
// functions below. An edition freezes these views when it starts sending, so later edits of a comparison
// never change what the rest of its recipients get.

import {
  type CommunityVotes,
  type Comparison,
  comparisonCategories,
  type PanelPick,
  panelPersonas,
  panelPick,
  personaLabel,
  type ReviewVerdict,
  summarizeTool,
  type ToolSummary,
} from './comparison.js';
import { count } from './plural.js';
import { type PanelQuote, panelQuote } from './quote.js';

export interface ScoreCell {
  readonly score: number;
  readonly verdict: ReviewVerdict;
}

export interface DigestTool {
  readonly slug: string;
  readonly name: string;
  readonly category: string;
  readonly tagline?: string | undefined;
  readonly pricing?: string | undefined;
  readonly entryPrice?: string | undefined;
  readonly bestFor?: string | undefined;
  readonly url?: string | undefined;
  /** Absent when nobody has voted yet: an import without votes and one with 0 ship / 0 skip read the same. */
  readonly communityVotes?: CommunityVotes | undefined;
  readonly summary: ToolSummary;
  /** Persona slug -> that persona's score and vote; a persona may have reviewed only one tool. */
  readonly scores: Readonly<Record<string, ScoreCell>>;
  /** The panel's voice for this tool (see panelQuote). Absent when no review has text, and in snapshots
   * frozen before quotes existed. */
  readonly quote?: PanelQuote | undefined;
}

export interface DigestPersona {
  readonly slug: string;
  readonly label: string;
}

export interface DigestComparison {
  readonly slug: string;
  readonly title: string;
  readonly headline?: string | undefined;
  readonly url: string;
  /** ISO 8601 instant. */
  readonly publishedAt: string;
  readonly categories: readonly string[];
  readonly personas: readonly DigestPersona[];
  readonly tools: readonly [DigestTool, DigestTool];
  readonly pick: PanelPick;
}

function toDigestTool(tool: Comparison['tools'][number]): DigestTool {
  const scores: Record<string, ScoreCell> = {};
  for (const review of tool.reviews)
    scores[review.persona] = { score: review.score, verdict: review.verdict };
  const votes = tool.communityVotes;
  return {
    slug: tool.slug,
    name: tool.name,
    category: tool.category,
    tagline: tool.tagline,
    pricing: tool.pricing,
    entryPrice: tool.entryPrice,
    bestFor: tool.bestFor,
    url: tool.url,
    communityVotes: votes && votes.ship + votes.skip > 0 ? { ship: votes.ship, skip: votes.skip } : undefined,
    summary: summarizeTool(tool),
    scores,
    quote: panelQuote(tool.reviews),
  };
}

export function toDigestComparison(comparison: Comparison): DigestComparison {
  const [left, right] = comparison.tools;
  return {
    slug: comparison.slug,
    title: comparison.title,
    headline: comparison.headline,
    url: comparison.url,
    publishedAt: comparison.publishedAt.toISOString(),
    categories: comparisonCategories(comparison),
    personas: panelPersonas(comparison.tools).map((slug) => ({ slug, label: personaLabel(slug) })),
    tools: [toDigestTool(left), toDigestTool(right)],
    pick: panelPick(comparison.tools),
  };
}

export const NEWSLETTER_NAME = 'Weekly AI Tool Verdicts';

const oneLine = (value: string) => value.replace(/\s+/g, ' ').trim();

/** "Panel's pick: Claude Code" or "Panel's pick: dead even". */
export function pickText(comparison: Pick<DigestComparison, 'pick'>): string {
  return comparison.pick.kind === 'tool'
    ? `Panel's pick: ${comparison.pick.name}`
    : "Panel's pick: dead even";
}

/**
 * The default subject: the lead comparison and how many more, in words a reader scans in an inbox
 * ("Claude Code vs Aider, and 4 more verdicts"). No week key and no newsletter name: the sender already
 * says who it is from. `total` is how many the edition carries when `comparisons` are only its first ones.
 */
export function defaultSubject(
  comparisons: readonly Pick<DigestComparison, 'title'>[],
  total = comparisons.length,
): string {
  const [lead] = comparisons;
  if (!lead) return NEWSLETTER_NAME;
  const more = total - 1;
  if (more === 0) return `${oneLine(lead.title)}: the panel's verdict`;
  return `${oneLine(lead.title)}, and ${count(more, 'more verdict')}`;
}

/** Inboxes show about this much of the preheader after the subject. */
const PREHEADER_CHARS = 150;

/**
 * The preheader summarises the picks: "Picks: Claude Code over Aider · Cursor 3 over Windsurf Wave 14 ·
 * and 1 more". As many picks as fit the length inboxes show (always the first), then how many more.
 * `total` is how many the edition carries when `comparisons` are only its first ones.
 */
export function digestPreheader(
  comparisons: readonly DigestComparison[],
  total = comparisons.length,
): string {
  const phrases = comparisons.map((comparison) => {
    const { pick } = comparison;
    if (pick.kind === 'even') return `${oneLine(comparison.title)}: dead even`;
    const other = comparison.tools.find((tool) => tool.slug !== pick.slug);
    return other ? `${oneLine(pick.name)} over ${oneLine(other.name)}` : oneLine(pick.name);
  });
  const shown: string[] = [];
  for (const [index, phrase] of phrases.entries()) {
    const rest = total - index - 1;
    const candidate = [...shown, phrase, ...(rest > 0 ? [`and ${rest} more`] : [])].join(' · ');
    if (shown.length > 0 && `Picks: ${candidate}`.length > PREHEADER_CHARS) break;
    shown.push(phrase);
  }
  const more = total - shown.length;
  return `Picks: ${[...shown, ...(more > 0 ? [`and ${more} more`] : [])].join(' · ')}`;
}
