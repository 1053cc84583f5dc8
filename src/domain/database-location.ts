// DIGEST_DB is a SQLite file path or a PostgreSQL URL. What it names, and how it may be shown:
// configuration errors, fault sentences and logs end up in terminals and support tickets, so a URL's
// password never appears in them.
import { redactDatabaseUrl } from './redacted-url.js';

/** True when DIGEST_DB names a PostgreSQL database rather than a SQLite file. */
export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/** A postgres:// or postgresql:// URL that parses and names a database (the host may be `?host=`, or local). */
export function namesPostgresDatabase(location: string): boolean {
  if (!isPostgresUrl(location)) return false;
  try {
    return new URL(location).pathname.length > 1;
  } catch {
    return false;
  }
}

/** DIGEST_DB as it may be printed: a PostgreSQL URL's password is masked. */
export function databaseLabel(location: string): string {
  return redactDatabaseUrl(location);
}
