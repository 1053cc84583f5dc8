// Readers' votes over real HTTP (docs/votes.md): an edition sent through the Resend-compatible server, its
// emails' links fetched as a mail scanner fetches them, the vote pages' buttons posted, the refusals, the
// editors' inert copies, erasure by `digest subscribers remove`, and /api/votes.json with its ETag.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Db, openDatabase } from '../../src/adapters/database.js';
import { createResendTransport } from '../../src/adapters/resend-transport.js';
import { findSubscriberByKey } from '../../src/adapters/subscriber-repository.js';
import { fixedClock } from '../../src/domain/clock.js';
import { renderCopy, sendTestCopy } from '../../src/services/review-copies.js';
import { addSubscribers } from '../../src/services/subscribers.js';
import { TALLY_REFRESH_MS } from '../../src/web/public/votes-api.js';
import type { RunningServer } from '../../src/web/server.js';
import { digest, scratchDir } from '../support/cli.js';
import { freshDatabase } from '../support/db.js';
import { type ResendServer, startResendServer } from '../support/resend-server.js';
import { addReaders, importSamples, testConfig } from '../support/sending.js';
import {
  emailFor,
  pathOf,
  sendW47,
  sitePaths,
  startVoteSite,
  storedVotes,
  VOTE_API_KEY,
  type VoteLink,
  voteLinkOf,
  voteLinks,
} from '../support/votes.js';

const CURSOR = 'cursor-3-vs-windsurf-wave-14';
const CLAUDE = 'claude-code-vs-aider';
const HUGGING = 'hugging-face-inference-providers-hub-vs-mistral-3-small-22b';
const OPENED = new Date('2026-11-26T09:00:00Z');
const A_WEEK_LATER = new Date('2026-12-03T08:00:00Z');

const otherChar = (char: string | undefined) => (char === 'A' ? 'B' : 'A');

describe('votes on the web', () => {
  let dbPath: string;
  let db: Db;
  let resend: ResendServer;
  let site: RunningServer;
  let readers: string[];
  let clock: ReturnType<typeof fixedClock>;

  beforeEach(async () => {
    dbPath = await freshDatabase(scratchDir());
    db = await openDatabase(dbPath);
    await importSamples(db);
    readers = await addReaders(db, 3);
    resend = await startResendServer({ apiKey: VOTE_API_KEY });
    await sendW47(db, resend);
    clock = fixedClock(OPENED);
    site = await startVoteSite(db, clock, resend);
  });
  afterEach(async () => {
    await site.close();
    await resend.close();
    await db.destroy();
  });

  const fetchPath = async (path: string, method = 'GET', headers: Record<string, string> = {}) => {
    const response = await fetch(`${site.url}${path}`, { method, headers, redirect: 'manual' });
    return { response, body: await response.text() };
  };
  const post = (link: Pick<VoteLink, 'path'>) => fetchPath(link.path, 'POST');
  /** reader `n`'s (1-based) link for `choice` on tool `tool` of `comparison`. */
  const linkOf = (n: number, comparison = CURSOR, tool: '0' | '1' = '0', choice: 'ship' | 'skip' = 'ship') =>
    voteLinkOf(emailFor(resend, readers[n - 1] ?? ''), comparison, tool, choice);
  const votesJson = async (headers: Record<string, string> = {}) => {
    const response = await fetch(`${site.url}/api/votes.json`, { headers });
    const text = await response.text();
    return { response, text, json: text ? JSON.parse(text) : undefined };
  };

  it('records nothing when a scanner fetches every link of every email with GET and HEAD', async () => {
    let voteLinkCount = 0;
    for (const reader of readers) {
      const email = emailFor(resend, reader);
      // Four links per card (ship and skip for each tool), three cards.
      expect(voteLinks(email)).toHaveLength(12);
      voteLinkCount += voteLinks(email).length;
      for (const path of sitePaths(email)) {
        for (const method of ['GET', 'HEAD']) {
          const { response } = await fetchPath(path, method);
          expect(response.status, `${method} ${path}`).toBe(200);
          if (path.startsWith('/vote/')) {
            expect(response.headers.get('cache-control')).toBe('no-store');
            expect(response.headers.get('x-robots-tag')).toBe('noindex');
          }
        }
      }
    }
    expect(voteLinkCount).toBe(36);
    expect(await storedVotes(db)).toEqual([]);
    for (const reader of readers) expect((await findSubscriberByKey(db, reader))?.status).toBe('active');
  });

  it('shows the choice, the comparison and two buttons posting to this link and the other side’s', async () => {
    const ship = linkOf(1);
    const { response, body } = await fetchPath(ship.path);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(body).toContain('<h1>Your verdict on Cursor 3: <strong class="ship">Ship</strong></h1>');
    expect(body).toContain('Cursor 3 vs Windsurf Wave 14');
    expect(body).toContain('<meta name="robots" content="noindex"/>');
    // The second button is exactly the email's own Skip link for the same tool.
    expect(body).toContain(
      `<form action="${ship.path}" method="post"><button type="submit">Record Ship</button>`,
    );
    expect(body).toContain(
      `<form action="${linkOf(1, CURSOR, '0', 'skip').path}" method="post"><button type="submit" class="secondary">Skip instead</button>`,
    );
    expect(body).not.toContain('You said');
    const head = await fetchPath(ship.path, 'HEAD');
    expect(head.response.status).toBe(200);
    expect(head.body).toBe('');
    expect(await storedVotes(db)).toEqual([]);
  });

  it('records a reader’s vote on POST, and a vote for the other side replaces it, saying what and when', async () => {
    const first = await post(linkOf(1));
    expect(first.response.status).toBe(200);
    expect(first.response.headers.get('cache-control')).toBe('no-store');
    expect(first.body).toContain('Recorded: <strong>Ship</strong> on Cursor 3.');
    expect(first.body).toContain(`href="https://example.com/compare/${CURSOR}"`);
    expect(first.body).toContain(`action="${linkOf(1, CURSOR, '0', 'skip').path}"`);
    expect(first.body).toContain('Change to Skip');
    expect(first.body).not.toContain('You had');
    const at = OPENED.toISOString();
    const row = { email: readers[0], comparison: CURSOR, tool: 'cursor-3' };
    expect(await storedVotes(db)).toEqual([{ ...row, choice: 'ship', created_at: at, updated_at: at }]);

    clock.set(A_WEEK_LATER);
    const page = await fetchPath(linkOf(1, CURSOR, '0', 'ship').path);
    expect(page.body).toContain(
      `You said <strong>Ship</strong> on <time dateTime="${at}">26 November 2026</time>`,
    );
    const changed = await post(linkOf(1, CURSOR, '0', 'skip'));
    expect(changed.response.status).toBe(200);
    expect(changed.body).toContain('Recorded: <strong>Skip</strong> on Cursor 3.');
    expect(changed.body).toContain(
      `You had said <strong>Ship</strong> on <time dateTime="${at}">26 November 2026</time>; Skip replaces it.`,
    );
    const later = A_WEEK_LATER.toISOString();
    expect(await storedVotes(db)).toEqual([{ ...row, choice: 'skip', created_at: at, updated_at: later }]);

    // The same vote again changes nothing but its time, and says so.
    const again = await post(linkOf(1, CURSOR, '0', 'skip'));
    expect(again.body).toContain('You had already said <strong>Skip</strong> on');
    expect(again.body).toContain('3 December 2026</time>; it stands.');
    // The other tool of the comparison is a vote of its own.
    await post(linkOf(1, CURSOR, '1', 'ship'));
    expect((await storedVotes(db)).map((vote) => [vote.tool, vote.choice])).toEqual([
      ['cursor-3', 'skip'],
      ['windsurf-wave-14', 'ship'],
    ]);
  });

  it('refuses a forged or altered link with 400, whatever part was changed, and records nothing', async () => {
    const link = linkOf(1);
    const flipped = `${otherChar(link.signature[0])}${link.signature.slice(1)}`;
    const altered: Record<string, Omit<VoteLink, 'path'>> = {
      'another comparison of the edition': { ...link, comparison: CLAUDE },
      'a comparison no edition carried': { ...link, comparison: 'flux-2-pro-vs-midjourney-v8' },
      'an unknown comparison': { ...link, comparison: 'no-such-comparison' },
      'a comparison slug that is no slug': { ...link, comparison: 'Cursor_3' },
      'the other tool': { ...link, tool: '1' },
      'a tool out of range': { ...link, tool: '2' },
      'the other choice': { ...link, choice: 'skip' },
      'a choice not offered': { ...link, choice: 'maybe' },
      'one signature character': { ...link, signature: flipped },
      'the signature cut short': { ...link, signature: link.signature.slice(0, -1) },
      'a malformed token': { ...link, token: `${link.token}!` },
    };
    const shapes = [
      `/vote/${link.token}/${link.comparison}/${link.tool}/${link.choice}`,
      `/vote/${link.token}`,
      `${link.path}/more`,
    ];
    const paths = [...Object.values(altered).map(pathOf), ...shapes];
    for (const path of paths) {
      for (const method of ['GET', 'POST']) {
        const { response, body } = await fetchPath(path, method);
        expect(response.status, `${method} ${path}`).toBe(400);
        expect(body).toContain('This vote link is not valid');
        expect(body).toContain('No vote was recorded.');
        expect(response.headers.get('cache-control')).toBe('no-store');
      }
    }
    expect(await storedVotes(db)).toEqual([]);
    // The untouched link still works.
    expect((await post(link)).response.status).toBe(200);
  });

  it('answers an unknown reader with 404 and a reader the edition never reached with 403', async () => {
    const link = linkOf(1);
    const unknown = pathOf({ ...link, token: 'A'.repeat(22) });
    for (const method of ['GET', 'POST']) {
      const { response, body } = await fetchPath(unknown, method);
      expect(response.status).toBe(404);
      expect(body).toContain('This vote link belongs to no subscriber');
    }
    // Subscribed after the edition went out: their token spliced into a W47 link is not their vote.
    await addSubscribers({ db, clock }, ['latecomer@example.com'], { status: 'active', categories: [] });
    const latecomer = await findSubscriberByKey(db, 'latecomer@example.com');
    const spliced = pathOf({ ...link, token: latecomer?.token ?? '' });
    for (const method of ['GET', 'POST']) {
      const { response, body } = await fetchPath(spliced, method);
      expect(response.status).toBe(403);
      expect(body).toContain('This vote link comes from a digest that was not sent to you');
    }
    expect(await storedVotes(db)).toEqual([]);
  });

  it('records nothing from test-send and review copies: their links lead to the inert copy page', async () => {
    const deps = {
      db,
      clock,
      config: testConfig(),
      transport: createResendTransport({ apiKey: VOTE_API_KEY, baseUrl: resend.url }),
    };
    const sent = await sendTestCopy(deps, '2026-W47', { to: 'editor@verdicts.test', as: readers[0] });
    expect(sent.ok).toBe(true);
    const [testCopy] = resend.acceptedFor('editor@verdicts.test');
    const review = await renderCopy(deps, '2026-W47', { subjectPrefix: '[REVIEW] ', banner: 'Review me' });
    if (!testCopy || !review.ok) throw new Error('no copies');
    for (const copy of [testCopy, review]) {
      expect(voteLinks(copy)).toEqual([]);
      expect(copy.html?.match(/\/vote\/copy"/g)).toHaveLength(12);
      const paths = sitePaths(copy).filter((path) => path.startsWith('/vote'));
      expect(paths).toEqual(['/vote/copy']);
    }
    for (const method of ['GET', 'HEAD', 'POST']) {
      const { response, body } = await fetchPath('/vote/copy', method);
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      if (method !== 'HEAD') {
        expect(body).toContain('<h1>This is an editor&#x27;s copy</h1>');
        expect(body).toContain('Votes from it are not recorded.');
      }
    }
    expect(await storedVotes(db)).toEqual([]);
  });

  it('erases a removed reader’s votes: the tallies and their links lose them', async () => {
    await post(linkOf(1));
    await post(linkOf(2));
    await post(linkOf(3, CURSOR, '0', 'skip'));
    const before = await votesJson();
    expect(before.json.comparisons).toEqual([
      { slug: CURSOR, tools: [{ slug: 'cursor-3', ship: 2, skip: 1 }], updatedAt: OPENED.toISOString() },
    ]);
    const run = await digest(['subscribers', 'remove', readers[0] ?? ''], { DIGEST_DB: dbPath });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    // The erasure happened in another process: this server counts again once its tallies are a refresh
    // interval old (a vote cast through it is counted at once).
    clock.set(new Date(OPENED.getTime() + TALLY_REFRESH_MS));
    const after = await votesJson();
    expect(after.json.comparisons[0].tools).toEqual([{ slug: 'cursor-3', ship: 1, skip: 1 }]);
    expect(after.response.headers.get('etag')).not.toBe(before.response.headers.get('etag'));
    expect((await storedVotes(db)).map((vote) => vote.email)).toEqual([readers[1], readers[2]]);
    // Their links now belong to no one.
    expect((await post(linkOf(1))).response.status).toBe(404);
    expect((await storedVotes(db)).length).toBe(2);
  });

  it('serves /api/votes.json as the votes table counts it, cacheable with a strong ETag', async () => {
    const empty = await votesJson();
    expect(empty.response.status).toBe(200);
    expect(empty.json).toEqual({ comparisons: [] });

    await post(linkOf(1, CURSOR, '0', 'ship'));
    await post(linkOf(1, CURSOR, '1', 'skip'));
    await post(linkOf(2, CURSOR, '0', 'skip'));
    clock.set(A_WEEK_LATER);
    await post(linkOf(3, CURSOR, '0', 'ship'));
    await post(linkOf(2, CLAUDE, '1', 'ship'));
    await post(linkOf(3, HUGGING, '0', 'skip'));

    const { response, text, json } = await votesJson();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('public, max-age=60');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    const etag = response.headers.get('etag') ?? '';
    expect(etag).toMatch(/^"[\w-]+"$/);

    // The same counts, read straight from the table.
    const counted = new Map<string, Map<string, { ship: number; skip: number }>>();
    const newest = new Map<string, string>();
    for (const vote of await storedVotes(db)) {
      const tools = counted.get(vote.comparison) ?? new Map();
      const tool = tools.get(vote.tool) ?? { ship: 0, skip: 0 };
      tool[vote.choice] += 1;
      tools.set(vote.tool, tool);
      counted.set(vote.comparison, tools);
      if (vote.updated_at > (newest.get(vote.comparison) ?? '')) newest.set(vote.comparison, vote.updated_at);
    }
    // Newest comparison first, tools by slug.
    expect(json.comparisons.map((entry: { slug: string }) => entry.slug)).toEqual([CLAUDE, CURSOR, HUGGING]);
    for (const entry of json.comparisons) {
      const tools = [...(counted.get(entry.slug) ?? [])]
        .map(([slug, tally]) => ({ slug, ...tally }))
        .sort((a, b) => a.slug.localeCompare(b.slug));
      expect(entry).toEqual({ slug: entry.slug, tools, updatedAt: newest.get(entry.slug) });
    }
    expect(json.comparisons[1]).toEqual({
      slug: CURSOR,
      tools: [
        { slug: 'cursor-3', ship: 2, skip: 1 },
        { slug: 'windsurf-wave-14', ship: 0, skip: 1 },
      ],
      updatedAt: A_WEEK_LATER.toISOString(),
    });

    const cached = await votesJson({ 'If-None-Match': etag });
    expect(cached.response.status).toBe(304);
    expect(cached.text).toBe('');
    expect(cached.response.headers.get('etag')).toBe(etag);
    expect(cached.response.headers.get('access-control-allow-origin')).toBe('*');
    expect((await votesJson({ 'If-None-Match': `W/${etag}, "other"` })).response.status).toBe(304);
    const head = await fetch(`${site.url}/api/votes.json`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('etag')).toBe(etag);
    expect(await head.text()).toBe('');

    // A vote changes the body, and the old tag no longer matches.
    await post(linkOf(2, CURSOR, '1', 'ship'));
    const changed = await votesJson({ 'If-None-Match': etag });
    expect(changed.response.status).toBe(200);
    expect(changed.text).not.toBe(text);
    expect(changed.response.headers.get('etag')).not.toBe(etag);
    expect(changed.json.comparisons[1].tools[1]).toEqual({ slug: 'windsurf-wave-14', ship: 1, skip: 1 });
  });

  it('limits how many votes one network posts, before anything is read', async () => {
    const forged = pathOf({ ...linkOf(1), choice: 'maybe' });
    for (let index = 0; index < 60; index++)
      expect((await fetchPath(forged, 'POST')).response.status).toBe(400);
    const limited = await fetchPath(linkOf(1).path, 'POST');
    expect(limited.response.status).toBe(429);
    expect(Number(limited.response.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.body).toContain('Too many votes from your network');
    expect(await storedVotes(db)).toEqual([]);
    // Opening links is not limited: a scanner's GETs cost a read each.
    expect((await fetchPath(linkOf(1).path)).response.status).toBe(200);
  });
});
