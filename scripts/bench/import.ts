// Imports and listing at a million rows, with the built command: `subscribers import` of a large CSV,
// `import` of a ~50 MB comparisons file, and `subscribers list` of every row into a sink.

import { once } from 'node:events';
import { createWriteStream, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchDatabase, benchScratchDir, row, runBuilt } from './kit.js';

const COMPARISONS = new URL('../../test/fixtures/comparisons/', import.meta.url);

const CATEGORY_MIX = '1 in 20 unsubscribed, 1 in 3 following one category, 1 in 3 two';

/** One CSV line of reader `index`, as CATEGORY_MIX says. */
function readerLine(index: number): string {
  const status = index % 20 === 0 ? 'unsubscribed' : 'active';
  const categories = ['', 'Coding Agents', '"Local Inference;Image Generation"'][index % 3];
  return `reader-${index}@example.com,${status},${categories}\n`;
}

/** Writes a subscriber CSV of `rows` readers to `file`, streamed in chunks (never whole in memory). */
async function writeSubscriberCsv(file: string, rows: number): Promise<void> {
  const out = createWriteStream(file);
  out.write('email,status,categories\n');
  for (let start = 0; start < rows; start += 10_000) {
    let chunk = '';
    for (let index = start; index < Math.min(rows, start + 10_000); index++) chunk += readerLine(index);
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/** A file of about `bytes` of comparisons, as one JSON array: the sample ones again and again, new slugs. */
function writeComparisonsFile(file: string, bytes: number): number {
  const samples = readdirSync(COMPARISONS)
    .filter((name) => name.endsWith('.json'))
    .map((name) => JSON.parse(readFileSync(new URL(name, COMPARISONS), 'utf8')) as { slug: string });
  const documents: string[] = [];
  let size = 2;
  for (let index = 0; size < bytes; index++) {
    const sample = samples[index % samples.length] as { slug: string };
    const text = JSON.stringify({ ...sample, slug: `${sample.slug}-${index}` });
    documents.push(text);
    size += text.length + 1;
  }
  writeFileSync(file, `[${documents.join(',')}]`);
  return documents.length;
}

const mb = (value: number) => `${value.toFixed(0)} MB`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const perSecond = (count: number, ms: number) => Math.round((count * 1000) / ms).toLocaleString('en');
/** The first line a command printed, for a row: what it did or why it refused. */
const firstLine = (text: string) =>
  text
    .split('\n')
    .find((line) => line.trim() !== '')
    ?.trim()
    .slice(0, 160) ?? '(nothing)';

/** `rows` readers through `digest subscribers import`, then `digest subscribers list` of all of them. */
async function subscriberImportAndList(dir: string, rows: number): Promise<void> {
  const file = join(dir, 'subscribers.csv');
  await writeSubscriberCsv(file, rows);
  const location = await benchDatabase(0);
  const env = { DIGEST_DB: location };
  // Without a terminal the command prints "Checked N rows." once its first pass is done: the split of time.
  const started = performance.now();
  let checkedAt: number | undefined;
  const imported = await runBuilt(['subscribers', 'import', file], env, {
    onStdout: (chunk) => {
      if (checkedAt === undefined && chunk.includes('Checked ')) checkedAt = performance.now() - started;
    },
  });
  if (imported.code !== 0)
    throw new Error(`digest subscribers import exited ${imported.code}: ${imported.stderr.slice(-2000)}`);
  const stages =
    checkedAt === undefined
      ? ''
      : ` (checking ${seconds(checkedAt)}, writing ${seconds(imported.ms - checkedAt)})`;
  row(
    `import ${rows.toLocaleString('en')} rows (digest subscribers import, fresh database; ${CATEGORY_MIX})`,
    `${perSecond(rows, imported.ms)} rows/s (target ≥ 20,000), ${seconds(imported.ms)}${stages}, peak RSS ${mb(imported.peakRssMb)} (target ≤ 200 MB)`,
  );
  let lines = 0;
  const listed = await runBuilt(['subscribers', 'list'], env, {
    onStdout: (chunk) => {
      for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines++;
    },
  });
  if (listed.code !== 0)
    throw new Error(`digest subscribers list exited ${listed.code}: ${listed.stderr.slice(-2000)}`);
  row(
    `digest subscribers list of ${rows.toLocaleString('en')} rows into a sink`,
    `${lines.toLocaleString('en')} lines, ${seconds(listed.ms)}, peak RSS ${mb(listed.peakRssMb)} (target ≤ 200 MB)`,
  );
}

/** A ~50 MB comparisons file through `digest import`: imported, or refused in one sentence. */
async function largeComparisonsImport(dir: string): Promise<void> {
  const file = join(dir, 'comparisons.json');
  const count = writeComparisonsFile(file, 50 * 1024 * 1024);
  const location = await benchDatabase(0);
  const result = await runBuilt(['import', file], { DIGEST_DB: location });
  const outcome =
    result.code === 0 ? `imported: ${firstLine(result.stdout)}` : `refused: ${firstLine(result.stderr)}`;
  row(
    `digest import of one 50 MB file (${count.toLocaleString('en')} comparisons)`,
    `exit ${result.code}, ${seconds(result.ms)}, peak RSS ${mb(result.peakRssMb)} (target ≤ 200 MB); ${outcome.replace(dir, '<scratch>')}`,
  );
}

export async function imports(rows: number): Promise<void> {
  const dir = benchScratchDir();
  await subscriberImportAndList(dir, rows);
  await largeComparisonsImport(dir);
}
