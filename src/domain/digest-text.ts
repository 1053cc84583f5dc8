// The plain-text part of the digest, built from the same view model as the HTML (not converted from it),
// in the same order: masthead, editor's note, "In this issue", verdict-first comparisons, footer. Score
// tables line up in columns and every fact is there in words.

import type { VoteChoice } from '../../db/schema.js';
import { personaLabel } from './comparison.js';
import { reasonSentence } from './consent-reason.js';
import { type DigestComparison, type DigestTool, NEWSLETTER_NAME, pickText } from './digest.js';
import { count } from './plural.js';
import { type ReadersVsPanelView, readersVsPanelText } from './readers-vs-panel.js';
import type { DigestLayout } from './size-budget.js';
import type { VoteLinker } from './vote-link.js';

interface DigestTextBase {
  readonly weekLabel: string;
  readonly webVersionUrl: string;
  /** False before the edition is sent: no web version to point to. */
  readonly webVersion?: boolean | undefined;
  readonly comparisons: readonly DigestComparison[];
  readonly layout: DigestLayout;
  readonly noteText?: string | undefined;
  readonly publicUrl: string;
  readonly postalAddress: string;
  readonly followedCategories: readonly string[];
  /** Each tool's "Your verdict" links; absent: none. */
  readonly voteLink?: VoteLinker | undefined;
  /** Last edition's reader tallies beside the panel's verdicts, after "In this issue"; absent: none. */
  readonly readersVsPanel?: ReadersVsPanelView | undefined;
}

export type DigestTextInput = DigestTextBase &
  (
    | {
        readonly reviewCopy?: false | undefined;
        readonly unsubscribeUrl: string;
        readonly preferencesUrl: string;
        /** Why this reader gets it (or a placeholder for it): by default, they subscribed and confirmed. */
        readonly reason?: string | undefined;
      }
    | { readonly reviewCopy: true }
  );

const RULE = '='.repeat(60);

/** "Claude Code SHIP · Aider SPLIT · Panel's pick: Claude Code": an "In this issue" line after the title. */
export function issueLine(comparison: DigestComparison): string {
  const [left, right] = comparison.tools;
  return `${left.name} ${left.summary.verdict} · ${right.name} ${right.summary.verdict} · ${pickText(comparison)}`;
}

function verdictLines(tool: DigestTool): string[] {
  const { summary, quote } = tool;
  const lines = [
    `${tool.name}: ${summary.verdict} (panel ${summary.shipVotes} ship / ${summary.skipVotes} skip, ${summary.shipShare}% ship), average ${summary.averageScore.toFixed(1)}/100`,
  ];
  if (tool.tagline) lines.push(`  ${tool.tagline}`);
  if (quote) {
    lines.push(
      `  "${quote.text}"`,
      `    — ${personaLabel(quote.persona)} (${quote.verdict}, ${quote.score}/100)${quote.dissent ? ', dissenting' : ''}`,
    );
  }
  return lines;
}

function factLines(tool: DigestTool, vote: ((choice: VoteChoice) => string) | undefined): string[] {
  const lines = [tool.name];
  if (tool.entryPrice) lines.push(`  Entry price: ${tool.entryPrice}`);
  if (tool.pricing) lines.push(`  Pricing: ${tool.pricing}`);
  if (tool.bestFor) lines.push(`  Best for: ${tool.bestFor}`);
  lines.push(
    `  Community: ${tool.communityVotes ? `${tool.communityVotes.ship} ship / ${tool.communityVotes.skip} skip` : 'No community votes yet'}`,
  );
  if (vote) lines.push('  Your verdict:', `    Ship: ${vote('ship')}`, `    Skip: ${vote('skip')}`);
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

function cardText(comparison: DigestComparison, voteLink: VoteLinker | undefined): string[] {
  const [left, right] = comparison.tools;
  return [
    RULE,
    comparison.title,
    ...(comparison.headline ? [comparison.headline] : []),
    '',
    pickText(comparison),
    '',
    ...verdictLines(left),
    ...verdictLines(right),
    '',
    ...scorecardText(comparison),
    '',
    ...factLines(left, voteLink && ((choice) => voteLink(comparison.slug, 0, choice))),
    ...factLines(right, voteLink && ((choice) => voteLink(comparison.slug, 1, choice))),
    '',
    `Read the full comparison: ${comparison.url}`,
    '',
  ];
}

export function digestText(input: DigestTextInput): string {
  const { comparisons, layout } = input;
  const webVersionUrl = input.webVersion === false ? undefined : input.webVersionUrl;
  const listed = comparisons.slice(0, layout.full + layout.compact);
  const unlisted = comparisons.length - listed.length;
  const notCarded = comparisons.length - layout.full;
  const lines = [
    NEWSLETTER_NAME.toUpperCase(),
    `${input.weekLabel} · ${count(comparisons.length, 'new comparison')}, each scored by our panel`,
    ...(webVersionUrl ? [`View in browser: ${webVersionUrl}`] : []),
    '',
  ];
  if (input.noteText?.trim()) lines.push(input.noteText.trim(), '');
  lines.push('IN THIS ISSUE', '');
  for (const [index, comparison] of listed.entries()) {
    if (index === layout.full && index > 0)
      lines.push(
        webVersionUrl ? 'More this week, in full in the web version:' : 'More this week, on the site:',
      );
    lines.push(`- ${comparison.title}`, `  ${issueLine(comparison)}`);
    // A comparison without a card below is read elsewhere: say where.
    if (index >= layout.full)
      lines.push(`  ${webVersionUrl ? `${webVersionUrl}#${comparison.slug}` : comparison.url}`);
  }
  if (unlisted > 0) {
    const more = `And ${count(unlisted, 'more verdict')}`;
    lines.push(
      webVersionUrl
        ? `${more} in the web version: ${webVersionUrl}`
        : `${more}, in the web version once the edition is sent.`,
    );
  }
  lines.push('');
  if (input.readersVsPanel) lines.push(...readersVsPanelText(input.readersVsPanel));
  lines.push(...listed.slice(0, layout.full).flatMap((comparison) => cardText(comparison, input.voteLink)));
  if (notCarded > 0 && webVersionUrl)
    lines.push(
      `Read the other ${count(notCarded, 'verdict')} in full in the web version: ${webVersionUrl}`,
      '',
    );
  lines.push(`Forwarded to you? Subscribe to get the verdicts every week: ${input.publicUrl}/`, '', '-- ');
  const following = input.followedCategories.length
    ? ` You follow: ${input.followedCategories.join(', ')}.`
    : '';
  if (input.reviewCopy) {
    lines.push(
      `This is a review copy.${following} Readers' copies carry their own unsubscribe and preferences links here.`,
    );
  } else {
    lines.push(
      `${input.reason ?? reasonSentence('confirmed', input.publicUrl)}${following}`,
      `Unsubscribe: ${input.unsubscribeUrl}`,
      `Choose your categories: ${input.preferencesUrl}`,
    );
  }
  lines.push(input.postalAddress);
  return `${lines.join('\n')}\n`;
}
