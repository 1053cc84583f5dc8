// Readers' votes end to end: a real edition sent through the Resend-compatible server, the links its
// emails carry, and the web app serving them on 127.0.0.1 (docs/votes.md).
import type { VoteChoice } from '../../db/schema.js';
import type { Db } from '../../src/adapters/database.js';
import { silentLogger } from '../../src/adapters/logger.js';
import { createResendTransport } from '../../src/adapters/resend-transport.js';
import { findSubscriberByKey } from '../../src/adapters/subscriber-repository.js';
import { findVoteTarget, recordVote } from '../../src/adapters/vote-repository.js';
import type { Clock } from '../../src/domain/clock.js';
import { sendEdition } from '../../src/services/send-edition.js';
import { type RunningServer, startServer } from '../../src/web/server.js';
import type { AcceptedEmail, ResendServer } from './resend-server.js';
import { sendDeps, testConfig } from './sending.js';

export const VOTE_API_KEY = 're_test_votes_0123456789';
export const PUBLIC_URL = testConfig().publicUrl;

/** Sends week 2026-W47 to every active reader through `resend`; throws unless it finished. */
export async function sendW47(db: Db, resend: ResendServer): Promise<void> {
  const transport = createResendTransport({ apiKey: VOTE_API_KEY, baseUrl: resend.url });
  const report = await sendEdition(sendDeps(db, transport), '2026-W47');
  if (report.outcome !== 'sent') throw new Error(`the W47 send ended: ${report.message}`);
}

/** The W47 email `to` got, as the provider accepted it. */
export function emailFor(resend: ResendServer, to: string): AcceptedEmail {
  const email = resend.acceptedFor(to).find((accepted) => accepted.edition === '2026-W47');
  if (!email?.html || !email.text) throw new Error(`no W47 email with bodies for ${to}`);
  return email;
}

const HREF = /href="([^"]+)"/g;
const TEXT_URL = /https?:\/\/[^\s<>"]+/g;

/**
 * Every link of an email's HTML and text parts that leads to this site, as a path (with its query): what a
 * mail scanner fetches. Links to the comparison site go elsewhere and are left out.
 */
export function sitePaths(email: Pick<AcceptedEmail, 'html' | 'text'>): string[] {
  const urls = [
    ...[...(email.html ?? '').matchAll(HREF)].map((match) => (match[1] ?? '').replaceAll('&amp;', '&')),
    ...[...(email.text ?? '').matchAll(TEXT_URL)].map((match) => match[0]),
  ];
  return [
    ...new Set(
      urls.filter((url) => url.startsWith(`${PUBLIC_URL}/`)).map((url) => url.slice(PUBLIC_URL.length)),
    ),
  ];
}

/** One vote link of an email, as its path and its parts. */
export interface VoteLink {
  readonly path: string;
  readonly token: string;
  readonly comparison: string;
  readonly tool: string;
  readonly choice: string;
  readonly signature: string;
}

const VOTE_PATH = /^\/vote\/([^/]+)\/([^/]+)\/([^/]+)\/([^/]+)\/([^/?#]+)$/;

/** The email's personal vote links (its copy links, /vote/copy, are not among them). */
export function voteLinks(email: Pick<AcceptedEmail, 'html' | 'text'>): VoteLink[] {
  return sitePaths(email).flatMap((path) => {
    const match = VOTE_PATH.exec(path);
    if (!match) return [];
    const [, token = '', comparison = '', tool = '', choice = '', signature = ''] = match;
    return [{ path, token, comparison, tool, choice, signature }];
  });
}

/** The link of `email` voting `choice` on tool `tool` (0 or 1) of comparison `comparison`. */
export function voteLinkOf(
  email: Pick<AcceptedEmail, 'html' | 'text'>,
  comparison: string,
  tool: '0' | '1',
  choice: 'ship' | 'skip',
): VoteLink {
  const link = voteLinks(email).find(
    (entry) => entry.comparison === comparison && entry.tool === tool && entry.choice === choice,
  );
  if (!link) throw new Error(`no ${choice} link for tool ${tool} of ${comparison}`);
  return link;
}

export const pathOf = (link: Omit<VoteLink, 'path'>) =>
  `/vote/${link.token}/${link.comparison}/${link.tool}/${link.choice}/${link.signature}`;

/** The web app on a free port of 127.0.0.1, with the send's configuration (the same DIGEST_SECRET). */
export function startVoteSite(
  db: Db,
  clock: Clock,
  resend: ResendServer,
  config = testConfig(),
): Promise<RunningServer> {
  return startServer(
    {
      db,
      clock,
      config,
      transport: createResendTransport({ apiKey: VOTE_API_KEY, baseUrl: resend.url }),
      log: silentLogger,
    },
    0,
    '127.0.0.1',
  );
}

/** Every row of the votes table, in a stable order. */
export async function storedVotes(db: Db) {
  return db
    .selectFrom('votes')
    .innerJoin('subscribers', 'subscribers.id', 'votes.subscriber_id')
    .innerJoin('comparisons', 'comparisons.id', 'votes.comparison_id')
    .select([
      'subscribers.email',
      'comparisons.slug as comparison',
      'votes.tool_slug as tool',
      'votes.choice',
      'votes.created_at',
      'votes.updated_at',
    ])
    .orderBy('subscribers.email')
    .orderBy('comparisons.slug')
    .orderBy('votes.tool_slug')
    .execute();
}

/**
 * Stores the vote of the subscriber `email` on tool `tool` (0 or 1) of comparison `slug`, as a cast vote is
 * stored, at `at`: for tests about what the votes add up to rather than how they are cast.
 */
export async function storeVote(
  db: Db,
  email: string,
  slug: string,
  tool: 0 | 1,
  choice: VoteChoice,
  at: Date,
): Promise<void> {
  const subscriber = await findSubscriberByKey(db, email);
  const target = await findVoteTarget(db, slug);
  if (!subscriber || !target) throw new Error(`no subscriber ${email} or comparison ${slug}`);
  await recordVote(db, {
    subscriberId: subscriber.id,
    comparisonId: target.comparisonId,
    toolSlug: target.comparison.tools[tool].slug,
    editionId: target.editionId,
    choice,
    at,
  });
}
