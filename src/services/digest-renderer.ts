// Render once, personalise cheaply. A digest variant is rendered by React once, with each recipient's links
// as placeholders; per recipient only those placeholders are replaced (./personalise.ts), a string operation
// that costs microseconds where a React render costs milliseconds.
import { randomBytes } from 'node:crypto';
import { createElement, Fragment } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { render } from 'react-email';
import WeeklyDigest from '../../emails/weekly-digest.js';
import type { Config } from '../config.js';
import { type DigestComparison, digestPreheader } from '../domain/digest.js';
import { digestText, issueLine } from '../domain/digest-text.js';
import { htmlWithCharacterReferences, plainTypography } from '../domain/one-byte-text.js';
import type { ReadersVsPanel, ReadersVsPanelView } from '../domain/readers-vs-panel.js';
import { type DigestLayout, fitToBudget, HTML_BUDGET_BYTES } from '../domain/size-budget.js';
import { COPY_VOTE_PATH, type VoteLinker, voteUrl } from '../domain/vote-link.js';
import { editionPage } from '../web/public/edition-page.js';
import type { ContentRenderer, RenderedContent } from './freeze-edition.js';

export interface DigestInput {
  readonly weekKey: string;
  readonly weekLabel: string;
  readonly subject: string;
  readonly comparisons: readonly DigestComparison[];
  readonly followedCategories: readonly string[];
  /** The editor's note, already rendered from its Markdown (domain/editor-note.ts); absent or empty: none. */
  readonly note?: { readonly html: string; readonly text: string } | undefined;
  /**
   * A copy for an editor, not a reader (review copies, test-send, preview --as): no unsubscribe or
   * preferences links and no placeholders for them; the footer says readers' copies carry them.
   */
  readonly reviewCopy?: boolean | undefined;
  /** False for a week whose web version does not exist yet (not sent): no link to it. Default true. */
  readonly webVersion?: boolean | undefined;
  /** Last edition's reader tallies beside the panel's verdicts (services/votes.ts); absent: no such block. */
  readonly readersVsPanel?: ReadersVsPanel | undefined;
}

/**
 * With `secret` (DIGEST_SECRET), a reader's copy carries vote links signed with it; without, it has none
 * (a caller that renders only for display).
 */
type RendererConfig = Pick<Config, 'publicUrl' | 'postalAddress'> & { readonly secret?: string | undefined };

const webVersionUrl = (config: RendererConfig, weekKey: string) => `${config.publicUrl}/editions/${weekKey}`;

/** The block with the web version of the edition it looks back on, where its comparisons' cards are. */
const readersVsPanelView = (config: RendererConfig, input: DigestInput): ReadersVsPanelView | undefined =>
  input.readersVsPanel && {
    block: input.readersVsPanel,
    editionUrl: webVersionUrl(config, input.readersVsPanel.week),
  };

/**
 * Renders one digest variant within the size budget. Per-recipient links are placeholders containing a
 * random nonce, so no imported text (say, a review quoting `{{{RESEND_UNSUBSCRIBE_URL}}}`) can contain one.
 * A review copy has neither links nor placeholders.
 */
export async function renderDigestContent(
  config: RendererConfig,
  input: DigestInput,
): Promise<RenderedContent> {
  const nonce = randomBytes(12).toString('hex');
  const unsubscribe = `https://personal.invalid/${nonce}/unsubscribe`;
  const preferences = `https://personal.invalid/${nonce}/preferences`;
  // The footer's "why you get this" differs between readers who subscribed and those the team added.
  const reason = `personal-${nonce}-reason`;
  const links = input.reviewCopy
    ? ({ reviewCopy: true } as const)
    : { unsubscribeUrl: unsubscribe, preferencesUrl: preferences, reason };
  // Vote links are signed here, once per variant: each reader's copy only gets their token in place of
  // this placeholder. A copy for an editor points them at a page that records nothing.
  // As long as a real token (22 characters), so the size budget measures the links as readers get them.
  const token = randomBytes(16).toString('base64url');
  const { secret } = config;
  const voteLink: VoteLinker | undefined = input.reviewCopy
    ? () => `${config.publicUrl}${COPY_VOTE_PATH}`
    : secret === undefined
      ? undefined
      : (comparison, tool, choice) =>
          voteUrl(config.publicUrl, token, secret, { week: input.weekKey, comparison, tool, choice });
  const shared = {
    weekLabel: input.weekLabel,
    webVersionUrl: webVersionUrl(config, input.weekKey),
    webVersion: input.webVersion,
    comparisons: input.comparisons,
    publicUrl: config.publicUrl,
    postalAddress: config.postalAddress,
    followedCategories: input.followedCategories,
    voteLink,
    readersVsPanel: readersVsPanelView(config, input),
    ...links,
  };
  const props = {
    ...shared,
    subject: input.subject,
    previewText: digestPreheader(input.comparisons),
    weekKey: input.weekKey,
    noteHtml: input.note?.html,
  };
  // In characters below U+0100 (../domain/one-byte-text.ts): half the memory per copy on the wire.
  const renderLayout = async (layout: DigestLayout) =>
    htmlWithCharacterReferences(
      await render(
        createElement(WeeklyDigest, { ...props, fullCount: layout.full, compactCount: layout.compact }),
      ),
    );
  // Only renders that fit are kept (the chosen layout is one of them): the others can be megabytes.
  const fitting = new Map<string, string>();
  const layout = await fitToBudget(input.comparisons.length, HTML_BUDGET_BYTES, async (candidate) => {
    const html = await renderLayout(candidate);
    const bytes = Buffer.byteLength(html);
    if (bytes <= HTML_BUDGET_BYTES) fitting.set(`${candidate.full}/${candidate.compact}`, html);
    return bytes;
  });
  const html = fitting.get(`${layout.full}/${layout.compact}`) ?? (await renderLayout(layout));
  const text = plainTypography(digestText({ ...shared, layout, noteText: input.note?.text }));
  const placeholders: Record<string, string> = input.reviewCopy
    ? {}
    : { unsubscribe, preferences, reason, ...(voteLink ? { token } : {}) };
  return { subject: input.subject, html, text, placeholders };
}

export function createDigestRenderer(config: RendererConfig): ContentRenderer {
  return { render: (input) => renderDigestContent(config, input) };
}

/** What of a huge edition its web version shows: the first comparisons, and how many there are in all. */
export interface WebVersionExcerpt {
  /** How many of the input's comparisons (the first ones) get a full card; the others get a line. */
  readonly cards: number;
  /** How many comparisons the edition carries: those past the input's are only counted. */
  readonly total: number;
  /** Where the counted ones are read: the comparison site. */
  readonly siteUrl: string;
}

/**
 * The web version of an edition (`GET /editions/:week`): a page of the site with its comparisons in full
 * (or, for a huge week, the `excerpt` of them), a sign-up form, no personal links. A pure function of the
 * configuration and the edition, so it can be rendered once and stored when the edition is sent.
 */
export async function renderWebVersion(
  config: RendererConfig,
  input: DigestInput,
  excerpt?: WebVersionExcerpt,
): Promise<string> {
  return editionPage({
    canonicalUrl: webVersionUrl(config, input.weekKey),
    subject: input.subject,
    description: digestPreheader(input.comparisons, excerpt?.total),
    weekLabel: input.weekLabel,
    comparisons: input.comparisons,
    cards: excerpt?.cards,
    total: excerpt?.total,
    siteUrl: excerpt?.siteUrl,
    noteHtml: input.note?.html,
    readersVsPanel: readersVsPanelView(config, input),
  });
}

/**
 * An edition's contents for its feed item (the RSS description, HTML): its dates, then the "In this issue"
 * lines, each linking to its card in the web version.
 */
export function editionSummaryHtml(
  config: RendererConfig,
  edition: Pick<DigestInput, 'weekKey' | 'weekLabel' | 'comparisons'> & {
    /** How many the edition carries when `comparisons` are only its first ones. */
    readonly total?: number;
  },
): string {
  const base = webVersionUrl(config, edition.weekKey);
  const count = edition.total ?? edition.comparisons.length;
  const unlisted = count - edition.comparisons.length;
  return renderToStaticMarkup(
    createElement(
      Fragment,
      null,
      createElement(
        'p',
        null,
        `${edition.weekLabel}: ${count} ${count === 1 ? 'comparison' : 'comparisons'}, each scored by our panel.`,
      ),
      createElement(
        'ul',
        null,
        edition.comparisons.map((comparison) =>
          createElement(
            'li',
            { key: comparison.slug },
            createElement('a', { href: `${base}#${comparison.slug}` }, comparison.title),
            `: ${issueLine(comparison)}`,
          ),
        ),
      ),
      unlisted > 0
        ? createElement(
            'p',
            null,
            createElement('a', { href: base }, `And ${unlisted} more in the web version.`),
          )
        : null,
    ),
  );
}
