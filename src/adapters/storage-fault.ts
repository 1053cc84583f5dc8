// Disk and database faults in words an operator can act on: faults are for the operator to fix, so they are
// described in one sentence, never dumped as a stack trace (SPEC section 17).

// Checked in order; the first pattern that matches the error's code gives the sentence.
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
];

/**
 * The sentence for a storage fault (a SQLite or file-system error code), or undefined for any other error:
 * faults are for the operator to fix, so they are described, never dumped as a stack trace.
 */
export function describeStorageFault(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return undefined;
  return FAULTS.find(([pattern]) => pattern.test(code))?.[1];
}
