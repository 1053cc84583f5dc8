// The editor console's doors (docs/editorial.md): asking for a sign-in link, the link's page with its
// button, and the refusals; the console is off when no editor is configured.
import { signedOutPage, TokenField } from './shell.js';

export function consoleOffPage(): string {
  return signedOutPage(
    'Editor console',
    <>
      <h1>Editor console</h1>
      <p className="error" role="alert">
        The editor console is off: no editor addresses are configured.
      </p>
      <p>An operator turns it on by listing editors' addresses in DIGEST_EDITORS (comma-separated).</p>
    </>,
  );
}

export function signInRequestPage(input: {
  readonly formToken: string;
  readonly next: string;
  readonly email?: string | undefined;
  readonly error?: string | undefined;
  readonly signedOut?: boolean;
}): string {
  return signedOutPage(
    'Sign in',
    <>
      <h1>Editor console</h1>
      {input.signedOut && (
        <p className="notice" role="status">
          You are signed out.
        </p>
      )}
      <p>Sign in with your editor address: we email you a link that works once, for 15 minutes.</p>
      {input.error && (
        <p className="error" role="alert">
          {input.error}
        </p>
      )}
      <form method="post" action="/admin/login">
        <label htmlFor="email">Editor address</label>
        <input
          id="email"
          type="email"
          name="email"
          required
          autoComplete="email"
          defaultValue={input.email}
        />
        <input type="hidden" name="next" value={input.next} />
        <TokenField token={input.formToken} />
        <p>
          <button type="submit">Email me a sign-in link</button>
        </p>
      </form>
    </>,
  );
}

export function signInSentPage(): string {
  return signedOutPage(
    'Check your inbox',
    <>
      <h1>Check your inbox</h1>
      <p>
        If that address belongs to an editor, a sign-in link is on its way. It works once, for 15 minutes.
      </p>
      <p>
        <a href="/admin/login">Ask for another link</a>
      </p>
    </>,
  );
}

export function signInLinkPage(input: { readonly token: string; readonly formToken: string }): string {
  return signedOutPage(
    'Sign in',
    <>
      <h1>Sign in to the editor console</h1>
      <p>This link works once. Signing in here opens the console in this browser.</p>
      <form method="post" action="/admin/sign-in">
        <input type="hidden" name="token" value={input.token} />
        <TokenField token={input.formToken} />
        <button type="submit">Sign in</button>
      </form>
    </>,
  );
}

const LINK_PROBLEMS = {
  unknown: 'This sign-in link is not valid.',
  used: 'This sign-in link has already been used; each works once.',
  expired: 'This sign-in link has expired; links work for 15 minutes.',
  'not an editor': 'This address is no longer one of the editors.',
} as const;

export function signInLinkProblemPage(problem: keyof typeof LINK_PROBLEMS): string {
  return signedOutPage(
    'Link not valid',
    <>
      <h1>Link not valid</h1>
      <p className="error" role="alert">
        {LINK_PROBLEMS[problem]}
      </p>
      <p>
        <a href="/admin/login">Ask for a new sign-in link</a>
      </p>
    </>,
  );
}

export function refusedPage(title: string, message: string, signIn = false): string {
  return signedOutPage(
    title,
    <>
      <h1>{title}</h1>
      <p className="error" role="alert">
        {message}
      </p>
      {signIn && (
        <p>
          <a href="/admin/login">Sign in</a>
        </p>
      )}
    </>,
  );
}
