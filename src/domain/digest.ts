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
  /** Absent when nobody has voted yet (SPEC: absent or 0/0 means "no community votes yet"). */
  readonly communityVotes?: CommunityVotes | undefined;
  readonly summary: ToolSummary;
  /** Persona slug -> that persona's score and vote; a persona may have reviewed only one tool. */
  readonly scores: Readonly<Record<string, ScoreCell>>;
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

/** "Weekly AI Tool Verdicts, 2026-W47: 3 new comparisons". The subject names the week and the count. */
export function digestSubject(weekKey: string, comparisonCount: number): string {
  const noun = comparisonCount === 1 ? 'comparison' : 'comparisons';
  return `${NEWSLETTER_NAME}, ${weekKey}: ${comparisonCount} new ${noun}`;
}
