// npm run demo: a working newsletter in one command. Loads the sample comparisons re-dated into the last
// completed week, adds sample subscribers, sends that week's digest to the outbox and serves the web pages.
// It uses its own database and outbox (data/demo.sqlite, outbox/demo) and starts afresh on every run.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createTransport } from '../src/adapters/create-transport.js';
import { openDatabase } from '../src/adapters/database.js';
import { silentLogger } from '../src/adapters/logger.js';
import { listOutbox } from '../src/adapters/outbox-transport.js';
import { findSubscriberByKey } from '../src/adapters/subscriber-repository.js';
import { loadConfig, readEnvironment } from '../src/config.js';
import { systemClock } from '../src/domain/clock.js';
import { recipientLinks } from '../src/domain/digest-message.js';
import { formatWeekKey, lastCompletedWeek, sameMomentInWeek } from '../src/domain/weeks.js';
import { createDigestRenderer } from '../src/services/digest-renderer.js';
import { importComparisons } from '../src/services/import-comparisons.js';
import { personalisedPieces } from '../src/services/personalise.js';
import { sendEdition } from '../src/services/send-edition.js';
import { addSubscribers } from '../src/services/subscribers.js';
import { startServer } from '../src/web/server.js';

const SAMPLES = new URL('../test/fixtures/comparisons/', import.meta.url).pathname;

const config = loadConfig({
  ...readEnvironment(),
  DIGEST_DB: process.env.DIGEST_DB ?? 'data/demo.sqlite',
  DIGEST_OUTBOX_DIR: process.env.DIGEST_OUTBOX_DIR ?? 'outbox/demo',
  // The demo never sends real mail, whatever .env says.
  RESEND_API_KEY: '',
  DIGEST_EDITORS: process.env.DIGEST_EDITORS || 'editor@example.com',
});
const clock = systemClock;
const now = clock.now();
const week = lastCompletedWeek(now, config.timeZone);
const weekKey = formatWeekKey(week);

for (const path of [config.database, `${config.database}-wal`, `${config.database}-shm`, config.outboxDir]) {
  rmSync(path, { recursive: true, force: true });
}

const staging = mkdtempSync(join(tmpdir(), 'verdict-demo-'));
for (const name of readdirSync(SAMPLES).filter((file) => file.endsWith('.json'))) {
  const document = JSON.parse(readFileSync(join(SAMPLES, name), 'utf8'));
  document.publishedAt = sameMomentInWeek(
    new Date(document.publishedAt),
    week,
    config.timeZone,
  ).toISOString();
  writeFileSync(join(staging, name), JSON.stringify(document));
}

const db = await openDatabase(config.database);
const imported = await importComparisons({ db, clock }, [staging]);
rmSync(staging, { recursive: true, force: true });
if (!imported.ok) throw new Error(`sample import failed: ${JSON.stringify(imported.problems)}`);

const subscribers = { db, clock };
await addSubscribers(subscribers, ['ada@example.com', 'grace@example.com', 'alan@example.org'], {
  status: 'active',
  categories: [],
});
await addSubscribers(subscribers, ['linus@example.org'], {
  status: 'active',
  categories: ['Local Inference'],
});
await addSubscribers(subscribers, ['margaret@example.net'], { status: 'pending', categories: [] });
await addSubscribers(subscribers, ['nobody@example.net'], { status: 'active', categories: ['Robotics'] });

const transport = createTransport(config, clock);
const report = await sendEdition(
  {
    db,
    clock,
    config,
    transport,
    renderer: createDigestRenderer(config),
    personalise: personalisedPieces,
    log: silentLogger,
  },
  weekKey,
);

const server = await startServer({ db, clock, config, transport, log: silentLogger }, config.port);
const ada = await findSubscriberByKey(db, 'ada@example.com');
const links = recipientLinks(config.publicUrl, ada?.token ?? '');
const outbox = await listOutbox(config.outboxDir);
console.log(`
Weekly AI Tool Verdicts demo
  ${imported.added.length} sample comparisons dated into ${weekKey}; 6 sample subscribers.
  ${report.message} Sent ${report.counts?.byStatus.sent ?? 0}, skipped ${report.counts?.byStatus.skipped ?? 0} (pending confirmation, no matching categories).

Look at:
  the outbox (${`${outbox.length} .eml files)`.padEnd(29)} ${resolve(config.outboxDir)}
  sign-up page                              ${config.publicUrl}/
  this week's edition on the web            ${config.publicUrl}/editions/${weekKey}
  archive feed                              ${config.publicUrl}/feed.xml
  ada@example.com's preferences             ${links.preferencesUrl}
  ada@example.com's unsubscribe page        ${links.unsubscribeUrl}
  editor console (as ${config.editors[0]}; the sign-in link lands in the outbox)
                                            ${config.publicUrl}/admin

Serving on ${server.url}. Press Ctrl-C to stop.`);

// Ctrl-C reaches the demo twice: from the terminal (the whole foreground group) and relayed by tsx. With a
// one-time handler the second would kill the process mid-shutdown, so every signal is kept handled.
await new Promise<void>((resolveStop) => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => resolveStop());
});
await server.close();
await db.destroy();
console.log('Demo stopped.');
