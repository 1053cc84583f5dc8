// `digest send` end to end against the local Resend-compatible server, as an operator runs it, and the
// ceiling it is compared with: the same server fed pre-built request bodies by a bare client.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { manyComparisons } from '../../emails/_fixtures/comparisons.js';
import { digestMessage, recipientLinks } from '../../src/domain/digest-message.js';
import { renderDigestContent } from '../../src/services/digest-renderer.js';
import { personalise } from '../../src/services/personalise.js';
import { MAX_BATCH_CHARACTERS } from '../../src/services/send-edition.js';
import { startResendServer } from '../../test/support/resend-server.js';
import { testConfig } from '../../test/support/sending.js';
import { API_KEY, benchDatabase, benchScratchDir, row, runBuilt, WEEK } from './kit.js';

const execFileAsync = promisify(execFile);
const BARE_CLIENT = fileURLToPath(new URL('./bare-client.mjs', import.meta.url));

export interface SendReport {
  /** The whole command: start-up, planning, rendering and sending. */
  readonly ms: number;
  /** Emails per second from the first batch's answer to the last one's: the sending loop alone. */
  readonly steadyRate: number;
  readonly maxRssMb: number;
}

/** Reads the JSON log lines of `digest send` (one per batch) for the rate of the sending loop. */
function steadyRate(log: string): number {
  const batches = log
    .split('\n')
    .filter((line) => line.includes('"batch.done"'))
    .map((line) => JSON.parse(line) as { time: string; size: number });
  const first = batches[0];
  const last = batches.at(-1);
  if (!first || !last || first === last) return 0;
  const emails = batches.slice(1).reduce((sum, batch) => sum + batch.size, 0);
  return (emails * 1000) / (Date.parse(last.time) - Date.parse(first.time));
}

/** The built `digest send --week WEEK` to the server at `url`, DIGEST_SEND_RATE=`rate`; throws unless exit 0. */
export async function runSend(path: string, url: string, rate: number): Promise<SendReport> {
  const result = await runBuilt(['send', '--week', WEEK], {
    DIGEST_DB: path,
    RESEND_API_KEY: API_KEY,
    RESEND_BASE_URL: url,
    DIGEST_SECRET: 'bench-secret-0123456789abcdef0123456789',
    DIGEST_PUBLIC_URL: 'https://news.verdicts.test',
    DIGEST_SEND_RATE: String(rate),
  });
  if (result.code !== 0) throw new Error(`digest send exited ${result.code}: ${result.stderr.slice(-2000)}`);
  return { ms: result.ms, steadyRate: steadyRate(result.stderr), maxRssMb: result.peakRssMb };
}

/** Sends to each count in turn with no rate limit; returns the smallest run's sending-loop rate. */
export async function endToEnd(counts: readonly number[]): Promise<number> {
  const results: SendReport[] = [];
  for (const count of counts) {
    const path = await benchDatabase(count);
    const server = await startResendServer({ apiKey: API_KEY, keepBodies: false });
    const result = await runSend(path, server.url, 1000);
    if (server.duplicates().length > 0 || server.stats().accepted !== count)
      throw new Error('the benchmark send was not exactly once');
    await server.close();
    results.push(result);
    row(
      `send ${count.toLocaleString('en')}, no rate limit`,
      `${Math.round((count * 1000) / result.ms).toLocaleString('en')} emails/s whole command, ${Math.round(result.steadyRate).toLocaleString('en')} emails/s sending loop, peak RSS ${result.maxRssMb.toFixed(0)} MB (target < 150 MB)`,
    );
  }
  const [small, large] = results;
  if (small && large) {
    row(
      'sending loop emails/s, largest vs smallest run',
      `${((large.steadyRate / small.steadyRate) * 100).toFixed(0)}%`,
    );
    row(
      'peak RSS, largest vs smallest run (target ≤ 120%)',
      `${((large.maxRssMb / small.maxRssMb) * 100).toFixed(0)}%`,
    );
  }
  return results[0]?.steadyRate ?? 0;
}

/** Ten distinct request bodies cut as the sender cuts them; and how many copies each one carries. */
async function requestBodies(): Promise<{ bodies: string[]; perRequest: number }> {
  const config = testConfig();
  const content = await renderDigestContent(config, {
    weekKey: WEEK,
    weekLabel: 'x',
    subject: 'S',
    comparisons: manyComparisons(3),
    followedCategories: [],
  });
  const envelope = { from: config.from, publicUrl: config.publicUrl, unsubscribeMailto: null };
  // At most 100 copies a request and MAX_BATCH_CHARACTERS of HTML and text, as the sender allows.
  const copyCharacters = content.html.length + content.text.length;
  const perRequest = Math.min(100, Math.floor(MAX_BATCH_CHARACTERS / copyCharacters));
  const bodies = Array.from({ length: 10 }, (_, batch) =>
    JSON.stringify(
      Array.from({ length: perRequest }, (_, index) => {
        const links = recipientLinks(config.publicUrl, `token-${batch}-${index}`);
        return digestMessage(
          envelope,
          `reader-${batch * 100 + index}@example.com`,
          links,
          { subject: 'S', ...personalise(content, links) },
          WEEK,
        );
      }),
    ),
  );
  return { bodies, perRequest };
}

/**
 * The physical ceiling: the same server, pre-built request bodies posted back to back from a process of
 * their own, as `digest send` posts from its own (the server answers from this one, on the other core).
 */
export async function bareLoop(count: number, realRate: number): Promise<void> {
  const server = await startResendServer({ apiKey: API_KEY, keepBodies: false });
  const { bodies, perRequest } = await requestBodies();
  const dir = benchScratchDir();
  const file = join(dir, 'bodies.jsonl');
  writeFileSync(file, bodies.join('\n'));
  const requests = Math.ceil(count / perRequest);
  const { stdout } = await execFileAsync(process.execPath, [
    BARE_CLIENT,
    file,
    server.url,
    API_KEY,
    String(requests),
  ]);
  const rate = (requests * perRequest * 1000) / Number(stdout);
  await server.close();
  row(
    `bare loop, ${count.toLocaleString('en')} emails, ${perRequest} a request (ceiling)`,
    `${Math.round(rate).toLocaleString('en')} emails/s`,
  );
  row('real sending loop / bare loop', `${((realRate / rate) * 100).toFixed(0)}%`);
}
