// The comparison as the rest of the system sees it, and the values derived from the panel's reviews
// (each tool's verdict by majority, ship share and average score; the panel's pick). Pure: no I/O, no clock.

export type ReviewVerdict = 'ship' | 'skip';
export type ToolVerdict = 'SHIP' | 'SKIP' | 'SPLIT';

export interface Review {
  readonly persona: string;
  readonly score: number;
  readonly verdict: ReviewVerdict;
  readonly text?: string | undefined;
}

export interface CommunityVotes {
  readonly ship: number;
  readonly skip: number;
}

export interface Tool {
  readonly slug: string;
  readonly name: string;
  readonly category: string;
  readonly tagline?: string | undefined;
  readonly description?: string | undefined;
  readonly pricing?: string | undefined;
  readonly entryPrice?: string | undefined;
  readonly bestFor?: string | undefined;
  readonly url?: string | undefined;
  readonly communityVotes?: CommunityVotes | undefined;
  readonly reviews: readonly Review[];
}

export interface Comparison {
  readonly slug: string;
  readonly title: string;
  /** The full comparison page: the document's url, or DIGEST_SITE_URL + /compare/ + slug. */
  readonly url: string;
  readonly publishedAt: Date;
  readonly headline?: string | undefined;
  readonly tools: readonly [Tool, Tool];
}

export interface ToolSummary {
  readonly shipVotes: number;
  readonly skipVotes: number;
  readonly panelSize: number;
  readonly verdict: ToolVerdict;
  /** Percentage of the panel voting ship, rounded to a whole number. */
  readonly shipShare: number;
  /** Mean score, rounded to one decimal. */
  readonly averageScore: number;
}

export type PanelPick =
  | { readonly kind: 'tool'; readonly slug: string; readonly name: string }
  | { readonly kind: 'even' };

const PANEL_ORDER = ['builder', 'skeptic', 'founder', 'futurist'];

export function summarizeTool(tool: Pick<Tool, 'reviews'>): ToolSummary {
  const panelSize = tool.reviews.length;
  const shipVotes = tool.reviews.filter((review) => review.verdict === 'ship').length;
  const skipVotes = panelSize - shipVotes;
  const verdict: ToolVerdict = shipVotes > skipVotes ? 'SHIP' : skipVotes > shipVotes ? 'SKIP' : 'SPLIT';
  const total = tool.reviews.reduce((sum, review) => sum + review.score, 0);
  return {
    shipVotes,
    skipVotes,
    panelSize,
    verdict,
    shipShare: panelSize === 0 ? 0 : Math.round((shipVotes / panelSize) * 100),
    averageScore: panelSize === 0 ? 0 : roundToTenth(total / panelSize),
  };
}

function roundToTenth(value: number): number {
  // Scores are integers, so value * 10 is exact enough for Math.round; EPSILON guards x.x5 cases like 80.25.
  return Math.round((value + Number.EPSILON) * 10) / 10;
}

/** The tool with the higher (rounded) average; equal averages are "dead even". */
export function panelPick(tools: readonly [Tool, Tool]): PanelPick {
  const [left, right] = tools;
  const leftAverage = summarizeTool(left).averageScore;
  const rightAverage = summarizeTool(right).averageScore;
  if (leftAverage === rightAverage) return { kind: 'even' };
  const winner = leftAverage > rightAverage ? left : right;
  return { kind: 'tool', slug: winner.slug, name: winner.name };
}

/** builder, skeptic, founder, futurist first, then any other persona alphabetically. */
export function comparePersonas(a: string, b: string): number {
  const rankA = PANEL_ORDER.indexOf(a);
  const rankB = PANEL_ORDER.indexOf(b);
  if (rankA !== -1 || rankB !== -1) {
    if (rankA === -1) return 1;
    if (rankB === -1) return -1;
    return rankA - rankB;
  }
  return a.localeCompare(b, 'en');
}

/** Every persona that reviewed either tool, in display order: the rows of the scorecard. */
export function panelPersonas(tools: readonly Tool[]): string[] {
  const personas = new Set(tools.flatMap((tool) => tool.reviews.map((review) => review.persona)));
  return [...personas].sort(comparePersonas);
}

/** `futurist` -> `Futurist`, `power-user` -> `Power User`. */
export function personaLabel(persona: string): string {
  return persona
    .split('-')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');
}

/** The categories a comparison belongs to: either tool's. */
export function comparisonCategories(comparison: Pick<Comparison, 'tools'>): string[] {
  return [...new Set(comparison.tools.map((tool) => tool.category))];
}

/** Where a comparison lives when its document names no url (schema: DIGEST_SITE_URL + /compare/ + slug). */
export function defaultComparisonUrl(siteUrl: string, slug: string): string {
  return `${siteUrl}/compare/${slug}`;
}
