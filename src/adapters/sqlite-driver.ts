// Kysely's SQLite driver, rewritten for several processes sharing one file. Kysely's own driver begins every
// transaction DEFERRED: a transaction that reads and then writes fails with SQLITE_BUSY_SNAPSHOT when another
// process wrote in between, and a long busy_timeout blocks Node's event loop (better-sqlite3 is synchronous)
// for as long as another process holds the write lock. Here every transaction begins IMMEDIATE (it takes the
// write lock first, so its reads are never stale), the busy timeout is a few milliseconds, and a busy
// database is waited for asynchronously, with the connection released meanwhile so other queries of this
// process (a /healthz read, say) go on. Only statements outside a transaction and BEGIN/COMMIT are retried:
// SQLite's documentation allows retrying exactly those after SQLITE_BUSY.
import { setTimeout as sleep } from 'node:timers/promises';
import type BetterSqlite3 from 'better-sqlite3';
import {
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';
import { DatabaseBusyError } from './storage-fault.js';

export interface BusyPolicy {
  /** SQLite's own busy_timeout: how long one attempt may block the event loop. */
  readonly attemptMs: number;
  /** How long to keep trying before giving up with DatabaseBusyError. */
  readonly deadlineMs: number;
  /**
   * Stops the wait (SIGINT/SIGTERM): a process asked to stop must not sit out another process's lock for
   * half a minute first. It ends with DatabaseBusyError, so the command says to run it again.
   */
  readonly signal?: AbortSignal;
}

// 20 ms of blocking per attempt keeps a web server responsive; 30 s outlasts any write this product makes
// (planning 100,000 readers holds the lock for about a second, a large CSV import a few seconds).
export const DEFAULT_BUSY_POLICY: BusyPolicy = { attemptMs: 20, deadlineMs: 30_000 };

function stoppedWhileLocked(): DatabaseBusyError {
  return new DatabaseBusyError('stopped by a signal while another process held the database locked');
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_'));
}

/** One holder of the single connection at a time; waiters queue without blocking the event loop. */
class Mutex {
  #held: Promise<void> | undefined;
  #release: (() => void) | undefined;

  async lock(): Promise<void> {
    while (this.#held) await this.#held;
    this.#held = new Promise((resolve) => {
      this.#release = resolve;
    });
  }

  unlock(): void {
    const release = this.#release;
    this.#held = undefined;
    this.#release = undefined;
    release?.();
  }
}

/**
 * Prepared statements by SQL text, most recently used last. Preparing is the costliest step of the small
 * queries a send makes for every batch, and a statement left to the garbage collector holds its native
 * memory (hundreds of KB for a 500-row insert) until V8, which cannot see that memory, happens to collect:
 * planning 100,000 readers once left tens of MB behind that way.
 */
class StatementCache {
  readonly #statements = new Map<string, BetterSqlite3.Statement>();

  constructor(
    private readonly sqlite: BetterSqlite3.Database,
    private readonly capacity = 100,
  ) {}

  get(sql: string): BetterSqlite3.Statement {
    const statement = this.#statements.get(sql) ?? this.sqlite.prepare(sql);
    this.#statements.delete(sql);
    this.#statements.set(sql, statement);
    const oldest = this.#statements.keys().next().value;
    if (this.#statements.size > this.capacity && oldest !== undefined) this.#statements.delete(oldest);
    return statement;
  }
}

function run(statements: StatementCache, query: CompiledQuery): QueryResult<unknown> {
  const statement = statements.get(query.sql);
  const parameters = query.parameters as unknown[];
  if (statement.reader) return { rows: statement.all(parameters) };
  const { changes, lastInsertRowid } = statement.run(parameters);
  return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
}

class ResilientSqliteDriver implements Driver {
  readonly #mutex = new Mutex();
  readonly #connection: DatabaseConnection;

  constructor(
    private readonly sqlite: BetterSqlite3.Database,
    private readonly policy: BusyPolicy,
  ) {
    sqlite.pragma(`busy_timeout = ${policy.attemptMs}`);
    const statements = new StatementCache(sqlite);
    this.#connection = {
      executeQuery: async <R>(query: CompiledQuery) =>
        (sqlite.inTransaction
          ? run(statements, query)
          : await this.whenFree(() => run(statements, query))) as QueryResult<R>,
      // biome-ignore lint/correctness/useYield: streaming is not used; Kysely's interface requires the method.
      streamQuery: async function* () {
        throw new Error('streaming queries are not supported by this driver');
      },
    };
  }

  /**
   * Runs `operation` (which must be safe to repeat after SQLITE_BUSY) until the database is free, sleeping
   * between attempts with the connection released, so the rest of this process is not held up.
   */
  private async whenFree<T>(operation: () => T): Promise<T> {
    const started = performance.now();
    for (let attempt = 0; ; attempt++) {
      try {
        return operation();
      } catch (error) {
        if (!isBusy(error)) throw error;
        if (performance.now() - started > this.policy.deadlineMs) {
          throw new DatabaseBusyError(
            `the database stayed locked by another process for over ${this.policy.deadlineMs / 1000} s`,
          );
        }
        const { signal } = this.policy;
        if (signal?.aborted) throw stoppedWhileLocked();
        this.#mutex.unlock();
        try {
          await sleep(Math.min(50, 2 ** attempt) * (0.5 + Math.random()), undefined, { signal });
        } catch (aborted) {
          if (signal?.aborted) throw stoppedWhileLocked();
          throw aborted;
        } finally {
          await this.#mutex.lock();
        }
      }
    }
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.#mutex.lock();
    return this.#connection;
  }

  async beginTransaction(): Promise<void> {
    await this.whenFree(() => this.sqlite.exec('begin immediate'));
  }

  async commitTransaction(): Promise<void> {
    await this.whenFree(() => this.sqlite.exec('commit'));
  }

  async rollbackTransaction(): Promise<void> {
    // After SQLITE_FULL, SQLITE_IOERR and the like SQLite has already rolled back; a second ROLLBACK would
    // fail with "no transaction is active" and hide the error that matters.
    if (this.sqlite.inTransaction) this.sqlite.exec('rollback');
  }

  async releaseConnection(): Promise<void> {
    this.#mutex.unlock();
  }

  async destroy(): Promise<void> {
    this.sqlite.close();
  }
}

/**
 * SQLite's DDL is transactional, though Kysely's adapter does not claim it. Claiming it makes the Migrator run
 * every pending migration in one (IMMEDIATE) transaction: of several processes opening a new or older file
 * together, one migrates and the others wait and find the work done, and a migration that fails leaves
 * nothing half-applied.
 */
class TransactionalSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

/** Kysely's SQLite dialect with the driver above. */
export class ResilientSqliteDialect implements Dialect {
  constructor(
    private readonly sqlite: BetterSqlite3.Database,
    private readonly policy: BusyPolicy = DEFAULT_BUSY_POLICY,
  ) {}

  createDriver(): Driver {
    return new ResilientSqliteDriver(this.sqlite, this.policy);
  }

  createQueryCompiler() {
    return new SqliteQueryCompiler();
  }

  createAdapter() {
    return new TransactionalSqliteAdapter();
  }

  // biome-ignore lint/suspicious/noExplicitAny: Kysely's Dialect interface takes any database type here.
  createIntrospector(db: Kysely<any>) {
    return new SqliteIntrospector(db);
  }
}
