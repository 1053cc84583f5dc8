// Readers' votes on the web (docs/votes.md): the pages a digest's vote links open, the inert page of
// editors' copies, and /api/votes.json for the comparison site. Opening a vote link (GET, or a scanner's
// HEAD) only reads; the page's buttons POST, and only a POST records.
import { type Context, Hono } from 'hono';
import type { VoteChoice } from '../../../db/schema.js';
import type { StoredVote } from '../../adapters/vote-repository.js';
import { notModified } from '../../domain/conditional-request.js';
import { sentDay } from '../../domain/edition-dates.js';
import {
  COPY_VOTE_PATH,
  otherChoice,
  type PresentedVote,
  signedVotePath,
  type VoteSubject,
} from '../../domain/vote-link.js';
import { castVote, type OpenVote, openVote, type VoteRefusal, voteTallies } from '../../services/votes.js';
import type { WebDeps } from '../app.js';
import { type EarlierVote, voteCopyPage, votePage, voteRecordedPage, voteRefusedPage } from './vote-page.js';
import { createVotesCache, type VotesCache } from './votes-api.js';

const VOTE_ROUTE = '/vote/:token/:comparison/:tool/:choice/:signature';

// The site polls the tallies for its comparison pages; a minute old is fresh enough for a count of votes.
const VOTES_CACHE_CONTROL = 'public, max-age=60';

const REFUSALS = {
  forged: {
    code: 400,
    title: 'Link not valid',
    message:
      'This vote link is not valid: it may have been cut short or altered on its way. Use the link exactly as it is in your digest. No vote was recorded.',
  },
  'unknown reader': {
    code: 404,
    title: 'Reader not found',
    message:
      'This vote link belongs to no subscriber: it may have been mistyped, or the address it was sent to was erased. No vote was recorded.',
  },
  'not theirs': {
    code: 403,
    title: 'Not your digest',
    message:
      'This vote link comes from a digest that was not sent to you, so it cannot record your vote. Use the links in your own copy. No vote was recorded.',
  },
} as const;

const presented = (c: Context): PresentedVote => ({
  token: c.req.param('token') ?? '',
  comparison: c.req.param('comparison') ?? '',
  tool: c.req.param('tool') ?? '',
  choice: c.req.param('choice') ?? '',
  signature: c.req.param('signature') ?? '',
});

/** /api/votes.json: the tallies as JSON, with a strong tag for the site's conditional polls. */
function talliesAnswer(tallies: VotesCache) {
  return async (c: Context) => {
    const { body, etag } = await tallies.get();
    c.header('ETag', etag);
    c.header('Cache-Control', VOTES_CACHE_CONTROL);
    // The comparison site reads this from its own origin; the tallies are public.
    c.header('Access-Control-Allow-Origin', '*');
    c.header('Access-Control-Expose-Headers', 'ETag');
    if (notModified({ ifNoneMatch: c.req.header('If-None-Match') }, { etag })) return c.body(null, 304);
    c.header('Content-Type', 'application/json; charset=utf-8');
    return c.body(body);
  };
}

export function createVoteRoutes(deps: WebDeps): Hono {
  const { config } = deps;
  const app = new Hono();
  const tallies = createVotesCache(deps.clock, () => voteTallies(deps));

  /** A choice's link for the same reader, as a path of this site: what the page's forms post to. */
  const linkFor = (open: OpenVote, choice: VoteChoice) => {
    const subject: VoteSubject = { ...open.subject, choice };
    return `/vote/${open.token}/${signedVotePath(config.secret, subject)}`;
  };
  const earlier = (vote: StoredVote | undefined): EarlierVote | undefined =>
    vote && {
      choice: vote.choice,
      at: vote.updatedAt,
      // The day in the newsletter's own zone, as the archive dates its editions.
      day: sentDay(new Date(vote.updatedAt), config.timeZone),
    };
  const refused = (c: Context, refusal: VoteRefusal) => {
    const { code, title, message } = REFUSALS[refusal.status];
    return c.html(voteRefusedPage(title, message), code);
  };

  // Every answer is one reader's (their token is in the address): no cache keeps it, no index lists it.
  app.use('/vote/*', async (c, next) => {
    await next();
    c.header('Cache-Control', 'no-store');
    c.header('X-Robots-Tag', 'noindex');
  });

  // Editors' copies: the same page whatever the method, and nothing recorded.
  app.on(['GET', 'POST'], COPY_VOTE_PATH, (c) => c.html(voteCopyPage()));

  app.get(VOTE_ROUTE, async (c) => {
    const open = await openVote(deps, presented(c));
    if (open.status !== 'ok') return refused(c, open);
    return c.html(
      votePage({
        toolName: open.toolName,
        comparisonTitle: open.comparisonTitle,
        choice: open.subject.choice,
        previous: earlier(open.previous),
        recordAction: linkFor(open, open.subject.choice),
        otherAction: linkFor(open, otherChoice(open.subject.choice)),
      }),
    );
  });

  // The form needs no body and no Origin check: the signed link is the whole request, and only its reader
  // has it. The answer is a page, not a redirect, so a reload shows the same outcome.
  app.post(VOTE_ROUTE, async (c) => {
    const vote = await castVote(deps, presented(c));
    if (vote.status !== 'ok') return refused(c, vote);
    tallies.invalidate();
    return c.html(
      voteRecordedPage({
        toolName: vote.toolName,
        comparisonTitle: vote.comparisonTitle,
        comparisonUrl: vote.comparisonUrl,
        recorded: vote.recorded,
        previous: earlier(vote.previous),
        changeAction: linkFor(vote, otherChoice(vote.recorded)),
      }),
    );
  });

  // A link of another shape (cut short by a mail client's line wrap, a part missing): not valid either.
  app.on(['GET', 'POST'], '/vote/*', (c) => refused(c, { status: 'forged' }));

  app.get('/api/votes.json', talliesAnswer(tallies));

  return app;
}
