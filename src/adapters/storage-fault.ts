// Disk and database faults in words an operator can act on: faults are for the operator to fix, so they are
// described in one sentence, never dumped as a stack trace (docs/operations.md, Faults are sentences).

/** Another process held the write lock for longer than the deadline. Retrying later is the remedy. */
export class DatabaseBusyError extends Error {
  override name = 'DatabaseBusyError';
}

// Checked in order; the first pattern that matches the error's code gives the sentence. SQLite codes, file
// system and network errno names, and Postgres SQLSTATEs (five characters, PostgreSQL manual appendix A).
const FAULTS: readonly [RegExp, string][] = [
  [/^(SQLITE_FULL|ENOSPC)/, 'the disk is full; free some space and run the command again'],
  [/^EFBIG/, 'a file reached the size limit set for this process (ulimit -f); raise it and run again'],
  [/^(SQLITE_READONLY|EROFS|EACCES|EPERM)/, 'it is read-only; make the file and its folder writable'],
  [/^SQLITE_NOTADB/, 'this file is not a SQLite database; point DIGEST_DB at the right file'],
  [/^SQLITE_CORRUPT/, 'the database file is damaged; restore it from a backup'],
  [/^SQLITE_CANTOPEN/, 'it cannot be opened or created; check that its folder exists and is writable'],
  [/^(SQLITE_IOERR|EIO)/, 'the disk refused a write; check the disk and free space, then run again'],
  [
    /^(ENOTDIR|EEXIST)/,
    'a file is in the way where a folder should be; choose another path or move that file',
  ],
  [/^(28P01|28000)$/, 'the server refused the user name or password; check them in the URL'],
  [/^3D000$/, 'that database does not exist on the server; create it (createdb) or fix its name in the URL'],
  [/^(ENOTFOUND|EAI_AGAIN)$/, 'the host name cannot be resolved; fix the host in the URL'],
  [
    /^(ECONNREFUSED|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|57P03)$/,
    'the server cannot be reached; check that PostgreSQL runs and the host and port in the URL',
  ],
  [
    /^(ECONNRESET|EPIPE|08\w{3}|57P0[12])$/,
    'the connection to the database server was lost; check the server and run again',
  ],
  [/^42501$/, 'the user may not create or change tables there; use the database owner or grant it'],
  [/^25006$/, 'the server accepts reads only (a standby?); point DIGEST_DB at the primary'],
  [/^53100$/, "the database server's disk is full; free some space and run the command again"],
];

/**
 * The sentence for a storage fault (a SQLite, file-system, network or Postgres error code), or undefined for
 * any other error: faults are for the operator to fix, so they are described, never dumped as a stack trace.
 */
export function describeStorageFault(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return undefined;
  return FAULTS.find(([pattern]) => pattern.test(code))?.[1];
}
