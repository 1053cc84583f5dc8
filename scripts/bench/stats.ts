// `digest stats` over one large edition: the whole command as a child process, and the service alone.
import type { DeliveryEventsTable } from '../../db/schema.js';
import { openDatabase } from '../../src/adapters/database.js';
import { engagementStats } from '../../src/services/engagement.js';
import { AFTER_WEEK, median, row, runBuilt, sentEditionDatabase, WEEK } from './kit.js';

type EventRow = Omit<DeliveryEventsTable, 'id'>;

const LINKS = [
  'https://example.com/compare/claude-code-vs-aider',
  'https://example.com/compare/cursor-3-vs-windsurf-wave-14',
  'https://example.com/compare/hugging-face-inference-providers-hub-vs-mistral-3-small-22b',
  'https://news.verdicts.test/editions/2026-W47',
];
const NO_DETAILS = {
  link: null,
  user_agent: null,
  ip_address: null,
  comparison_slug: null,
  machine_reason: null,
  detail: null,
};

/**
 * Events over the deliveries `ids` of edition `editionId`: every delivery's fate first (2% bounced, 1%
 * failed, some delayed, complaints and unsubscribes), then opens and clicks (a third of the clicks by
 * machines), endlessly.
 */
function* eventMix(ids: readonly number[], editionId: number): Generator<EventRow> {
  const at = (minutes: number) => new Date(AFTER_WEEK.getTime() + minutes * 60_000).toISOString();
  const event = (
    index: number,
    type: EventRow['type'],
    kind: EventRow['kind'] = null,
    extra: Partial<EventRow> = {},
  ): EventRow => ({
    ...NO_DETAILS,
    delivery_id: ids[index % ids.length] ?? 0,
    edition_id: editionId,
    type,
    kind,
    occurred_at: at(index % 5000),
    ...extra,
  });
  for (let index = 0; index < ids.length; index++) {
    const slot = index % 100;
    if (slot === 97) yield event(index, 'bounced', 'permanent');
    else if (slot === 98) yield event(index, 'bounced', 'transient');
    else if (slot === 99) yield event(index, 'failed');
    else yield event(index, 'delivered');
    if (index % 50 === 0) yield event(index, 'delayed');
    if (index % 500 === 1) yield event(index, 'complained');
    if (index % 200 === 3) yield event(index, 'unsubscribed');
  }
  for (let index = 0; ; index++) {
    if (index % 2 === 0) {
      yield event(index * 7, 'opened');
      continue;
    }
    const link = LINKS[index % LINKS.length] ?? '';
    const machine = index % 3 === 0;
    yield event(index * 3, 'clicked', machine ? 'machine' : 'human', {
      link,
      user_agent: machine ? 'Mimecast URL Protect' : 'Mozilla/5.0 (iPhone) Safari/604.1',
      ip_address: '198.51.100.7',
      comparison_slug: link.includes('/compare/') ? (link.split('/').at(-1) ?? null) : null,
      machine_reason: machine ? 'scanner user agent' : null,
    });
  }
}

/**
 * An edition of `deliveries` sent emails with `events` delivery events in a realistic mix (eventMix), all
 * written in bulk.
 */
async function engagementDatabase(deliveries: number, events: number): Promise<string> {
  const path = await sentEditionDatabase(deliveries);
  const db = await openDatabase(path);
  const edition = await db
    .selectFrom('editions')
    .select('id')
    .where('week_key', '=', WEEK)
    .executeTakeFirstOrThrow();
  const ids = (
    await db
      .selectFrom('deliveries')
      .select('id')
      .where('edition_id', '=', edition.id)
      .orderBy('id')
      .execute()
  ).map((delivery) => delivery.id);
  let chunk: EventRow[] = [];
  let written = 0;
  await db.transaction().execute(async (trx) => {
    for (const event of eventMix(ids, edition.id)) {
      if (written++ === events) break;
      chunk.push(event);
      if (chunk.length === 500) {
        await trx.insertInto('delivery_events').values(chunk).execute();
        chunk = [];
      }
    }
    if (chunk.length > 0) await trx.insertInto('delivery_events').values(chunk).execute();
  });
  await db.destroy();
  return path;
}

export async function stats(deliveries: number, events: number): Promise<void> {
  const path = await engagementDatabase(deliveries, events);
  const env = { DIGEST_DB: path };
  const time = async (args: string[]) => {
    const runs: number[] = [];
    for (let run = 0; run < 3; run++) {
      const result = await runBuilt(args, env);
      if (result.code !== 0)
        throw new Error(`digest ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
      runs.push(result.ms);
    }
    return median(runs);
  };
  const help = await time(['--help']);
  const editions = await time(['editions']);
  const command = await time(['stats', '--week', WEEK, '--json']);
  const db = await openDatabase(path);
  const [edition] = await engagementStats({ db }, { week: WEEK });
  const inProcess: number[] = [];
  for (let run = 0; run < 5; run++) {
    const started = performance.now();
    await engagementStats({ db }, { week: WEEK });
    inProcess.push(performance.now() - started);
  }
  const rowsWritten = await db
    .selectFrom('delivery_events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  await db.destroy();
  const size = `${deliveries.toLocaleString('en')} deliveries, ${Number(rowsWritten.n).toLocaleString('en')} events`;
  row(`digest stats --week --json, ${size}: whole command (median of 3)`, `${command.toFixed(0)} ms`);
  row('digest editions, same database and run (median of 3)', `${editions.toFixed(0)} ms`);
  row('digest --help, same run (start-up alone, median of 3)', `${help.toFixed(0)} ms`);
  row(
    'digest stats: the stats themselves (engagementStats, median of 5)',
    `${median(inProcess).toFixed(0)} ms`,
  );
  row(
    '  figures it printed',
    `sent ${edition?.sent}, delivered ${edition?.delivered}, clicked ${edition?.clicked}, machine clicks ${edition?.machineClicks}`,
  );
}
