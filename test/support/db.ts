// Databases for the tests, on the engine under test: the `sqlite` project runs every suite on SQLite, the
// `postgres` project runs the database-facing ones again on a real PostgreSQL server (vitest.config.ts).
import pg from 'pg';
import { afterAll, inject } from 'vitest';
import { type Db, openDatabase } from '../../src/adapters/database.js';
import { scratchDatabase } from './scratch-database.js';

export type Engine = 'sqlite' | 'postgres';

export const engine: Engine = process.env.DIGEST_TEST_ENGINE === 'postgres' ? 'postgres' : 'sqlite';

let admin: Promise<pg.Client> | undefined;
const drops: (() => Promise<void>)[] = [];

/** A superuser connection to the test server (Postgres project only), closed when the test file ends. */
export function adminClient(): Promise<pg.Client> {
  admin ??= (async () => {
    const client = new pg.Client(inject('postgresAdminUrl'));
    await client.connect();
    return client;
  })();
  return admin;
}

// Every database a test file created is dropped when the file ends (FORCE closes what a test left open).
afterAll(async () => {
  for (const drop of drops.splice(0)) await drop();
  await (await admin)?.end();
  admin = undefined;
});

export interface FreshOptions {
  /** No tables at all (default: every migration applied, as a first start leaves it). */
  readonly empty?: boolean;
}

/**
 * DIGEST_DB for a new database of its own: `digest.sqlite` in `dir` (default a new scratch directory), or
 * a new database on the test server, copied from the migrated template (or empty).
 */
export async function freshDatabase(dir?: string, options: FreshOptions = {}): Promise<string> {
  if (engine === 'sqlite') return (await scratchDatabase(undefined, { dir })).location;
  const database = await scratchDatabase(inject('postgresAdminUrl'), {
    prefix: 'test',
    template: options.empty ? 'template0' : inject('postgresTemplate'),
  });
  drops.push(database.drop);
  return database.location;
}

/** A fresh database with the real migrations applied: in memory on SQLite, a new database on Postgres. */
export async function testDatabase(): Promise<Db> {
  return openDatabase(engine === 'sqlite' ? ':memory:' : await freshDatabase());
}

export interface HeldLock {
  /** Commits the holder's transaction and closes its connection (once, however often it is called). */
  release(): Promise<void>;
}

/**
 * Takes the write lock of the database at `location` from a connection of its own, as another process
 * would, and holds it until released: SQLite's BEGIN IMMEDIATE, Postgres' write lock (postgres-driver.ts).
 */
export async function holdWriteLock(location: string): Promise<HeldLock> {
  const other = await openDatabase(location);
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let begun = () => {};
  const holding = new Promise<void>((resolve) => {
    begun = resolve;
  });
  const transaction = other.transaction().execute(async () => {
    begun();
    await released;
  });
  await Promise.race([holding, transaction]);
  let done: Promise<void> | undefined;
  return {
    release() {
      release();
      done ??= transaction.then(() => other.destroy());
      return done;
    },
  };
}
