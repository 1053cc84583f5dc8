// A week of 2,500 comparisons through the built command (dist/digest.js, with its 64 MB heap cap): the
// console page, the send and the web version each answer and stay up, rendering only what they show. The
// peak resident memory of each process is printed, read from /proc while it runs.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/adapters/database.js';
import { systemClock } from '../../src/domain/clock.js';
import { weekToSend } from '../../src/domain/schedule.js';
import { requireWeek, weekWindow } from '../../src/domain/weeks.js';
import { importComparisons } from '../../src/services/import-comparisons.js';
import { type DigestChild, spawnDigest } from '../support/child.js';
import { scratchDir } from '../support/cli.js';
import { engine, freshDatabase } from '../support/db.js';
import { addReaders, comparisonsDir } from '../support/sending.js';

const COMPARISONS = 2_500;
const READERS = 40;
const SESSION = 'huge-week-editor-session';
const EDITOR = 'editor@example.com';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** The highest resident set size (VmHWM, in MB) the process has had so far, or 0 once it is gone. */
function peakRss(pid: number | undefined): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

/** Follows a child's peak memory while it runs: the last reading before it exits is its peak. */
function watchPeak(child: DigestChild): () => number {
  let peak = 0;
  const timer = setInterval(() => {
    peak = Math.max(peak, peakRss(child.pid));
  }, 50);
  child.on('exit', () => clearInterval(timer));
  return () => Math.max(peak, peakRss(child.pid));
}

/** `digest serve` on a free port, once it answers /healthz. */
async function serve(env: Record<string, string>) {
  const port = await freePort();
  const child = spawnDigest(['serve'], { ...env, PORT: String(port), DIGEST_EDITORS: EDITOR });
  let log = '';
  child.stderr.on('data', (chunk) => {
    log += chunk;
  });
  child.stdout.on('data', () => undefined);
  const peak = watchPeak(child);
  const base = `http://127.0.0.1:${port}`;
  for (let tries = 0; ; tries++) {
    if (child.exitCode !== null) throw new Error(`serve exited: ${log}`);
    if (
      await fetch(`${base}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (tries > 300) throw new Error('serve did not start');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    base,
    child,
    log: () => log,
    peak,
    async stop() {
      child.kill('SIGINT');
      return exited;
    },
  };
}

describe.skipIf(engine !== 'sqlite')('a week of 2,500 comparisons through the built command', () => {
  const dir = scratchDir();
  const week = weekToSend(new Date(), 'UTC');
  let env: Record<string, string>;
  const peaks: Record<string, number> = {};

  beforeAll(async () => {
    env = { DIGEST_DB: await freshDatabase(dir), DIGEST_OUTBOX_DIR: join(dir, 'outbox') };
    // Distinct slugs, published a minute apart inside the last completed week: the one /admin shows.
    const base = JSON.parse(
      readFileSync(join(comparisonsDir, '2026-w47-cursor-vs-windsurf.json'), 'utf8'),
    ) as Record<string, unknown>;
    const start = weekWindow(requireWeek(week), 'UTC').start.getTime();
    const docs = join(dir, 'comparisons');
    mkdirSync(docs);
    for (let i = 0; i < COMPARISONS; i++) {
      const slug = `huge-week-${String(i).padStart(4, '0')}`;
      const doc = {
        ...base,
        slug,
        headline: `${String(base.headline)} (${i})`,
        publishedAt: new Date(start + 3_600_000 + i * 60_000).toISOString(),
      };
      writeFileSync(join(docs, `${slug}.json`), JSON.stringify(doc));
    }
    // Imported through the service (the command's import is another test's subject), readers likewise.
    const db = await openDatabase(env.DIGEST_DB ?? '');
    try {
      const imported = await importComparisons({ db, clock: systemClock }, [docs]);
      expect(imported.ok && imported.added.length).toBe(COMPARISONS);
      await addReaders(db, READERS);
    } finally {
      await db.destroy();
    }
    // A signed-in editor, as the sign-in link leaves one: the session's hash is stored, never the token.
    const sessions = new SQLite(env.DIGEST_DB);
    const at = new Date().toISOString();
    sessions
      .prepare(
        'INSERT INTO editor_sessions (id_hash, email, created_at, last_seen_at, flash) VALUES (?, ?, ?, ?, NULL)',
      )
      .run(createHash('sha256').update(SESSION).digest('hex'), EDITOR, at, at);
    sessions.close();
  }, 240_000);

  afterAll(() => {
    console.info(`peak RSS (MB) for ${COMPARISONS} comparisons:`, peaks);
  });

  const asEditor = { headers: { cookie: `digest_editor=${SESSION}` } };

  it('shows the draft in /admin a page of items at a time, with its preview, and stays up', async () => {
    const server = await serve(env);
    try {
      const page = await fetch(`${server.base}/admin`, asEditor);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('Items 1–100 of 2,500, page 1 of 25.');
      // Newest first: the first page is 2499 down to 2400.
      expect(html.includes('huge-week-2400')).toBe(true);
      expect(html.includes('huge-week-2399')).toBe(false);
      const last = await (await fetch(`${server.base}/admin?page=25`, asEditor)).text();
      expect(last.includes('huge-week-0000')).toBe(true);
      const preview = await fetch(`${server.base}/admin/preview?week=${week}`, asEditor);
      expect(preview.status).toBe(200);
      expect(Buffer.byteLength(await preview.text())).toBeLessThan(100_000);
      expect((await fetch(`${server.base}/healthz`)).status).toBe(200);
      peaks['serve /admin'] = Math.round(server.peak());
    } finally {
      expect(await server.stop()).toBe(0);
    }
  }, 180_000);

  it('sends the week to every reader once, exit 0, within the heap cap', async () => {
    const child = spawnDigest(['send', '--week', week], env);
    const peak = watchPeak(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    peaks.send = Math.round(peak());
    expect(stderr).not.toMatch(/FATAL|out of memory|^\s+at /m);
    expect(stdout).toContain(`${week} sent.`);
    expect(code).toBe(0);
    const db = new SQLite(env.DIGEST_DB, { readonly: true });
    const rows = db
      .prepare(
        "SELECT COUNT(*) AS n, COUNT(DISTINCT subscriber_id) AS readers FROM deliveries WHERE status = 'sent'",
      )
      .get() as { n: number; readers: number };
    const items = db.prepare('SELECT COUNT(*) AS n FROM edition_items').get() as { n: number };
    db.close();
    expect(rows).toEqual({ n: READERS, readers: READERS });
    expect(items.n).toBe(COMPARISONS);
  }, 240_000);

  it('serves the web version (first requests together render it once) and the frozen /admin, and stays up', async () => {
    const server = await serve(env);
    try {
      const pages = await Promise.all(
        [1, 2, 3].map(() =>
          fetch(`${server.base}/editions/${week}`).then(async (r) => [r.status, await r.text()]),
        ),
      );
      for (const [status] of pages) expect(status).toBe(200);
      const html = String(pages[0]?.[1]);
      expect(new Set(pages.map(([, body]) => body)).size).toBe(1);
      // Newest first: 50 cards (2499 to 2450), the next 450 as lines with the ids the email's links
      // point at (2449 to 2000), the rest counted.
      const has = (text: string) => html.includes(text);
      expect(has('id="huge-week-2450"')).toBe(true);
      expect(has('<p id="huge-week-2450"')).toBe(false);
      expect(has('<p id="huge-week-2449"')).toBe(true);
      expect(has('<p id="huge-week-2000"')).toBe(true);
      expect(has('huge-week-1999')).toBe(false);
      expect(has('And 2000 more verdicts this week, on the site')).toBe(true);
      expect(Buffer.byteLength(html)).toBeLessThan(1_500_000);
      const frozen = await fetch(`${server.base}/admin?week=${week}`, asEditor);
      expect(frozen.status).toBe(200);
      expect(await frozen.text()).toContain('Items 1–100 of 2,500');
      // The feed's item lists the edition's first comparisons and counts the rest.
      const feed = await fetch(`${server.base}/feed.xml`);
      expect(feed.status).toBe(200);
      const xml = await feed.text();
      expect(xml).toContain('And 2450 more in the web version.');
      expect(xml).toContain('2500 comparisons, each scored by our panel.');
      expect(xml).toContain('and 2499 more verdicts');
      expect((await fetch(`${server.base}/healthz`)).status).toBe(200);
      peaks['serve /editions'] = Math.round(server.peak());
      expect(server.log()).not.toMatch(/FATAL|out of memory/);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  }, 180_000);
});
