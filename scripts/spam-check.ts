// npm run spam-check: sends the W47 digest to the outbox and scores the .eml with SpamAssassin's local
// rules (`spamassassin -L -t`, Debian package `spamassassin`). Passes under 1.0 points.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createOutboxTransport, listOutbox } from '../src/adapters/outbox-transport.js';
import { sendEdition } from '../src/services/send-edition.js';
import { scratchDir } from '../test/support/cli.js';
import { testDatabase } from '../test/support/db.js';
import { addReaders, importSamples, sendDeps } from '../test/support/sending.js';

const LIMIT = 1.0;

if (spawnSync('spamassassin', ['--version']).error) {
  console.error('spamassassin is not installed: apt-get install spamassassin');
  process.exit(2);
}
const outbox = join(scratchDir('digest-spam-'), 'outbox');
const db = await testDatabase();
await importSamples(db);
await addReaders(db, 1);
await sendEdition(sendDeps(db, createOutboxTransport(outbox)), '2026-W47');
await db.destroy();
const [file] = await listOutbox(outbox);
if (!file) throw new Error('no digest in the outbox');
const report = spawnSync('spamassassin', ['-L', '-t'], {
  input: readFileSync(join(outbox, file)),
  encoding: 'utf8',
});
const score = Number(/X-Spam-Status: \w+, score=(-?[\d.]+)/.exec(report.stdout)?.[1]);
const rules = report.stdout.slice(report.stdout.lastIndexOf('Content analysis details:'));
console.log(rules.trim());
console.log(`\nSpamAssassin score of the 2026-W47 digest: ${score} (must be below ${LIMIT})`);
process.exitCode = Number.isFinite(score) && score < LIMIT ? 0 : 1;
