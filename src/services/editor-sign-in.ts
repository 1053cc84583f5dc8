// Signing editors in to the console (docs/editorial.md): an emailed single-use link, valid 15 minutes, that
// opens a session ended by 12 hours of idleness or by signing out. Links and sessions are bearer tokens of
// 256 random bits; the database keeps only their SHA-256. Who is an editor is DIGEST_EDITORS, read at
// every request, so removing an address ends its sessions.
import { randomBytes } from 'node:crypto';
import {
  countSignInLinksSince,
  deleteSession,
  deleteSessionsIdleSince,
  deleteSignInLinksExpiredBefore,
  findSession,
  findSignInLink,
  insertSession,
  insertSignInLink,
  markSignInLinkUsed,
  touchSession,
} from '../adapters/console-repository.js';
import type { Db } from '../adapters/database.js';
import type { Logger } from '../adapters/logger.js';
import type { Transport } from '../adapters/transport.js';
import type { Config } from '../config.js';
import type { Clock } from '../domain/clock.js';
import {
  editorOf,
  SIGN_IN_LINK_MINUTES,
  SIGN_IN_LINKS_PER_HOUR,
  type SignInLinkState,
  sessionIdleCutoff,
  sessionOpen,
  signInLinkExpiry,
  signInLinkState,
} from '../domain/console.js';
import { derivedKey, tokenHash } from '../domain/keys.js';
import { renderSignInEmail } from './account-emails.js';

export interface SignInDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly config: Pick<Config, 'editors' | 'publicUrl' | 'postalAddress' | 'from' | 'secret'>;
  readonly transport: Transport;
  readonly log: Pick<Logger, 'info' | 'warn'>;
}

const HOUR = 3_600_000;

const newToken = () => randomBytes(32).toString('base64url');

export type SignInRequest = 'sent' | 'not an editor' | 'throttled';

/**
 * Emails a sign-in link to `address` if it is an editor's, unless that address was already sent
 * SIGN_IN_LINKS_PER_HOUR links in the last hour (whoever asked). Anyone else gets nothing and nothing is
 * stored. The web answers the same before this runs, so the outcome is for logs and tests only.
 */
export async function requestSignIn(
  deps: SignInDeps,
  address: string,
  returnTo: string,
): Promise<SignInRequest> {
  const editor = editorOf(deps.config.editors, address);
  if (!editor) return 'not an editor';
  const now = deps.clock.now();
  const token = newToken();
  const hash = tokenHash(token);
  // The count and the new link are one IMMEDIATE transaction: simultaneous requests cannot all pass.
  const stored = await deps.db.transaction().execute(async (trx) => {
    await deleteSignInLinksExpiredBefore(trx, new Date(now.getTime() - HOUR));
    const recent = await countSignInLinksSince(trx, editor.toLowerCase(), new Date(now.getTime() - HOUR));
    if (recent >= SIGN_IN_LINKS_PER_HOUR) return false;
    await insertSignInLink(trx, {
      tokenHash: hash,
      email: editor,
      returnTo,
      createdAt: now,
      expiresAt: signInLinkExpiry(now),
    });
    return true;
  });
  if (!stored) {
    deps.log.info('console.sign-in.throttled');
    return 'throttled';
  }
  const url = `${deps.config.publicUrl}/admin/sign-in?token=${encodeURIComponent(token)}`;
  const email = await renderSignInEmail(deps.config, url, SIGN_IN_LINK_MINUTES);
  const outcome = await deps.transport.sendBatch(
    [{ from: deps.config.from, to: editor, ...email, headers: {}, tags: [] }],
    // Derived from the link's hash, never the token: the provider holds nothing that signs anyone in.
    `verdict-digest/sign-in/${derivedKey(deps.config.secret, 'sign-in', hash)}`,
  );
  if (outcome.status !== 'accepted')
    deps.log.warn('email.not-sent', { kind: 'sign-in', reason: outcome.reason });
  return 'sent';
}

/** What a sign-in link would do now, without using it (the link's page shows its button only if valid). */
export async function signInLinkStatus(deps: Pick<SignInDeps, 'db' | 'clock'>, token: string) {
  return signInLinkState(await findSignInLink(deps.db, tokenHash(token)), deps.clock.now());
}

export type SignInResult =
  | { readonly ok: true; readonly sessionToken: string; readonly editor: string; readonly returnTo: string }
  | { readonly ok: false; readonly state: Exclude<SignInLinkState, 'valid'> | 'not an editor' };

/** Uses a sign-in link (once) and opens a session for its editor. */
export async function signIn(deps: SignInDeps, token: string): Promise<SignInResult> {
  const now = deps.clock.now();
  const hash = tokenHash(token);
  const sessionToken = newToken();
  const result = await deps.db.transaction().execute(async (trx): Promise<SignInResult> => {
    const link = await findSignInLink(trx, hash);
    const state = signInLinkState(link, now);
    if (!link || state !== 'valid') return { ok: false, state: state === 'valid' ? 'unknown' : state };
    await markSignInLinkUsed(trx, hash, now);
    // DIGEST_EDITORS may have changed since the link was sent.
    const editor = editorOf(deps.config.editors, link.email);
    if (!editor) return { ok: false, state: 'not an editor' };
    await deleteSessionsIdleSince(trx, sessionIdleCutoff(now));
    await insertSession(trx, tokenHash(sessionToken), editor, now);
    return { ok: true, sessionToken, editor, returnTo: link.returnTo };
  });
  deps.log.info('console.sign-in', { outcome: result.ok ? 'signed in' : result.state });
  return result;
}

export interface EditorSession {
  /** The SHA-256 of the session's token: what the database knows it by, and what form tokens are keyed on. */
  readonly id: string;
  readonly editor: string;
  /** The message left by the previous request (what a form did), shown once. */
  readonly flash: string | null;
}

/**
 * The session a browser's token belongs to, if it is still open and its editor still in DIGEST_EDITORS;
 * marks it seen (restarting the idle clock) and takes its message. A closed session is deleted.
 */
export async function openSession(
  deps: Pick<SignInDeps, 'db' | 'clock' | 'config'>,
  sessionToken: string,
): Promise<EditorSession | undefined> {
  const id = tokenHash(sessionToken);
  const now = deps.clock.now();
  const row = await findSession(deps.db, id);
  if (!row) return undefined;
  const editor = editorOf(deps.config.editors, row.email);
  if (!editor || !sessionOpen(row.lastSeenAt, now)) {
    await deleteSession(deps.db, id);
    return undefined;
  }
  await touchSession(deps.db, id, now, row.flash === null ? undefined : null);
  return { id, editor, flash: row.flash };
}

/** Leaves a message for the session's next page. */
export async function leaveMessage(
  deps: Pick<SignInDeps, 'db' | 'clock'>,
  session: EditorSession,
  message: string,
) {
  await touchSession(deps.db, session.id, deps.clock.now(), message);
}

export async function signOut(deps: Pick<SignInDeps, 'db' | 'log'>, session: EditorSession): Promise<void> {
  await deleteSession(deps.db, session.id);
  deps.log.info('console.sign-out');
}
