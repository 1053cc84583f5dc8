// A database of its own for one test or one benchmark run: a SQLite file in a scratch directory, or, when
// `server` is a postgres:// URL, a new database on that server (its user needs CREATEDB), dropped by drop().
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { isPostgresUrl } from '../../src/domain/database-location.js';
import { scratchDir } from './cli.js';

export interface ScratchDatabase {
  /** DIGEST_DB for it. */
  readonly location: string;
  drop(): Promise<void>;
}

export interface ScratchOptions {
  /** SQLite: the directory for `digest.sqlite` (default a new scratch directory). */
  readonly dir?: string;
  /** Postgres: the database to copy (default template1, an empty one). */
  readonly template?: string;
  readonly prefix?: string;
}

/** `url` with its database name replaced. */
export function withDatabase(url: string, name: string): string {
  const target = new URL(url);
  target.pathname = `/${name}`;
  return target.toString();
}

async function onServer(server: string, statement: string): Promise<void> {
  const client = new pg.Client(server);
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

export async function scratchDatabase(
  server: string | undefined,
  options: ScratchOptions = {},
): Promise<ScratchDatabase> {
  if (!server || !isPostgresUrl(server)) {
    return { location: join(options.dir ?? scratchDir(), 'digest.sqlite'), drop: async () => {} };
  }
  const name = `${options.prefix ?? 'digest_scratch'}_${randomBytes(6).toString('hex')}`;
  const template = options.template ? ` template ${options.template}` : '';
  await onServer(server, `create database ${name}${template}`);
  return {
    location: withDatabase(server, name),
    drop: () => onServer(server, `drop database if exists ${name} with (force)`),
  };
}
