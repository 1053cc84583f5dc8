// Realistic sample data shared by the templates' PreviewProps, the tests and the benchmarks: the five
// shared sample comparisons (one of them a real published one) and a generator for large editions.

import type { Comparison } from '../../src/domain/comparison.js';
import { type ComparisonDocument, comparisonFromDocument } from '../../src/domain/comparison-document.js';
import { type DigestComparison, toDigestComparison } from '../../src/domain/digest.js';
import ollama from '../../test/fixtures/comparisons/2026-w46-ollama-vs-lm-studio.json' with { type: 'json' };
import aider from '../../test/fixtures/comparisons/2026-w47-claude-code-vs-aider.json' with { type: 'json' };
import cursor from '../../test/fixtures/comparisons/2026-w47-cursor-vs-windsurf.json' with { type: 'json' };
import huggingFace from '../../test/fixtures/comparisons/2026-w47-hugging-face-vs-mistral-3-small.json' with {
  type: 'json',
};
import flux from '../../test/fixtures/comparisons/2026-w48-flux-vs-midjourney.json' with { type: 'json' };

export const SAMPLE_SITE_URL = 'https://example.com';

const fromDocument = (document: unknown): DigestComparison =>
  toDigestComparison(comparisonFromDocument(document as ComparisonDocument, SAMPLE_SITE_URL));

/** The three comparisons of 2026-W47, newest first, as the W47 edition carries them. */
export const w47Comparisons: readonly DigestComparison[] = [aider, cursor, huggingFace].map(fromDocument);
/** The real published comparison: Hugging Face Inference Providers Hub vs Mistral 3 Small (22B). */
export const realComparison: DigestComparison = fromDocument(huggingFace);
export const allSampleComparisons: readonly DigestComparison[] = [
  flux,
  aider,
  cursor,
  huggingFace,
  ollama,
].map(fromDocument);

const TOOL_NAMES = [
  ['Replit Agent', 'Bolt.new'],
  ['Perplexity Pro', 'ChatGPT Search'],
  ['Granola', 'Otter.ai'],
  ['ElevenLabs', 'PlayHT'],
  ['Runway Gen-4', 'Pika 2'],
  ['Cline', 'Continue'],
  ['LangSmith', 'Langfuse'],
  ['Modal', 'Replicate'],
  ['Notion AI', 'Coda AI'],
  ['Suno v5', 'Udio'],
];
const CATEGORIES = [
  'Coding Agents',
  'Developer Tools',
  'Search',
  'Productivity',
  'Audio',
  'Image Generation',
  'Video',
];
const PERSONAS = ['builder', 'skeptic', 'founder', 'futurist'];
// As long as real reviews run (several sentences), so the quote rule takes two sentences, near its limit:
// the size-budget tests measure quotes at their largest.
const REVIEW =
  'The first ten minutes are what sell it: install, point it at a real repository, and it does useful work. Where it breaks is the second week, when the team needs audit logs and predictable bills. Who pays is clear; what it means in a year is not.';

function syntheticTool(name: string, index: number, salt: number) {
  const score = (persona: number) => 40 + ((index * 37 + salt * 11 + persona * 23) % 58);
  return {
    slug: name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, ''),
    name,
    category: CATEGORIES[(index + salt) % CATEGORIES.length] ?? 'Developer Tools',
    tagline: `${name}: the short pitch its makers would give you`,
    pricing:
      'Free tier with limits; Pro $20/month per seat; Team and Enterprise plans with SSO and audit logs',
    entryPrice: salt % 2 === 0 ? 'Free' : '$20/mo',
    bestFor: 'Teams that want results this week without building the plumbing themselves',
    communityVotes: index % 3 === 0 ? undefined : { ship: 10 + index, skip: 3 + (index % 5) },
    reviews: PERSONAS.map((persona, position) => ({
      persona,
      score: score(position),
      verdict: score(position) >= 65 ? ('ship' as const) : ('skip' as const),
      text: REVIEW,
    })),
  };
}

/** `count` varied, realistic comparisons, newest first, for size-budget tests and benchmarks. */
export function manyComparisons(count: number): DigestComparison[] {
  return Array.from({ length: count }, (_, index) => {
    const [a = 'Tool A', b = 'Tool B'] = TOOL_NAMES[index % TOOL_NAMES.length] ?? [];
    const round = Math.floor(index / TOOL_NAMES.length);
    const left = syntheticTool(round ? `${a} ${round + 1}` : a, index, 1);
    const right = syntheticTool(round ? `${b} ${round + 1}` : b, index, 2);
    const comparison: Comparison = {
      slug: `${left.slug}-vs-${right.slug}`,
      title: `${left.name} vs ${right.name}`,
      url: `${SAMPLE_SITE_URL}/compare/${left.slug}-vs-${right.slug}`,
      publishedAt: new Date(Date.UTC(2026, 10, 22, 12) - index * 3_600_000),
      headline:
        'Which one should you ship with? Here is the side-by-side panel verdict, pricing read and reviewer split.',
      tools: [left, right],
    };
    return toDigestComparison(comparison);
  });
}
