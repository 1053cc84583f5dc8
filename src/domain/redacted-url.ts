// A PostgreSQL URL as it may be shown: error sentences, configuration problems and logs end up in terminals
// and support tickets, so a password never appears in them, whatever characters it holds. Operators paste
// passwords as they are, so `#`, `/`, `?`, `@` and `:` reach us unencoded, and WHATWG URL parsing then
// splits the URL in the wrong place (`#` starts a fragment, `/` a path): the authority is cut out by hand.

const SCHEME = /^postgres(?:ql)?:\/\//i;
const MASK = '***';

interface Secrets {
  /** The URL with every password replaced by the mask. */
  readonly redacted: string;
  /** Each password as written in the URL. */
  readonly passwords: readonly string[];
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Masks `password=` (and `sslpassword=`, however the name is encoded) in a query string. */
function redactQuery(query: string, passwords: string[]): string {
  return query
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      if (equals < 0 || !/password$/i.test(decoded(pair.slice(0, equals)))) return pair;
      passwords.push(pair.slice(equals + 1).split('#')[0] ?? '');
      return `${pair.slice(0, equals + 1)}${MASK}`;
    })
    .join('&');
}

function secretsOf(location: string): Secrets {
  const scheme = SCHEME.exec(location)?.[0];
  if (scheme === undefined) return { redacted: location, passwords: [] };
  const passwords: string[] = [];
  let rest = location.slice(scheme.length);
  // A host never holds `@`, so the user information ends at the last one, even when the password holds
  // `/`, `?` or `#`. (An `@` inside a query parameter makes this mask more than the password; never less.)
  const at = rest.lastIndexOf('@');
  let userinfo = '';
  if (at >= 0) {
    const colon = rest.indexOf(':');
    if (colon >= 0 && colon < at) {
      passwords.push(rest.slice(colon + 1, at));
      userinfo = `${rest.slice(0, colon + 1)}${MASK}@`;
    } else {
      userinfo = rest.slice(0, at + 1);
    }
    rest = rest.slice(at + 1);
  }
  const question = rest.indexOf('?');
  if (question >= 0)
    rest = `${rest.slice(0, question + 1)}${redactQuery(rest.slice(question + 1), passwords)}`;
  return { redacted: `${scheme}${userinfo}${rest}`, passwords };
}

/** A postgres:// or postgresql:// URL with its password masked; any other text unchanged. */
export function redactDatabaseUrl(location: string): string {
  return secretsOf(location).redacted;
}

/**
 * `text` (an error message from a driver, say) with the URL `location` and every password in it masked, as
 * written and percent-decoded: a message that quotes the password itself shows the mask instead.
 */
export function withoutDatabasePassword(text: string, location: string): string {
  const { redacted, passwords } = secretsOf(location);
  let shown = text.split(location).join(redacted);
  const forms = new Set(passwords.flatMap((password) => [password, decoded(password)]));
  for (const form of [...forms]
    .filter((candidate) => candidate.length > 0)
    .sort((a, b) => b.length - a.length))
    shown = shown.split(form).join(MASK);
  return shown;
}
