// The pacing of `digest send` against the local server's enforced limit (requests in any rolling second,
// announced on every answer in ratelimit-limit): how much of the limit it used, and whether it was refused.
import { type ResendServer, startResendServer } from '../../test/support/resend-server.js';
import { API_KEY, benchDatabase, row } from './kit.js';
import { runSend } from './send.js';

/** Requests a second over a run of arrival times (ms): the gaps between them, not the ends. */
function rateOf(arrivals: readonly number[]): number {
  const span = ((arrivals.at(-1) ?? 0) - (arrivals[0] ?? 0)) / 1000;
  return arrivals.length > 1 && span > 0 ? (arrivals.length - 1) / span : 0;
}

const percentOf = (achieved: number, limit: number) => `${((achieved / limit) * 100).toFixed(1)}%`;

/** Arrival times of the requests `server` reads from now on. */
function arrivalsAt(server: ResendServer): number[] {
  const arrivals: number[] = [];
  server.onRequest((phase) => {
    if (phase === 'received') arrivals.push(performance.now());
  });
  return arrivals;
}

/** A limit of `rate` a second from start to end, with DIGEST_SEND_RATE set to the same figure. */
export async function fixedPacing(rate: number, requests: number): Promise<void> {
  const path = await benchDatabase(requests * 100);
  const server = await startResendServer({ apiKey: API_KEY, keepBodies: false, rateLimit: rate });
  const arrivals = arrivalsAt(server);
  await runSend(path, server.url, rate);
  const stats = server.stats();
  await server.close();
  const achieved = rateOf(arrivals);
  row(
    `limit ${rate} req/s (rolling second), DIGEST_SEND_RATE=${rate}, ${arrivals.length} requests`,
    `${achieved.toFixed(2)} req/s, ${percentOf(achieved, rate)} of the limit (target ≥ 95%), ${stats.rateLimited} answers of 429 (target 0)`,
  );
}

/**
 * The limit the server announces and enforces changes mid-send: 2 a second, then 5 from 20 s after the
 * first request; DIGEST_SEND_RATE=5 is the ceiling. Each phase's rate is taken from the first answer that
 * announced its limit (the sender cannot know it sooner) to the phase's last request.
 */
export async function changingPacing(readers: number): Promise<void> {
  const [before, after, switchAfterMs] = [2, 5, 20_000];
  const path = await benchDatabase(readers);
  const server = await startResendServer({ apiKey: API_KEY, keepBodies: false, rateLimit: before });
  const arrivals: number[] = [];
  let switchedAt = Number.POSITIVE_INFINITY;
  let announcedAt = Number.POSITIVE_INFINITY;
  let refusedBeforeFirstAnswer: number | undefined;
  let timer: NodeJS.Timeout | undefined;
  server.onRequest((phase) => {
    const now = performance.now();
    if (phase === 'received') {
      arrivals.push(now);
      timer ??= setTimeout(() => {
        server.configure({ rateLimit: after });
        switchedAt = performance.now();
      }, switchAfterMs);
    } else {
      refusedBeforeFirstAnswer ??= server.stats().rateLimited;
      if (now > switchedAt && announcedAt === Number.POSITIVE_INFINITY) announcedAt = now;
    }
  });
  try {
    await runSend(path, server.url, after);
  } finally {
    clearTimeout(timer);
  }
  const stats = server.stats();
  await server.close();
  if (switchedAt === Number.POSITIVE_INFINITY) throw new Error('the send ended before the limit changed');
  const first = rateOf(arrivals.filter((time) => time < switchedAt));
  const second = rateOf(arrivals.filter((time) => time >= announcedAt));
  const laterRefusals = stats.rateLimited - (refusedBeforeFirstAnswer ?? 0);
  row(
    `announced limit ${before} then ${after} req/s after ${switchAfterMs / 1000} s, DIGEST_SEND_RATE=${after}, ${arrivals.length} requests`,
    `${first.toFixed(2)} req/s = ${percentOf(first, before)} of ${before}, then ${second.toFixed(2)} req/s = ${percentOf(second, after)} of ${after} (target ≥ 95%); ${laterRefusals} answers of 429 after the first answer (target 0)`,
  );
}
