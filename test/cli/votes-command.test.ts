// `digest votes` and the votes in `digest stats`, through the built command against a database where W47
// went out and its readers voted (docs/votes.md).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { VoteChoice } from '../../db/schema.js';
import { type Db, openDatabase } from '../../src/adapters/database.js';
import type { Transport } from '../../src/adapters/transport.js';
import type { ComparisonVotes } from '../../src/cli/votes-command.js';
import type { EditionStats } from '../../src/domain/edition-stats.js';
import { sendEdition } from '../../src/services/send-edition.js';
import { runDigestProcess } from '../support/child.js';
import { scratchDir } from '../support/cli.js';
import { freshDatabase } from '../support/db.js';
import { addReaders, importSamples, sendDeps } from '../support/sending.js';
import { storeVote } from '../support/votes.js';

const CLAUDE = 'claude-code-vs-aider';
const CURSOR = 'cursor-3-vs-windsurf-wave-14';

const accepting: Transport = {
  kind: 'outbox',
  sendBatch: async (messages) => ({
    status: 'accepted',
    ids: messages.map((message) => `em-${message.to}`),
  }),
};

describe('digest votes', () => {
  let dbPath: string;
  let db: Db;
  let readers: string[];
  let env: Record<string, string>;

  beforeEach(async () => {
    dbPath = await freshDatabase(scratchDir());
    env = { DIGEST_DB: dbPath };
    db = await openDatabase(dbPath);
    await importSamples(db);
    readers = await addReaders(db, 4);
    expect((await sendEdition(sendDeps(db, accepting), '2026-W47')).outcome).toBe('sent');
  });
  afterEach(async () => {
    await db.destroy();
  });

  const vote = (n: number, slug: string, tool: 0 | 1, choice: VoteChoice, minutes = 0) =>
    storeVote(db, readers[n - 1] ?? '', slug, tool, choice, new Date(Date.UTC(2026, 10, 26, 9, minutes)));

  async function json<T>(...args: string[]): Promise<T> {
    const run = await runDigestProcess(args, env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    return JSON.parse(run.stdout) as T;
  }
  const votes = (...args: string[]) =>
    json<{ comparisons: ComparisonVotes[] }>('votes', '--json', ...args).then((out) => out.comparisons);
  const stats = (...args: string[]) =>
    json<{ editions: EditionStats[] }>('stats', '--json', ...args).then((out) => out.editions);

  /** The tallies as the votes table holds them, counted here row by row: what the command must agree with. */
  async function fromTable() {
    const rows = await db
      .selectFrom('votes')
      .innerJoin('comparisons', 'comparisons.id', 'votes.comparison_id')
      .select(['comparisons.slug', 'votes.tool_slug', 'votes.choice', 'votes.updated_at'])
      .execute();
    const bySlug = new Map<
      string,
      { tools: Map<string, { ship: number; skip: number }>; updatedAt: string }
    >();
    for (const row of rows) {
      const comparison = bySlug.get(row.slug) ?? { tools: new Map(), updatedAt: row.updated_at };
      const tool = comparison.tools.get(row.tool_slug) ?? { ship: 0, skip: 0 };
      tool[row.choice]++;
      comparison.tools.set(row.tool_slug, tool);
      if (row.updated_at > comparison.updatedAt) comparison.updatedAt = row.updated_at;
      bySlug.set(row.slug, comparison);
    }
    return [...bySlug].map(([slug, { tools, updatedAt }]) => ({
      slug,
      updatedAt,
      tools: [...tools]
        .map(([tool, { ship, skip }]) => ({ slug: tool, ship, skip }))
        .sort((a, b) => a.slug.localeCompare(b.slug)),
    }));
  }

  it('prints every comparison with votes as the votes table holds them, in JSON and as a table', async () => {
    await vote(1, CLAUDE, 0, 'ship', 1);
    await vote(2, CLAUDE, 0, 'ship', 2);
    await vote(3, CLAUDE, 0, 'skip', 3);
    await vote(1, CLAUDE, 1, 'skip', 4);
    await vote(4, CURSOR, 1, 'ship', 5);
    // Voting again replaces the vote: reader 4 ends up on skip, counted once.
    await vote(4, CURSOR, 1, 'skip', 7);

    const printed = await votes();
    const expected = await fromTable();
    expect(
      printed.map(({ slug, updatedAt, tools }) => ({
        slug,
        updatedAt,
        tools: tools.map(({ slug: tool, ship, skip }) => ({ slug: tool, ship, skip })),
      })),
    ).toEqual(expect.arrayContaining(expected));
    expect(printed).toHaveLength(expected.length);
    expect(printed.find((comparison) => comparison.slug === CLAUDE)).toEqual({
      slug: CLAUDE,
      title: 'Claude Code vs Aider',
      votes: 4,
      updatedAt: '2026-11-26T09:04:00.000Z',
      tools: [
        { slug: 'aider', ship: 0, skip: 1, votes: 1, shipShare: 0 },
        { slug: 'claude-code', ship: 2, skip: 1, votes: 3, shipShare: 67 },
      ],
    });
    expect(await votes('--week', '2026-W47')).toEqual(printed);

    const table = await runDigestProcess(['votes'], env);
    expect(table.code).toBe(0);
    const lines = table.stdout.split('\n');
    expect(lines[0]).toMatch(/^comparison\s+tool\s+ship\s+skip\s+ship share\s+votes\s+updated$/);
    expect(table.stdout).toMatch(
      /claude-code-vs-aider\s+aider\s+0\s+1\s+0%\s+1\s+Thu 26 Nov 2026, 09:04 UTC\n/,
    );
    expect(table.stdout).toMatch(/\n\s+claude-code\s+2\s+1\s+67%\s+3\n/);
    expect(table.stdout).toMatch(/cursor-3-vs-windsurf-wave-14\s+windsurf-wave-14\s+0\s+1\s+0%\s+1\s/);
  });

  it('says so in a sentence when nobody voted, and with --week, when that edition has no votes', async () => {
    const none = await runDigestProcess(['votes'], env);
    expect(none).toMatchObject({ code: 0, stderr: '' });
    expect(none.stdout).toBe('No votes yet: readers vote with the "Your verdict" links in their digest.\n');
    expect(await votes()).toEqual([]);
    const week = await runDigestProcess(['votes', '--week', '2026-W47'], env);
    expect(week.stdout).toBe('No votes yet on the comparisons 2026-W47 carried.\n');
  });

  it('refuses a week without an edition, and one that is no week, saying why and printing nothing', async () => {
    await vote(1, CLAUDE, 0, 'ship');
    const unknown = await runDigestProcess(['votes', '--week', '2026-W30', '--json'], env);
    expect(unknown).toMatchObject({ code: 1, stdout: '' });
    expect(unknown.stderr).toBe('There is no edition for 2026-W30; `digest editions` lists them.\n');
    const malformed = await runDigestProcess(['votes', '--week', 'next week'], env);
    expect(malformed).toMatchObject({ code: 1, stdout: '' });
    expect(malformed.stderr).toMatch(/^--week: /);
    // Nothing was lost: the vote is still counted.
    expect((await votes()).map((comparison) => comparison.votes)).toEqual([1]);
  });

  it('adds to digest stats the readers who voted and the votes per comparison', async () => {
    await vote(1, CLAUDE, 0, 'ship');
    await vote(1, CLAUDE, 1, 'skip');
    await vote(2, CLAUDE, 1, 'ship');
    await vote(2, CURSOR, 0, 'ship');
    await vote(3, CURSOR, 1, 'skip');
    const [w47] = await stats('--week', '2026-W47');
    expect(w47).toMatchObject({ week: '2026-W47', sent: 4, voters: 3, votes: 5 });
    expect(w47?.comparisons.map(({ slug, votes, clicks }) => [slug, votes, clicks])).toEqual([
      [CLAUDE, 3, 0],
      [CURSOR, 2, 0],
      ['hugging-face-inference-providers-hub-vs-mistral-3-small-22b', 0, 0],
    ]);
    expect(await stats()).toEqual([w47]);

    const table = await runDigestProcess(['stats', '--week', '2026-W47'], env);
    expect(table.code).toBe(0);
    const [heading, row] = table.stdout.split('\n');
    expect(heading).toMatch(/\s+machine clicks\s+voters$/);
    expect(row).toMatch(/^2026-W47\s.*\s0\s+3$/);
    expect(table.stdout).toMatch(/comparison\s+human clicks\s+clickers\s+votes\n/);
    expect(table.stdout).toMatch(/claude-code-vs-aider\s+0\s+0\s+3\n/);
  });

  it('forgets an erased reader: their votes leave digest votes and digest stats', async () => {
    await vote(1, CLAUDE, 0, 'ship');
    await vote(1, CURSOR, 0, 'ship');
    await vote(2, CLAUDE, 0, 'skip');
    const removed = await runDigestProcess(['subscribers', 'remove', readers[0] ?? ''], env);
    expect(removed.code).toBe(0);
    expect(await votes()).toEqual([
      expect.objectContaining({
        slug: CLAUDE,
        votes: 1,
        tools: [{ slug: 'claude-code', ship: 0, skip: 1, votes: 1, shipShare: 0 }],
      }),
    ]);
    const [w47] = await stats('--week', '2026-W47');
    expect(w47).toMatchObject({ voters: 1, votes: 1 });
    expect(w47?.comparisons.find((comparison) => comparison.slug === CURSOR)?.votes).toBe(0);
  });
});
