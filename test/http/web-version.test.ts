// The web version of a sent edition is rendered once and served from storage (docs/operations.md, Static web versions).
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/adapters/database.js';
import { silentLogger } from '../../src/adapters/logger.js';
import { createOutboxTransport } from '../../src/adapters/outbox-transport.js';
import { fixedClock } from '../../src/domain/clock.js';
import { startEdition } from '../../src/services/freeze-edition.js';
import { sendEdition } from '../../src/services/send-edition.js';
import { addSubscribers } from '../../src/services/subscribers.js';
import { createApp } from '../../src/web/app.js';
import { scratchDir } from '../support/cli.js';
import { testDatabase } from '../support/db.js';
import { AFTER_W47, importSamples, sendDeps, testConfig } from '../support/sending.js';

describe('GET /editions/:week', () => {
  let db: Db;
  const clock = fixedClock(AFTER_W47);
  const outbox = () => createOutboxTransport(join(scratchDir(), 'outbox'), clock);
  /** A web server process as it starts: nothing in memory yet. */
  const freshApp = () =>
    createApp({ db, clock, config: testConfig(), transport: outbox(), log: silentLogger });
  const stored = () => db.selectFrom('web_versions').selectAll().execute();

  beforeEach(async () => {
    db = await testDatabase();
    await importSamples(db);
    await addSubscribers({ db, clock }, ['reader@example.com'], { status: 'active', categories: [] });
  });
  afterEach(async () => {
    await db.destroy();
  });

  it('renders a sent edition once, stores it, and serves it with a strong ETag and Cache-Control', async () => {
    await sendEdition(sendDeps(db, outbox()), '2026-W47');
    expect(await stored()).toEqual([]);
    const response = await freshApp().request('/editions/2026-W47');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=UTF-8');
    expect(response.headers.get('cache-control')).toBe('public, max-age=3600');
    const etag = response.headers.get('etag');
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{32}"$/);
    const html = await response.text();
    expect(html).toContain('Claude Code vs Aider');
    expect(await stored()).toEqual([
      { edition_id: expect.any(Number), html, etag, rendered_at: AFTER_W47.toISOString() },
    ]);
  });

  it('serves what is stored, never a new rendering (a sent edition never changes)', async () => {
    await sendEdition(sendDeps(db, outbox()), '2026-W47');
    await freshApp().request('/editions/2026-W47');
    // As if an earlier template version had rendered it: that page stays as it was published.
    await db.updateTable('web_versions').set({ html: '<p>as published</p>', etag: '"published"' }).execute();
    const later = await freshApp().request('/editions/2026-W47');
    expect(await later.text()).toBe('<p>as published</p>');
    expect(later.headers.get('etag')).toBe('"published"');
  });

  it('answers 304 with no body to a client that already has the page', async () => {
    await sendEdition(sendDeps(db, outbox()), '2026-W47');
    const app = freshApp();
    const etag = (await app.request('/editions/2026-W47')).headers.get('etag') ?? '';
    const again = await app.request('/editions/2026-W47', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect(again.headers.get('etag')).toBe(etag);
    expect(again.headers.get('cache-control')).toBe('public, max-age=3600');
    const other = await app.request('/editions/2026-W47', { headers: { 'if-none-match': '"other"' } });
    expect(other.status).toBe(200);
  });

  it('stores one page when two first requests arrive together', async () => {
    await sendEdition(sendDeps(db, outbox()), '2026-W47');
    const [one, two] = await Promise.all([
      freshApp().request('/editions/2026-W47'),
      freshApp().request('/editions/2026-W47'),
    ]);
    expect(one.headers.get('etag')).toBe(two.headers.get('etag'));
    expect(await stored()).toHaveLength(1);
  });

  it('has no page, and stores none, for an edition that is not sent', async () => {
    await startEdition(sendDeps(db, outbox()), '2026-W47');
    const app = freshApp();
    for (const week of ['2026-W47', '2026-W40', 'not-a-week']) {
      const response = await app.request(`/editions/${week}`);
      expect(response.status).toBe(404);
      expect(response.headers.get('etag')).toBeNull();
    }
    expect(await stored()).toEqual([]);
  });
});
