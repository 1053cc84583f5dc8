// The emails about a reader's or an editor's own account: the confirmation of a sign-up, the welcome, and
// the editor console's sign-in link. Each is rendered whole for one person (the digest, rendered once per
// variant and personalised, is ./digest-renderer.ts).
import { createElement } from 'react';
import { render } from 'react-email';
import ConfirmSubscription from '../../emails/confirm-subscription.js';
import EditorSignIn from '../../emails/editor-sign-in.js';
import Welcome from '../../emails/welcome.js';
import type { Config } from '../config.js';
import type { RecipientLinks } from '../domain/digest-message.js';

type RendererConfig = Pick<Config, 'publicUrl' | 'postalAddress'>;

export interface RenderedEmail {
  readonly subject: string;
  readonly html: string;
  readonly text: string;
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

/** The editor console's sign-in email: one single-use link, valid `validMinutes` (docs/editorial.md). */
export function renderSignInEmail(
  config: RendererConfig,
  signInUrl: string,
  validMinutes: number,
): Promise<RenderedEmail> {
  const subject = 'Sign in to the Weekly AI Tool Verdicts editor console';
  return renderEmail(
    createElement(EditorSignIn, { subject, signInUrl, publicUrl: config.publicUrl, validMinutes }),
    subject,
  );
}
