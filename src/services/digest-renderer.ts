// Render once, personalise cheaply. A digest variant is rendered by React once, with each recipient's links
// as placeholders; per recipient only those placeholders are replaced (./personalise.ts), a string operation
// that costs microseconds where a React render costs milliseconds.
import { randomBytes } from 'node:crypto';
import { createElement } from 'react';
import { render } from 'react-email';
import ConfirmSubscription from '../../emails/confirm-subscription.js';
import WeeklyDigest from '../../emails/weekly-digest.js';
import Welcome from '../../emails/welcome.js';
import type { Config } from '../config.js';
import type { DigestComparison } from '../domain/digest.js';
import type { RecipientLinks } from '../domain/digest-message.js';
import { digestText } from '../domain/digest-text.js';
import { type DigestLayout, fitToBudget, HTML_BUDGET_BYTES } from '../domain/size-budget.js';
import { personalise } from './personalise.js';
import type { ContentRenderer, RenderedContent } from './plan-edition.js';

export interface DigestInput {
  readonly weekKey: string;
  readonly weekLabel: string;
  readonly subject: string;
  readonly comparisons: readonly DigestComparison[];
  readonly followedCategories: readonly string[];
}

type RendererConfig = Pick<Config, 'publicUrl' | 'postalAddress'>;

export interface RenderedEmail {
  readonly subject: string;
  readonly html: string;
  readonly text: string;
}

function previewText(comparisons: readonly DigestComparison[]): string {
  const titles = comparisons.slice(0, 2).map((comparison) => comparison.title);
  const more = comparisons.length - titles.length;
  return `${titles.join(', ')}${more > 0 ? ` and ${more} more` : ''}: the panel's verdicts.`;
}

/**
 * Renders one digest variant within the size budget. Per-recipient links are placeholders containing a
 * random nonce, so no imported text (say, a review quoting `{{{RESEND_UNSUBSCRIBE_URL}}}`) can contain one.
 */
export async function renderDigestContent(
  config: RendererConfig,
  input: DigestInput,
): Promise<RenderedContent> {
  const nonce = randomBytes(12).toString('hex');
  const placeholders = {
    unsubscribe: `https://personal.invalid/${nonce}/unsubscribe`,
    preferences: `https://personal.invalid/${nonce}/preferences`,
  };
  const webVersionUrl = `${config.publicUrl}/editions/${input.weekKey}`;
  const props = {
    subject: input.subject,
    previewText: previewText(input.comparisons),
    weekKey: input.weekKey,
    weekLabel: input.weekLabel,
    publicUrl: config.publicUrl,
    webVersionUrl,
    comparisons: input.comparisons,
    unsubscribeUrl: placeholders.unsubscribe,
    preferencesUrl: placeholders.preferences,
    postalAddress: config.postalAddress,
    followedCategories: input.followedCategories,
  };
  const renderLayout = (layout: DigestLayout) =>
    render(createElement(WeeklyDigest, { ...props, fullCount: layout.full, compactCount: layout.compact }));
  const sizes = new Map<string, string>();
  const layout = await fitToBudget(input.comparisons.length, HTML_BUDGET_BYTES, async (candidate) => {
    const html = await renderLayout(candidate);
    sizes.set(`${candidate.full}/${candidate.compact}`, html);
    return Buffer.byteLength(html);
  });
  const html = sizes.get(`${layout.full}/${layout.compact}`) ?? (await renderLayout(layout));
  const text = digestText({
    ...props,
    layout,
    unsubscribeUrl: placeholders.unsubscribe,
    preferencesUrl: placeholders.preferences,
  });
  return { subject: input.subject, html, text, placeholders };
}

export function createDigestRenderer(config: RendererConfig): ContentRenderer {
  return { render: (input) => renderDigestContent(config, input) };
}

/** The archive's web version of an edition: the digest with no personal links, pointing to the sign-up page. */
export async function renderWebVersion(config: RendererConfig, input: DigestInput): Promise<string> {
  const content = await renderDigestContent(config, input);
  const home = `${config.publicUrl}/`;
  return personalise(content, { unsubscribeUrl: home, preferencesUrl: home }).html;
}

async function renderEmail(
  element: ReturnType<typeof createElement>,
  subject: string,
): Promise<RenderedEmail> {
  return { subject, html: await render(element), text: await render(element, { plainText: true }) };
}

export const CONFIRMATION_VALID_HOURS = 72;

export function renderConfirmEmail(config: RendererConfig, confirmUrl: string): Promise<RenderedEmail> {
  const subject = 'Confirm your subscription to Weekly AI Tool Verdicts';
  return renderEmail(
    createElement(ConfirmSubscription, {
      subject,
      confirmUrl,
      publicUrl: config.publicUrl,
      postalAddress: config.postalAddress,
      validHours: CONFIRMATION_VALID_HOURS,
    }),
    subject,
  );
}

export function renderWelcomeEmail(
  config: RendererConfig,
  links: RecipientLinks,
  followedCategories: readonly string[],
): Promise<RenderedEmail> {
  const subject = 'Welcome to Weekly AI Tool Verdicts';
  return renderEmail(
    createElement(Welcome, {
      subject,
      publicUrl: config.publicUrl,
      ...links,
      postalAddress: config.postalAddress,
      followedCategories,
    }),
    subject,
  );
}
