// Pages, the feed and robots.txt are served compressed, Brotli or gzip as the client asks, and decompress
// to the very page an uncompressing client gets; validators and 304s keep working through it.
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/adapters/database.js';
import { silentLogger } from '../../src/adapters/logger.js';
import { createOutboxTransport } from '../../src/adapters/outbox-transport.js';
import { fixedClock } from '../../src/domain/clock.js';
import { sendEdition } from '../../src/services/send-edition.js';
import { addSubscribers } from '../../src/services/subscribers.js';
import { createApp } from '../../src/web/app.js';
import { type RunningServer, startServer } from '../../src/web/server.js';
import { scratchDir } from '../support/cli.js';
import { testDatabase } from '../support/db.js';
import { AFTER_W47, importSamples, sendDeps, testConfig } from '../support/sending.js';
import { markWeekSent } from '../support/sent-weeks.js';

const decompress = (coding: string | null, bytes: Buffer) =>
  (coding === 'br' ? brotliDecompressSync(bytes) : coding === 'gzip' ? gunzipSync(bytes) : bytes).toString(
    'utf8',
  );

describe('compression', () => {
  let db: Db;
  const clock = fixedClock(AFTER_W47);
  const outbox = () => createOutboxTransport(join(scratchDir(), 'outbox'), clock);
  const deps = () => ({ db, clock, config: testConfig(), transport: outbox(), log: silentLogger });

  beforeEach(async () => {
    db = await testDatabase();
    await importSamples(db);
    await addSubscribers({ db, clock }, ['reader@example.com'], { status: 'active', categories: [] });
    await sendEdition(sendDeps(db, outbox()), '2026-W47');
    await markWeekSent(db, '2026-W46', new Date('2026-11-18T10:00:00Z'));
  });
  afterEach(async () => {
    await db.destroy();
  });

  const PUBLIC = ['/', '/editions', '/editions/2026-W47', '/feed.xml', '/robots.txt'];

  it.each(['br', 'gzip'])(
    'serves every public page and the feed as %s, decompressing to the same bytes',
    async (coding) => {
      const app = createApp(deps());
      for (const path of PUBLIC) {
        const plain = await app.request(path);
        expect(plain.headers.get('content-encoding')).toBeNull();
        expect(plain.headers.get('vary')).toBe('Accept-Encoding');
        const identity = await plain.text();
        const packed = await app.request(path, { headers: { 'accept-encoding': `deflate, ${coding}` } });
        expect(packed.status).toBe(200);
        expect(packed.headers.get('content-encoding')).toBe(coding);
        expect(packed.headers.get('vary')).toBe('Accept-Encoding');
        expect(packed.headers.get('content-type')).toBe(plain.headers.get('content-type'));
        const bytes = Buffer.from(await packed.arrayBuffer());
        expect(decompress(coding, bytes)).toBe(identity);
        if (identity.length > 4000) expect(bytes.length).toBeLessThan(identity.length / 3);
      }
    },
  );

  it('prefers Brotli when a browser offers both, and sends what the client weighs higher', async () => {
    const app = createApp(deps());
    const encoding = async (accept: string) =>
      (await app.request('/', { headers: { 'accept-encoding': accept } })).headers.get('content-encoding');
    expect(await encoding('gzip, deflate, br, zstd')).toBe('br');
    expect(await encoding('br;q=0.5, gzip')).toBe('gzip');
    expect(await encoding('identity')).toBeNull();
  });

  it('gives a compressed page a weak ETag that still gets its 304, and the same compressed bytes each time', async () => {
    const app = createApp(deps());
    const plainTag = (await app.request('/editions/2026-W47')).headers.get('etag') ?? '';
    expect(plainTag).toMatch(/^"/);
    for (const path of ['/editions/2026-W47', '/feed.xml']) {
      const headers = { 'accept-encoding': 'gzip' };
      const first = await app.request(path, { headers });
      const etag = first.headers.get('etag') ?? '';
      expect(etag).toMatch(/^W\/"[A-Za-z0-9_-]{32}"$/);
      const bytes = Buffer.from(await first.arrayBuffer());
      const second = await app.request(path, { headers });
      expect(Buffer.from(await second.arrayBuffer()).equals(bytes)).toBe(true);
      const again = await app.request(path, { headers: { ...headers, 'if-none-match': etag } });
      expect(again.status).toBe(304);
      expect(again.headers.get('etag')).toBe(etag);
      expect(again.headers.get('vary')).toBe('Accept-Encoding');
      expect(await again.text()).toBe('');
    }
    // The client that got the uncompressed page keeps its strong tag.
    const plain = await app.request('/editions/2026-W47', { headers: { 'if-none-match': plainTag } });
    expect(plain.status).toBe(304);
    expect(plain.headers.get('etag')).toBe(plainTag);
  });

  it('leaves the health check, the JSON API, HEAD requests and the editor console as they are', async () => {
    const app = createApp(deps());
    const headers = { 'accept-encoding': 'br, gzip' };
    expect((await app.request('/healthz', { headers })).headers.get('content-encoding')).toBeNull();
    const head = await app.request('/editions', { method: 'HEAD', headers });
    expect(head.headers.get('content-encoding')).toBeNull();
    const admin = await app.request('/admin/sign-in', { headers });
    expect(admin.headers.get('content-encoding')).toBeNull();
  });

  describe('over real HTTP (@hono/node-server)', () => {
    let server: RunningServer | undefined;
    afterEach(async () => {
      await server?.close();
      server = undefined;
    });

    /** The raw answer: node:http does not decompress, so the bytes are those on the wire. */
    const get = (url: string, headers: Record<string, string>) =>
      new Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
        httpRequest(url, { headers }, (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 0,
              headers: response.headers,
              body: Buffer.concat(chunks),
            }),
          );
        })
          .on('error', reject)
          .end();
      });

    it('sends compressed bytes on the wire that decompress to the page', async () => {
      server = await startServer(deps(), 0, '127.0.0.1');
      for (const path of PUBLIC)
        for (const coding of ['br', 'gzip']) {
          const plain = await get(`${server.url}${path}`, {});
          const packed = await get(`${server.url}${path}`, { 'accept-encoding': coding });
          expect(packed.status).toBe(200);
          expect(packed.headers['content-encoding']).toBe(coding);
          expect(decompress(coding, packed.body)).toBe(plain.body.toString('utf8'));
        }
    });
  });
});
