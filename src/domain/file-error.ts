// A file that cannot be read, as one sentence a person can act on: "cannot read notes.md: no such file".
// Node's error codes (ENOENT, EACCES) are the C library's names; the operator needs the words.

const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'the name is too long',
  EMFILE: 'too many files are open',
  EIO: 'the disk failed to read it',
};

/** Why a file could not be read, in words; an unknown error keeps its own message. */
export function fileErrorReason(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && REASONS[code]) return REASONS[code];
  if (error instanceof Error) return error.message;
  return String(error);
}

/** "cannot read notes.md: no such file". */
export function cannotRead(path: string, error: unknown): string {
  return `cannot read ${path}: ${fileErrorReason(error)}`;
}
