// A sent edition's web version is stored once, but shows each tool's current reader tally: put into the
// stored page as it is served, with a tag that changes when the tallies do (docs/votes.md).
import { readdirSync, readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { VoteChoice } from '../../db/schema.js';
import type { Db } from '../../src/adapters/database.js';
import { silentLogger } from '../../src/adapters/logger.js';
import { createOutboxTransport } from '../../src/adapters/outbox-transport.js';
import { recordVote } from '../../src/adapters/vote-repository.js';
import { fixedClock } from '../../src/domain/clock.js';
import { sendEdition } from '../../src/services/send-edition.js';
import { removeSubscriber } from '../../src/services/subscribers.js';
import { TALLIES_FRESH_MS } from '../../src/services/web-version.js';
import { type RunningServer, startServer } from '../../src/web/server.js';
import { scratchDir } from '../support/cli.js';
import { testDatabase } from '../support/db.js';
import { AFTER_W47, addReaders, importSamples, sendDeps, testConfig } from '../support/sending.js';

const CLAUDE = 'claude-code-vs-aider';
const CURSOR = 'cursor-3-vs-windsurf-wave-14';
const HUGGING = 'hugging-face-inference-providers-hub-vs-mistral-3-small-22b';

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  /** The page, decompressed when it came compressed. */
  readonly html: string;
}

/** A GET over real HTTP; node:http does not decompress, so the coding on the wire is the server's. */
const get = (url: string, headers: Record<string, string> = {}) =>
  new Promise<Answer>((resolve, reject) => {
    httpRequest(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const bytes = Buffer.concat(chunks);
        const coding = response.headers['content-encoding'];
        const body =
          coding === 'br' ? brotliDecompressSync(bytes) : coding === 'gzip' ? gunzipSync(bytes) : bytes;
        resolve({ status: response.statusCode ?? 0, headers: response.headers, html: body.toString('utf8') });
      });
    })
      .on('error', reject)
      .end();
  });

/** A comparison's card, by its id. */
const card = (html: string, slug: string) => {
  const start = html.indexOf(`id="${slug}"`);
  expect(start).toBeGreaterThan(0);
  return html.slice(start, html.indexOf('Read the full comparison', start));
};

/** The lines of a tool's facts (after the scorecard), as text: "Community: 412 ship / 57 skip", ... */
const facts = (html: string, slug: string, tool: string) => {
  const match = new RegExp(`<p[^>]*><b>${tool}</b>(.*?)</p>`).exec(card(html, slug));
  expect(match).not.toBeNull();
  return (match?.[1] ?? '')
    .split('<br/>')
    .map((line) => line.replace(/<[^>]+>/g, '').trim())
    .filter((line) => line && !line.startsWith('Entry price') && !line.startsWith('Pricing'));
};

describe('reader tallies on the web version', () => {
  let db: Db;
  let server: RunningServer;
  let readers: string[];
  let outboxDir: string;
  const page = () => `${server.url}/editions/2026-W47`;

  /** The server's clock: the tallies it read serve it for TALLIES_FRESH_MS. */
  const clock = fixedClock(AFTER_W47);

  /**
   * Reader number `reader` (from 0) says `choice` on `tool` of `comparison`, as a vote link would record;
   * then `wait` ms pass on the server's clock (by default, until the tallies it read are read again).
   */
  const vote = async (
    reader: number,
    comparison: string,
    tool: string,
    choice: VoteChoice,
    wait = TALLIES_FRESH_MS,
  ) => {
    const subscriber = await db
      .selectFrom('subscribers')
      .select('id')
      .where('email', '=', readers[reader] ?? '')
      .executeTakeFirstOrThrow();
    const item = await db
      .selectFrom('edition_items')
      .innerJoin('comparisons', 'comparisons.id', 'edition_items.comparison_id')
      .select(['edition_items.edition_id', 'edition_items.comparison_id'])
      .where('comparisons.slug', '=', comparison)
      .executeTakeFirstOrThrow();
    await recordVote(db, {
      subscriberId: subscriber.id,
      comparisonId: item.comparison_id,
      editionId: item.edition_id,
      toolSlug: tool,
      choice,
      at: clock.now(),
    });
    clock.advance(wait);
  };
  /** Three of the five readers say Ship on Claude Code, two say Skip. */
  const threeToTwo = async () => {
    for (const reader of [0, 1, 2]) await vote(reader, CLAUDE, 'claude-code', 'ship');
    for (const reader of [3, 4]) await vote(reader, CLAUDE, 'claude-code', 'skip');
  };

  beforeEach(async () => {
    db = await testDatabase();
    await importSamples(db);
    readers = await addReaders(db, 5);
    outboxDir = join(scratchDir(), 'outbox');
    const outbox = createOutboxTransport(outboxDir, fixedClock(AFTER_W47));
    await sendEdition(sendDeps(db, outbox), '2026-W47');
    clock.set(AFTER_W47);
    const deps = { db, clock, config: testConfig(), transport: outbox };
    server = await startServer({ ...deps, log: silentLogger }, 0, '127.0.0.1');
  });
  afterEach(async () => {
    await server.close();
    await db.destroy();
  });

  it('shows no reader line while nobody voted: the page served is the page stored', async () => {
    const answer = await get(page());
    expect(answer.status).toBe(200);
    expect(answer.html).not.toContain('Readers:');
    expect(facts(answer.html, CLAUDE, 'Claude Code')).toEqual([
      'Best for: Multi-step refactors driven from the terminal',
      'Community: No community votes yet',
    ]);
    expect(facts(answer.html, CURSOR, 'Cursor 3')).toContain('Community: 412 ship / 57 skip');
    const stored = await db.selectFrom('web_versions').select(['html', 'etag']).executeTakeFirstOrThrow();
    expect(answer.html).toBe(stored.html);
    expect(answer.headers.etag).toBe(stored.etag);
  });

  it("shows a tool's tally in its community line, and only that tool's", async () => {
    await threeToTwo();
    await vote(0, CURSOR, 'cursor-3', 'ship');
    const { html } = await get(page());
    // Without the site's own votes the readers' tally takes the line; beside them, it follows them.
    expect(facts(html, CLAUDE, 'Claude Code')).toContain('Readers: 60% ship · 5 votes');
    expect(facts(html, CLAUDE, 'Claude Code')).not.toContain('Community: No community votes yet');
    expect(facts(html, CLAUDE, 'Aider')).toContain('Community: No community votes yet');
    expect(facts(html, CLAUDE, 'Aider').join()).not.toContain('Readers');
    const cursor = facts(html, CURSOR, 'Cursor 3');
    expect(cursor.slice(cursor.indexOf('Community: 412 ship / 57 skip'))).toEqual([
      'Community: 412 ship / 57 skip',
      'Readers: 100% ship · 1 vote',
    ]);
    expect(facts(html, CURSOR, 'Windsurf Wave 14').join()).not.toContain('Readers');
    expect(html.match(/Readers:/g)).toHaveLength(2);
    // What is stored stays the page as rendered: the tallies are put in as it is served.
    const stored = await db.selectFrom('web_versions').select('html').executeTakeFirstOrThrow();
    expect(stored.html).not.toContain('Readers:');
  });

  it('leaves a comparison nobody voted on as it was', async () => {
    const before = (await get(page())).html;
    await threeToTwo();
    const after = (await get(page())).html;
    expect(after).not.toBe(before);
    expect(card(after, HUGGING)).toBe(card(before, HUGGING));
    expect(card(after, CURSOR)).toBe(card(before, CURSOR));
  });

  it('changes the ETag with a vote: the old tag gets the new page, the current one a 304', async () => {
    const first = await get(page());
    const old = String(first.headers.etag);
    expect((await get(page(), { 'if-none-match': old })).status).toBe(304);
    await threeToTwo();
    const changed = await get(page(), { 'if-none-match': old });
    expect(changed.status).toBe(200);
    expect(changed.html).toContain('Readers:</b> 60% ship · 5 votes');
    const current = String(changed.headers.etag);
    expect(current).toMatch(/^"[A-Za-z0-9_-]{32}"$/);
    expect(current).not.toBe(old);
    const again = await get(page(), { 'if-none-match': current });
    expect(again.status).toBe(304);
    expect(again.headers.etag).toBe(current);
    expect(again.html).toBe('');
    // A reader saying again what they said before changes nothing on the page, so nothing in the tag.
    await vote(0, CLAUDE, 'claude-code', 'ship');
    expect((await get(page(), { 'if-none-match': current })).status).toBe(304);
    // Changing their mind does.
    await vote(0, CLAUDE, 'claude-code', 'skip');
    const turned = await get(page(), { 'if-none-match': current });
    expect(turned.status).toBe(200);
    expect(turned.html).toContain('Readers:</b> 40% ship · 5 votes');
  });

  it.each(['br', 'gzip'])('carries the current tallies when it is served as %s', async (coding) => {
    const headers = { 'accept-encoding': coding };
    const before = await get(page(), headers);
    expect(before.headers['content-encoding']).toBe(coding);
    expect(before.html).not.toContain('Readers:');
    await threeToTwo();
    const after = await get(page(), headers);
    expect(after.headers['content-encoding']).toBe(coding);
    expect(after.html).toBe((await get(page())).html);
    expect(after.html).toContain('Readers:</b> 60% ship · 5 votes');
    // The compressed copy's weak tag still revalidates, and a new vote still changes it.
    const tag = String(after.headers.etag);
    expect(tag).toMatch(/^W\//);
    expect((await get(page(), { ...headers, 'if-none-match': tag })).status).toBe(304);
    await vote(0, CLAUDE, 'claude-code', 'skip');
    const turned = await get(page(), { ...headers, 'if-none-match': tag });
    expect(turned.status).toBe(200);
    expect(turned.html).toContain('Readers:</b> 40% ship · 5 votes');
  });

  it('loses an erased reader from the tally, and the tag changes', async () => {
    await threeToTwo();
    const counted = await get(page());
    expect(counted.html).toContain('Readers:</b> 60% ship · 5 votes');
    await removeSubscriber({ db, clock }, readers[0] ?? '');
    clock.advance(TALLIES_FRESH_MS);
    const erased = await get(page(), { 'if-none-match': String(counted.headers.etag) });
    expect(erased.status).toBe(200);
    expect(facts(erased.html, CLAUDE, 'Claude Code')).toContain('Readers: 50% ship · 4 votes');
    // Nobody left who voted: the line is as it was before anyone did.
    for (const reader of readers.slice(1)) await removeSubscriber({ db, clock }, reader);
    clock.advance(TALLIES_FRESH_MS);
    const none = await get(page());
    expect(none.html).not.toContain('Readers:');
    expect(none.headers.etag).toBe(
      (await db.selectFrom('web_versions').select('etag').executeTakeFirstOrThrow()).etag,
    );
  });

  it('reads the tallies at most once in TALLIES_FRESH_MS: a burst costs one count, a vote shows after it', async () => {
    await threeToTwo();
    const read = await get(page());
    await vote(0, CLAUDE, 'claude-code', 'skip', TALLIES_FRESH_MS - 1);
    const within = await get(page(), { 'if-none-match': String(read.headers.etag) });
    expect(within.status).toBe(304);
    clock.advance(1);
    const after = await get(page(), { 'if-none-match': String(read.headers.etag) });
    expect(after.status).toBe(200);
    expect(after.html).toContain('Readers:</b> 40% ship · 5 votes');
  });

  it('keeps the email as it was: no mark, no tally, the community line the import gave', async () => {
    await threeToTwo();
    const emails = readdirSync(outboxDir).map((file) => readFileSync(join(outboxDir, file), 'utf8'));
    expect(emails).toHaveLength(readers.length);
    for (const email of emails) {
      expect(email).not.toContain('data-readers');
      expect(email).not.toContain('Readers:');
      expect(email).toContain('No community votes yet');
    }
  });
});
