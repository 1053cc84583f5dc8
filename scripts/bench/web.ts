// The stored web version of a sent edition against /healthz, on the built `digest serve`.
import { type LoadResult, load, row, sentEditionDatabase, startServe, WEEK } from './kit.js';

/** Throws unless every answer of a load run had status 200. */
function allOk(url: string, result: LoadResult): LoadResult {
  const other = Object.entries(result.statuses).filter(([status]) => status !== '200');
  if (other.length > 0)
    throw new Error(`${url} answered ${other.map(([status, n]) => `${n} × ${status}`).join(', ')}`);
  return result;
}

/**
 * 20 concurrent clients for 5 s on each, in the same run. The first request renders and stores the page;
 * every later one reads it.
 */
export async function web(): Promise<void> {
  const path = await sentEditionDatabase(1000);
  const serve = await startServe(path);
  const { base } = serve;
  const edition = `${base}/editions/${WEEK}`;
  const health = `${base}/healthz`;
  try {
    const page = await fetch(edition);
    const etag = page.headers.get('etag');
    const cacheControl = page.headers.get('cache-control');
    await page.arrayBuffer();
    const revalidated = await fetch(edition, { headers: { 'if-none-match': etag ?? '' } });
    await revalidated.arrayBuffer();
    allOk(health, await load(health, 20, 1000)); // warm-up
    const healthRun = allOk(health, await load(health, 20, 5000));
    const editionRun = allOk(edition, await load(edition, 20, 5000));
    row(
      'GET /healthz, 20 clients',
      `${Math.round(healthRun.rate)} req/s, p50 ${healthRun.p50.toFixed(1)} ms`,
    );
    row(
      `GET /editions/${WEEK} (stored web version), 20 clients`,
      `${Math.round(editionRun.rate)} req/s, p50 ${editionRun.p50.toFixed(1)} ms`,
    );
    row('web version / healthz throughput (target ≥ 0.5)', (editionRun.rate / healthRun.rate).toFixed(2));
    row(
      'web version headers',
      `ETag ${etag}, Cache-Control ${cacheControl}, revalidation ${revalidated.status}`,
    );
  } finally {
    await serve.stop();
  }
}
