// The plain-text part of the digest, built from the same view model as the HTML (not converted from it),
// so score tables line up in columns and every fact is there in words.
import type { DigestComparison, DigestTool } from './digest.js';
import type { DigestLayout } from './size-budget.js';

export interface DigestTextInput {
  readonly weekLabel: string;
  /** Absent while the edition's web version does not exist yet. */
  readonly webVersionUrl?: string | undefined;
  /** The editor's note as plain text, under the masthead. */
  readonly note?: string | undefined;
  /** A review or test copy: no personal links in the footer. */
  readonly reviewCopy?: boolean | undefined;
  readonly comparisons: readonly DigestComparison[];
  readonly layout: DigestLayout;
  readonly publicUrl: string;
  readonly unsubscribeUrl: string;
  readonly preferencesUrl: string;
  readonly postalAddress: string;
  readonly followedCategories: readonly string[];
}

const RULE = '='.repeat(60);

function pickText(comparison: DigestComparison): string {
  return comparison.pick.kind === 'tool'
    ? `Panel's pick: ${comparison.pick.name}`
    : "Panel's pick: dead even";
}

function toolLines(tool: DigestTool): string[] {
  const { summary } = tool;
  const lines = [
    `${tool.name}: ${summary.verdict} (panel ${summary.shipVotes} ship / ${summary.skipVotes} skip, ${summary.shipShare}% ship), average ${summary.averageScore.toFixed(1)}/100`,
  ];
  if (tool.entryPrice) lines.push(`  Entry price: ${tool.entryPrice}`);
  if (tool.pricing) lines.push(`  Pricing: ${tool.pricing}`);
  if (tool.bestFor) lines.push(`  Best for: ${tool.bestFor}`);
  lines.push(
    `  Community: ${tool.communityVotes ? `${tool.communityVotes.ship} ship / ${tool.communityVotes.skip} skip` : 'No community votes yet'}`,
  );
  return lines;
}

/** The persona x tool scorecard as fixed-width columns. */
function scorecardText(comparison: DigestComparison): string[] {
  const [left, right] = comparison.tools;
  const cell = (tool: DigestTool, persona: string) => {
    const score = tool.scores[persona];
    return score ? `${score.score}/100 ${score.verdict}` : 'no review';
  };
  const rows = [
    ['Persona', left.name, right.name],
    ...comparison.personas.map((persona) => [
      persona.label,
      cell(left, persona.slug),
      cell(right, persona.slug),
    ]),
  ];
  const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => (row[column] ?? '').length)) + 2);
  return rows.map((row) =>
    row
      .map((value, column) => (column === row.length - 1 ? value : value.padEnd(widths[column] ?? 0)))
      .join('')
      .trimEnd(),
  );
}

function fullText(comparison: DigestComparison): string[] {
  return [
    RULE,
    comparison.title,
    ...(comparison.headline ? [comparison.headline] : []),
    '',
    ...toolLines(comparison.tools[0]),
    ...toolLines(comparison.tools[1]),
    '',
    ...scorecardText(comparison),
    '',
    pickText(comparison),
    `Read the full comparison: ${comparison.url}`,
    '',
  ];
}

function compactText(comparison: DigestComparison): string {
  const [left, right] = comparison.tools;
  const tool = (t: DigestTool) => `${t.name} ${t.summary.verdict} ${t.summary.averageScore.toFixed(1)}/100`;
  return `- ${comparison.title}: ${tool(left)}; ${tool(right)}. ${pickText(comparison)}. ${comparison.url}`;
}

export function digestText(input: DigestTextInput): string {
  const { comparisons, layout } = input;
  const full = comparisons.slice(0, layout.full);
  const compact = comparisons.slice(layout.full, layout.full + layout.compact);
  const omitted = comparisons.length - full.length - compact.length;
  const noun = comparisons.length === 1 ? 'comparison' : 'comparisons';
  const lines = [
    'WEEKLY AI TOOL VERDICTS',
    `${input.weekLabel}: ${comparisons.length} new ${noun}, each reviewed by our panel.`,
    ...(input.webVersionUrl ? [`View in browser: ${input.webVersionUrl}`] : []),
    '',
    ...(input.note ? [input.note, ''] : []),
    ...full.flatMap(fullText),
  ];
  if (compact.length > 0) lines.push(RULE, 'More comparisons this week', '', ...compact.map(compactText), '');
  if (omitted > 0)
    lines.push(
      `${omitted} more ${omitted === 1 ? 'comparison' : 'comparisons'} in the web version${input.webVersionUrl ? `: ${input.webVersionUrl}` : ', once it is sent'}`,
      '',
    );
  const following = input.followedCategories.length
    ? ` You follow: ${input.followedCategories.join(', ')}.`
    : '';
  if (input.reviewCopy) {
    lines.push(
      '-- ',
      `This is a review copy.${following} Readers' copies carry their own unsubscribe and preferences links here.`,
      input.postalAddress,
    );
    return `${lines.join('\n')}\n`;
  }
  lines.push(
    '-- ',
    `You get this email because you subscribed to Weekly AI Tool Verdicts at ${input.publicUrl} and confirmed your address.${following}`,
    `Unsubscribe: ${input.unsubscribeUrl}`,
    `Choose your categories: ${input.preferencesUrl}`,
    input.postalAddress,
  );
  return `${lines.join('\n')}\n`;
}
