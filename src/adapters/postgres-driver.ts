// Kysely's Postgres driver, made to behave like the SQLite driver the services were written against. On
// SQLite every write transaction begins IMMEDIATE and a lone write statement takes the same lock, so writes
// are serialised across processes: a count-then-insert throttle, a draft revision check, edition planning
// and batch formation read nothing another writer can change before they commit. Here every transaction
// first takes one transaction-scoped advisory lock, and a write statement outside a transaction runs in a
// transaction of its own that takes it too, so writers on every machine sharing the database queue in the
// same way, and the services need no retry logic. Reads outside transactions stay concurrent.
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type OperationNode,
  PostgresDialect,
  type PostgresDialectConfig,
  PostgresDriver,
  type QueryResult,
  TableNode,
  type TransactionSettings,
} from 'kysely';
import { DatabaseBusyError } from './storage-fault.js';

// Any constant will do as long as nothing else in the database uses it (Kysely's migration lock is another).
// Sent with BEGIN as one simple query (no parameters, so `pg` may send two statements): one round trip.
const BEGIN_AND_LOCK = CompiledQuery.raw('begin; select pg_advisory_xact_lock(7031962)');
const COMMIT = CompiledQuery.raw('commit');
const ROLLBACK = CompiledQuery.raw('rollback');

// Postgres' SQLSTATE for a lock wait that passed lock_timeout.
const LOCK_NOT_AVAILABLE = '55P03';

const WRITE_STATEMENT = /^\s*(insert|update|delete|merge|create|alter|drop)\b/i;
const WRITE_NODES = new Set([
  'InsertQueryNode',
  'UpdateQueryNode',
  'DeleteQueryNode',
  'MergeQueryNode',
  'CreateTableNode',
  'CreateIndexNode',
  'AlterTableNode',
  'DropTableNode',
  'DropIndexNode',
]);

/**
 * `pg` reports a dropped connection or a connect timeout as a plain Error without a code: give it the
 * SQLSTATE of a connection failure, so it is described as a fault like any other (storage-fault.ts).
 */
function withCode(error: unknown): unknown {
  if (
    error instanceof Error &&
    !('code' in error) &&
    /connection (terminated|timeout)|connection error and is not queryable/i.test(error.message)
  ) {
    return Object.assign(error, { code: /timeout/i.test(error.message) ? 'ETIMEDOUT' : '08006' });
  }
  return error;
}

function isWrite(query: CompiledQuery): boolean {
  const kind = query.query.kind;
  return WRITE_NODES.has(kind) || (kind === 'RawNode' && WRITE_STATEMENT.test(query.sql));
}

const RAW_TARGET = /^\s*(?:insert\s+into|update|delete\s+from)\s+"?(\w+)"?/i;

/** The one table an INSERT, UPDATE or DELETE writes, when it names one plainly. */
function targetTable(query: CompiledQuery): string | undefined {
  const node = query.query as {
    kind: string;
    into?: OperationNode;
    table?: OperationNode;
    from?: { froms: readonly OperationNode[] };
  };
  const table =
    node.kind === 'InsertQueryNode'
      ? node.into
      : node.kind === 'UpdateQueryNode'
        ? node.table
        : node.kind === 'DeleteQueryNode' && node.from?.froms.length === 1
          ? node.from.froms[0]
          : undefined;
  if (table && TableNode.is(table)) return table.table.identifier.name;
  return node.kind === 'RawNode' ? RAW_TARGET.exec(query.sql)?.[1] : undefined;
}

/** The pooled connection, plus whether a transaction is open on it (set by the driver). */
class SerialisedConnection implements DatabaseConnection {
  inTransaction = false;

  constructor(
    readonly inner: DatabaseConnection,
    private readonly options: SerialisedOptions,
  ) {}

  private queues(query: CompiledQuery): boolean {
    if (this.inTransaction || !isWrite(query)) return false;
    const table = targetTable(query);
    return table === undefined || !this.options.unqueuedTables.includes(table);
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    try {
      if (!this.queues(query)) return await this.inner.executeQuery<R>(query);
      return await this.executeAlone<R>(query);
    } catch (error) {
      throw withCode(error);
    }
  }

  private async executeAlone<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    try {
      await this.beginWriting();
      const result = await this.inner.executeQuery<R>(query);
      await this.inner.executeQuery(COMMIT);
      return result;
    } catch (error) {
      await this.inner.executeQuery(ROLLBACK).catch(() => undefined);
      throw error;
    }
  }

  streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.inner.streamQuery<R>(query, chunkSize);
  }

  /**
   * Begins a transaction holding the write lock, waiting (lock_timeout, set per connection) for the other
   * writers; past the deadline, rolls back and throws DatabaseBusyError.
   */
  async beginWriting(): Promise<void> {
    try {
      await this.inner.executeQuery(BEGIN_AND_LOCK);
    } catch (error) {
      // Never leave the connection in an aborted transaction: it goes back to the pool after this.
      await this.inner.executeQuery(ROLLBACK).catch(() => undefined);
      if ((error as { code?: unknown }).code !== LOCK_NOT_AVAILABLE) throw error;
      throw new DatabaseBusyError(
        `the database stayed locked by another process for over ${this.options.deadlineMs / 1000} s`,
      );
    }
  }
}

export interface SerialisedOptions {
  /** How long a writer waits for the others (SQLite's busy deadline), then gives up with exit 75 or a 503. */
  readonly deadlineMs: number;
  /**
   * Tables whose lone write statements need not queue: each statement on them stands alone (one row,
   * decided in that statement) and no transaction reads them, so the lock would only make them wait.
   */
  readonly unqueuedTables: readonly string[];
}

interface EmitsErrors {
  on(event: 'connect', listener: (client: { on(event: 'error', listener: () => void): void }) => void): void;
}

/**
 * A `pg` client emits 'error' when its connection dies (a terminated backend, a failover), even when the
 * query it was running rejects with that error too; while Kysely has it checked out, the pool listens to
 * nothing on it, and an 'error' nobody listens to ends the process. The query's own rejection carries the
 * fault to the caller, so the event itself needs nothing more; the pool drops the dead client on release.
 */
function quietClientErrors(pool: PostgresDialectConfig['pool']): void {
  if (typeof pool === 'function' || typeof (pool as Partial<EmitsErrors>).on !== 'function') return;
  (pool as unknown as EmitsErrors).on('connect', (client) => client.on('error', () => undefined));
}

class SerialisedPostgresDriver implements Driver {
  readonly #inner: PostgresDriver;
  readonly #wrapped = new WeakMap<DatabaseConnection, SerialisedConnection>();

  constructor(
    config: PostgresDialectConfig,
    private readonly options: SerialisedOptions,
  ) {
    quietClientErrors(config.pool);
    this.#inner = new PostgresDriver({
      ...config,
      onCreateConnection: (connection) =>
        connection
          .executeQuery(CompiledQuery.raw(`set lock_timeout = ${Math.ceil(options.deadlineMs)}`))
          .then(() => undefined),
    });
  }

  init(): Promise<void> {
    return this.#inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const inner = await this.#inner.acquireConnection().catch((error: unknown) => {
      throw withCode(error);
    });
    let connection = this.#wrapped.get(inner);
    if (!connection) {
      connection = new SerialisedConnection(inner, this.options);
      this.#wrapped.set(inner, connection);
    }
    return connection;
  }

  // Transaction settings (isolation level, access mode) are not used by this product: every transaction is a
  // READ COMMITTED one that starts by taking the write lock, after which nothing it reads can change.
  async beginTransaction(connection: DatabaseConnection, _settings: TransactionSettings): Promise<void> {
    const serialised = connection as SerialisedConnection;
    await serialised.beginWriting();
    serialised.inTransaction = true;
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const serialised = connection as SerialisedConnection;
    try {
      await this.#inner.commitTransaction(serialised.inner);
    } finally {
      serialised.inTransaction = false;
    }
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const serialised = connection as SerialisedConnection;
    try {
      await this.#inner.rollbackTransaction(serialised.inner);
    } finally {
      serialised.inTransaction = false;
    }
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    const inner = (connection as SerialisedConnection).inner;
    return this.#inner.releaseConnection(inner as Parameters<PostgresDriver['releaseConnection']>[0]);
  }

  destroy(): Promise<void> {
    return this.#inner.destroy();
  }
}

/** Kysely's Postgres dialect (over a `pg` pool) with the driver above. */
export class SerialisedPostgresDialect extends PostgresDialect {
  constructor(
    private readonly config: PostgresDialectConfig,
    private readonly options: SerialisedOptions,
  ) {
    super(config);
  }

  override createDriver(): Driver {
    return new SerialisedPostgresDriver(this.config, this.options);
  }
}
