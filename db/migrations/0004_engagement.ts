// Engagement: every applied provider event about a digest email as its own row, and the
// owner of every stored provider event, so erasure can find it. Frozen in time: never import app code.
//
// Upgrading a first-release database: its stored Resend events are re-read and their digest events
// written as rows here (clicks stay `unclassified`: the first release kept no machine-click rule, and
// guessing now would put scanners among readers). Events whose owner no longer exists (a person erased
// by the first release) lose their personal fields, which that release left behind.
import { type Kysely, PostgresAdapter, sql } from 'kysely';

const TYPES: Record<string, string> = {
  'email.delivered': 'delivered',
  'email.delivery_delayed': 'delayed',
  'email.opened': 'opened',
  'email.clicked': 'clicked',
  'email.bounced': 'bounced',
  'email.complained': 'complained',
  'email.failed': 'failed',
  'email.suppressed': 'suppressed',
};

type Json = Record<string, unknown>;
const object = (value: unknown): Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

// biome-ignore lint/suspicious/noExplicitAny: migrations run against whatever schema exists at that point.
export async function up(db: Kysely<any>): Promise<void> {
  // SQLite: `integer primary key autoincrement`; Postgres: an identity column.
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .createTable('delivery_events')
    .addColumn('id', 'integer', (col) =>
      postgres ? col.primaryKey().generatedByDefaultAsIdentity() : col.primaryKey().autoIncrement(),
    )
    .addColumn('delivery_id', 'integer', (col) =>
      col.notNull().references('deliveries.id').onDelete('cascade'),
    )
    .addColumn('edition_id', 'integer', (col) => col.notNull().references('editions.id').onDelete('cascade'))
    .addColumn('type', 'text', (col) =>
      col
        .notNull()
        .check(
          sql`type in ('delivered', 'delayed', 'opened', 'clicked', 'bounced', 'complained', 'failed', 'suppressed', 'unsubscribed')`,
        ),
    )
    // Bounces: permanent, transient, undetermined. Clicks: human, machine, personal (unsubscribe and
    // preferences links), unclassified (recorded before the machine-click rule existed).
    .addColumn('kind', 'text', (col) =>
      col.check(
        sql`kind in ('permanent', 'transient', 'undetermined', 'human', 'machine', 'personal', 'unclassified')`,
      ),
    )
    .addColumn('occurred_at', 'text', (col) => col.notNull())
    .addColumn('link', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('ip_address', 'text')
    .addColumn('comparison_slug', 'text')
    .addColumn('machine_reason', 'text')
    .addColumn('detail', 'text')
    .execute();
  // Every figure of `digest stats` is a count over one edition's range of this index.
  await db.schema
    .createIndex('delivery_events_edition')
    .on('delivery_events')
    .columns(['edition_id', 'type', 'kind', 'comparison_slug', 'delivery_id'])
    .execute();
  // One email's clicks (the machine-click rule looks at them together), and cascading deletes.
  await db.schema
    .createIndex('delivery_events_delivery')
    .on('delivery_events')
    .columns(['delivery_id', 'type'])
    .execute();

  await db.schema
    .alterTable('provider_events')
    .addColumn('subscriber_id', 'integer', (col) => col.references('subscribers.id').onDelete('set null'))
    .execute();
  await db.schema
    .createIndex('provider_events_subscriber')
    .on('provider_events')
    .column('subscriber_id')
    .execute();

  const stored = await db
    .selectFrom('provider_events')
    .select(['svix_id', 'type', 'email_id', 'payload', 'received_at'])
    .orderBy('received_at')
    .execute();
  for (const row of stored) {
    let json: Json = {};
    try {
      json = object(JSON.parse(row.payload));
    } catch {
      // An unreadable payload has nothing to backfill from; it is redacted below if nobody owns it.
    }
    const data = object(json.data);
    const delivery = row.email_id
      ? await db
          .selectFrom('deliveries')
          .select(['id', 'edition_id', 'subscriber_id'])
          .where('provider_message_id', '=', row.email_id)
          .executeTakeFirst()
      : undefined;
    const recipient = Array.isArray(data.to) ? text(data.to[0])?.trim().toLowerCase() : undefined;
    const owner =
      delivery?.subscriber_id ??
      (recipient
        ? (
            await db
              .selectFrom('subscribers')
              .select('id')
              .where('email_key', '=', recipient)
              .executeTakeFirst()
          )?.id
        : undefined);
    await db
      .updateTable('provider_events')
      .set(
        owner === undefined
          ? {
              payload: JSON.stringify({
                type: json.type,
                created_at: json.created_at,
                data: { email_id: data.email_id, tags: data.tags },
                redacted: true,
              }),
            }
          : { subscriber_id: owner },
      )
      .where('svix_id', '=', row.svix_id)
      .execute();
    const type = TYPES[row.type];
    if (!delivery || !type) continue;
    const click = object(data.click);
    const bounce = object(data.bounce);
    const bounceType = text(bounce.type)?.toLowerCase();
    await db
      .insertInto('delivery_events')
      .values({
        delivery_id: delivery.id,
        edition_id: delivery.edition_id,
        type,
        kind:
          type === 'clicked'
            ? 'unclassified'
            : type === 'bounced'
              ? bounceType === 'permanent' || bounceType === 'transient'
                ? bounceType
                : 'undetermined'
              : null,
        occurred_at:
          (type === 'clicked' ? text(click.timestamp) : null) ?? text(json.created_at) ?? row.received_at,
        link: text(click.link),
        user_agent: text(click.userAgent),
        ip_address: text(click.ipAddress),
        detail:
          type === 'bounced'
            ? [text(bounce.subType), text(bounce.message)].filter((part) => part).join(': ') || null
            : null,
      })
      .execute();
  }
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('provider_events_subscriber').execute();
  await db.schema.alterTable('provider_events').dropColumn('subscriber_id').execute();
  await db.schema.dropTable('delivery_events').execute();
}
