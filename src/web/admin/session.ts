// The editor console's cookies and form tokens. The session cookie holds the session's bearer token
// (the database keeps its SHA-256); HttpOnly, SameSite=Lax, Secure when DIGEST_PUBLIC_URL is https, and
// scoped to /admin. Every state-changing form carries a token: signed in, an HMAC under DIGEST_SECRET of
// the session's id; before that (the sign-in forms), an HMAC of a random value in a second cookie, so a
// page on another site can neither read nor forge it (the signed double-submit pattern).
import { randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { CookieOptions } from 'hono/utils/cookie';
import type { Config } from '../../config.js';
import { derivedKey, sameKey } from '../../domain/keys.js';
import type { EditorSession } from '../../services/editor-sign-in.js';

export const SESSION_COOKIE = 'digest_editor';
export const SIGN_IN_COOKIE = 'digest_sign_in';
/** The name of every form's token field. */
export const FORM_TOKEN_FIELD = 'csrf';

type CookieConfig = Pick<Config, 'publicUrl'>;

function cookieOptions(config: CookieConfig): CookieOptions {
  return { path: '/admin', httpOnly: true, sameSite: 'Lax', secure: config.publicUrl.startsWith('https://') };
}

/** The session cookie lasts as long as the browser keeps it; the server ends the session after idleness. */
export function setSessionCookie(c: Context, config: CookieConfig, token: string): void {
  setCookie(c, SESSION_COOKIE, token, cookieOptions(config));
  deleteCookie(c, SIGN_IN_COOKIE, cookieOptions(config));
}

export function clearSessionCookie(c: Context, config: CookieConfig): void {
  deleteCookie(c, SESSION_COOKIE, cookieOptions(config));
}

export function sessionCookie(c: Context): string {
  return getCookie(c, SESSION_COOKIE) ?? '';
}

export function sessionFormToken(config: Pick<Config, 'secret'>, session: EditorSession): string {
  return derivedKey(config.secret, 'console-form', session.id);
}

/** The token of the sign-in forms in this browser, giving it the random value it is keyed on if need be. */
export function signInFormToken(c: Context, config: Pick<Config, 'secret' | 'publicUrl'>): string {
  let nonce = getCookie(c, SIGN_IN_COOKIE);
  if (!nonce || !/^[\w-]{43}$/.test(nonce)) {
    nonce = randomBytes(32).toString('base64url');
    setCookie(c, SIGN_IN_COOKIE, nonce, { ...cookieOptions(config), maxAge: 24 * 3600 });
  }
  return derivedKey(config.secret, 'console-sign-in-form', nonce);
}

/** Whether a sign-in form's token is the one this browser was given. */
export function signInFormTokenValid(c: Context, config: Pick<Config, 'secret'>, presented: string): boolean {
  const nonce = getCookie(c, SIGN_IN_COOKIE);
  return nonce !== undefined && sameKey(presented, derivedKey(config.secret, 'console-sign-in-form', nonce));
}

export function sessionFormTokenValid(
  config: Pick<Config, 'secret'>,
  session: EditorSession,
  presented: string,
): boolean {
  return sameKey(presented, sessionFormToken(config, session));
}
