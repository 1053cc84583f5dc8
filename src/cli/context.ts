// What every command gets: validated configuration, the database, a clock and output streams. Built once
// per run by runCli; the database is opened only by commands that need it.

import { type Db, openDatabase } from '../adapters/database.js';
import type { Config } from '../config.js';
import { loadConfig } from '../config.js';
import type { Clock } from '../domain/clock.js';

export interface CliIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly clock: Clock;
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream;
  /** Aborted on SIGINT/SIGTERM: long-running commands stop taking new work and finish what is in flight. */
  readonly signal?: AbortSignal;
  /**
   * The program's entry point, which `digest send` runs in a worker thread to render (src/cli/render-thread.ts).
   * Without it (in-process tests, the TypeScript sources) the send renders in its own thread.
   */
  readonly renderThreadEntry?: URL;
}

/** A command's failure that is the user's to fix: printed without a stack trace, exit code 1. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export class CliContext {
  private config: Config | undefined;
  private db: Db | undefined;
  exitCode = 0;

  constructor(readonly io: CliIo) {}

  get clock(): Clock {
    return this.io.clock;
  }

  get signal(): AbortSignal | undefined {
    return this.io.signal;
  }

  getConfig(): Config {
    this.config ??= loadConfig(this.io.env);
    return this.config;
  }

  async getDb(): Promise<Db> {
    this.db ??= await openDatabase(this.getConfig().database, { signal: this.io.signal });
    return this.db;
  }

  print(line = ''): void {
    this.io.stdout.write(`${line}\n`);
  }

  warn(line: string): void {
    this.io.stderr.write(`${line}\n`);
  }

  /** Marks the run failed without stopping it (a command that reports several problems). */
  fail(code = 1): void {
    this.exitCode = code;
  }

  async close(): Promise<void> {
    await this.db?.destroy();
    this.db = undefined;
  }
}
