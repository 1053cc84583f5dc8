// Shared set-up for sending tests: a real database with the shared comparisons imported, subscribers, and
// the dependencies of sendEdition built from the real renderer and a real transport.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../../src/adapters/database.js';
import { silentLogger } from '../../src/adapters/logger.js';
import type { Transport } from '../../src/adapters/transport.js';
import { type Config, loadConfig } from '../../src/config.js';
import { fixedClock } from '../../src/domain/clock.js';
import { createDigestRenderer } from '../../src/services/digest-renderer.js';
import { importComparisons } from '../../src/services/import-comparisons.js';
import { personalisedPieces } from '../../src/services/personalise.js';
import type { SendDeps } from '../../src/services/send-edition.js';
import { addSubscribers } from '../../src/services/subscribers.js';

export const comparisonsDir = new URL('../fixtures/comparisons/', import.meta.url).pathname;
/** Wednesday after 2026-W47: the W47 edition is due. */
export const AFTER_W47 = new Date('2026-11-25T10:00:00Z');

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    DIGEST_DB: ':memory:',
    DIGEST_PUBLIC_URL: 'https://news.verdicts.test',
    DIGEST_FROM: 'Weekly AI Tool Verdicts <verdicts@verdicts.test>',
    DIGEST_SEND_RATE: '1000',
    ...overrides,
  });
}

export async function importSamples(db: Db, at = new Date('2026-11-20T00:00:00Z')): Promise<void> {
  const result = await importComparisons({ db, clock: fixedClock(at) }, [comparisonsDir]);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
}

/** `count` active subscribers named reader-0001@example.com ... following everything. */
export async function addReaders(db: Db, count: number, categories: string[] = []): Promise<string[]> {
  const emails = Array.from(
    { length: count },
    (_, index) => `reader-${String(index + 1).padStart(4, '0')}@example.com`,
  );
  await addSubscribers({ db, clock: fixedClock(new Date('2026-11-01T00:00:00Z')) }, emails, {
    status: 'active',
    categories,
  });
  return emails;
}

export function sendDeps(db: Db, transport: Transport, overrides: Partial<SendDeps> = {}): SendDeps {
  const config = testConfig();
  return {
    db,
    clock: fixedClock(AFTER_W47),
    config,
    transport,
    renderer: createDigestRenderer(config),
    personalise: personalisedPieces,
    log: silentLogger,
    random: () => 0.5,
    backoff: { baseMs: 5, maxMs: 50 },
    ...overrides,
  };
}

export function outboxDir(root: string): string {
  return join(root, 'outbox');
}

/**
 * `count` more comparisons like the shared W47 one, published at `publishedAt` (default in 2026-W47),
 * written to `<prefix>.json` in `dir`; returns the file.
 */
export function writeManyComparisons(
  dir: string,
  count: number,
  prefix: string,
  publishedAt = '2026-11-18T12:00:00Z',
): string {
  const seed = JSON.parse(
    readFileSync(join(comparisonsDir, '2026-w47-claude-code-vs-aider.json'), 'utf8'),
  ) as Record<string, unknown>;
  const documents = Array.from({ length: count }, (_, index) => ({
    ...seed,
    slug: `${prefix}-${index}`,
    title: `${prefix} comparison number ${index}`,
    publishedAt,
  }));
  const file = join(dir, `${prefix}.json`);
  writeFileSync(file, JSON.stringify(documents));
  return file;
}
