// Signing up with double opt-in: the home page's form, "check your inbox", the confirmation link's page
// (whose form confirms) and what it answers.

import { CONFIRM_FORM_ID, CONFIRM_SCRIPT } from '../confirm-script.js';
import { page } from '../pages.js';
import { type EditionLink, EditionList } from './archive-page.js';
import { CategoryChoices } from './category-choices.js';

const HOME_DESCRIPTION =
  'One email a week: new comparisons of AI tools, two side by side, scored out of 100 by a panel that votes ship or skip. Subscribe free, or read past editions.';

export function signupPage(input: {
  categories: readonly string[];
  editions: readonly EditionLink[];
  error?: string;
  email?: string;
  /** The home page's absolute address, for search engines. */
  canonicalUrl?: string;
}) {
  return page(
    'Subscribe',
    <>
      <h1>Weekly AI Tool Verdicts</h1>
      <p>
        One email a week: new comparisons of AI tools, two side by side, scored out of 100 by our panel, each
        voting ship or skip.
      </p>
      {input.error && (
        <p className="error" role="alert">
          {input.error}
        </p>
      )}
      <form method="post" action="/subscribe">
        <label htmlFor="email">Email address</label>
        <input
          id="email"
          type="email"
          name="email"
          required
          autoComplete="email"
          defaultValue={input.email}
        />
        <CategoryChoices categories={input.categories} selected={[]} />
        <input type="hidden" name="form" value="signup" />
        <button type="submit">Subscribe</button>
      </form>
      <p className="muted">We send a confirmation link first; nothing else arrives until you click it.</p>
      <h2>Past editions</h2>
      <EditionList editions={input.editions} />
    </>,
    { description: HOME_DESCRIPTION, canonicalUrl: input.canonicalUrl },
  );
}

export function checkInboxPage() {
  return page(
    'Check your inbox',
    <>
      <h1>Check your inbox</h1>
      <p>
        If that address can subscribe, a confirmation link is on its way. Click it within 72 hours to start
        receiving Weekly AI Tool Verdicts.
      </p>
    </>,
  );
}

export function confirmedPage(preferencesUrl: string) {
  return page(
    'Subscription confirmed',
    <>
      <h1>You're subscribed</h1>
      <p className="notice">Your address is confirmed. The next digest goes out after the end of the week.</p>
      <p>
        <a href={preferencesUrl}>Choose the categories you follow</a>
      </p>
    </>,
  );
}

/**
 * What a confirmation link opens: a form whose POST confirms (the token in the body, so it stays out of
 * access logs), submitted by the page's own script as soon as a browser shows it. Fetching the page
 * changes nothing, so a mail scanner's visit gives no consent; without JavaScript the button is there.
 */
export function confirmPage(token: string) {
  return page(
    'Confirm your subscription',
    <>
      <h1>Confirm your subscription</h1>
      <p>One step left: confirm that you want Weekly AI Tool Verdicts at this address.</p>
      <form id={CONFIRM_FORM_ID} method="post" action="/confirm">
        <input type="hidden" name="token" value={token} />
        <button type="submit">Confirm my subscription</button>
      </form>
      {/* biome-ignore lint/security/noDangerouslySetInnerHtml: a constant whose hash the CSP allows. */}
      <script dangerouslySetInnerHTML={{ __html: CONFIRM_SCRIPT }} />
    </>,
  );
}

/** An expired confirmation link: it says so, and the sign-up form is one click away. */
export function confirmationExpiredPage() {
  return page(
    'Link expired',
    <>
      <h1>This link has expired</h1>
      <p className="error" role="alert">
        Confirmation links work for 72 hours, and this one is older. Sign up again and we will send you a new
        one.
      </p>
      <p>
        <a href="/">Sign up again</a>
      </p>
    </>,
  );
}
