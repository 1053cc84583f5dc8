// Other writers of the same database while a send runs, as an editor and the web would be: `digest import`
// and `digest subscribers import` as child processes, sign-ups and Resend webhooks over HTTP to a
// `digest serve` child. Used by the concurrent-writers test and by `npm run soak -- --writers`.
import { createHmac } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { type ChildResult, runDigestProcess, spawnDigest } from './child.js';
import { comparisonsDir } from './sending.js';

export interface WriterTally {
  readonly imports: number;
  readonly subscriberImports: number;
  readonly signups: number;
  readonly webhooks: number;
  /** Child runs that exited non-zero, with what they printed. */
  readonly failedRuns: string[];
  /** HTTP answers by status code. */
  readonly statuses: Record<string, number>;
}

/** A port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export const WEBHOOK_SECRET = `whsec_${Buffer.from('writers-webhook-secret').toString('base64')}`;

function signed(body: string, id: string): Record<string, string> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const key = Buffer.from(WEBHOOK_SECRET.slice('whsec_'.length), 'base64');
  const signature = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
  return {
    'content-type': 'application/json',
    'svix-id': id,
    'svix-timestamp': timestamp,
    'svix-signature': `v1,${signature}`,
  };
}

function post(
  url: string,
  body: string,
  headers: Record<string, string>,
  localAddress: string,
): Promise<number> {
  const { hostname, port, pathname } = new URL(url);
  return new Promise((resolve) => {
    const request = httpRequest(
      { hostname, port, path: pathname, method: 'POST', headers, localAddress },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    request.on('error', () => resolve(0));
    request.end(body);
  });
}

/** `digest serve` as a child process on a free port; resolves once it answers /healthz. */
export async function startServeChild(env: Record<string, string>) {
  const port = await freePort();
  const child = spawnDigest(['serve'], { ...env, PORT: String(port), RESEND_WEBHOOK_SECRET: WEBHOOK_SECRET });
  let output = '';
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 300; attempt++) {
    if (child.exitCode !== null) throw new Error(`digest serve exited: ${output}`);
    const ready = await fetch(`${url}/healthz`).then(
      (answer) => answer.ok,
      () => false,
    );
    if (ready) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    output: () => output,
    stop: () =>
      new Promise<number | null>((resolve) => {
        child.once('close', (code) => resolve(code));
        child.kill('SIGTERM');
      }),
  };
}

/**
 * Runs rounds of writers until `keepGoing()` turns false (checked between rounds), at least `minRounds`
 * rounds. Each round: one comparison import, one CSV import of 50 new subscribers, 10 sign-ups from
 * different client addresses and 10 signed webhooks, the HTTP ones concurrently with the child processes.
 */
export async function runWriters(options: {
  readonly env: Record<string, string>;
  readonly dir: string;
  readonly webUrl: string;
  readonly keepGoing: () => boolean;
  readonly minRounds?: number;
}): Promise<WriterTally> {
  const tally = { imports: 0, subscriberImports: 0, signups: 0, webhooks: 0 };
  const failedRuns: string[] = [];
  const statuses: Record<string, number> = {};
  const seed = JSON.parse(
    readFileSync(join(comparisonsDir, '2026-w47-claude-code-vs-aider.json'), 'utf8'),
  ) as Record<string, unknown>;
  const check = (what: string, run: ChildResult) => {
    if (run.code !== 0) failedRuns.push(`${what} exited ${run.code}: ${run.stderr.trim()}`);
  };
  const count = (status: number) => {
    statuses[status] = (statuses[status] ?? 0) + 1;
  };
  for (let round = 0; round < (options.minRounds ?? 1) || options.keepGoing(); round++) {
    const file = join(options.dir, `writer-${round}.json`);
    writeFileSync(file, JSON.stringify({ ...seed, slug: `writer-${round}`, title: `Writer round ${round}` }));
    const csv = join(options.dir, `writer-${round}.csv`);
    writeFileSync(
      csv,
      `email\n${Array.from({ length: 50 }, (_, index) => `w${round}-${index}@example.com`).join('\n')}\n`,
    );
    const http = Promise.all([
      ...Array.from({ length: 10 }, (_, index) =>
        post(
          `${options.webUrl}/subscribe`,
          `email=signup-${round}-${index}%40example.com`,
          { 'content-type': 'application/x-www-form-urlencoded' },
          `127.0.${(round % 200) + 10}.${index + 1}`,
        ).then((status) => {
          count(status);
          tally.signups++;
        }),
      ),
      ...Array.from({ length: 10 }, (_, index) => {
        const body = JSON.stringify({
          type: 'email.delivered',
          created_at: new Date().toISOString(),
          data: { email_id: `writer-${round}-${index}`, to: [`nobody-${index}@example.com`] },
        });
        return post(
          `${options.webUrl}/webhooks/resend`,
          body,
          signed(body, `msg_writer_${round}_${index}`),
          '127.0.0.1',
        ).then((status) => {
          count(status);
          tally.webhooks++;
        });
      }),
    ]);
    check('digest import', await runDigestProcess(['import', file], options.env));
    tally.imports++;
    check('digest subscribers import', await runDigestProcess(['subscribers', 'import', csv], options.env));
    tally.subscriberImports++;
    await http;
  }
  return { ...tally, failedRuns, statuses };
}
