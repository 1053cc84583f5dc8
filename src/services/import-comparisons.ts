// `digest import`: validate every file first, then write all of them in one transaction or none at all.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { upsertComparison } from '../adapters/comparison-repository.js';
import type { Db } from '../adapters/database.js';
import type { Clock } from '../domain/clock.js';
import {
  type ComparisonDocument,
  type DocumentProblem,
  parseComparisonDocument,
} from '../domain/comparison-document.js';
import { fileErrorReason } from '../domain/file-error.js';

export interface ImportDeps {
  readonly db: Db;
  readonly clock: Clock;
}

export type ImportResult =
  | { readonly ok: true; readonly added: string[]; readonly updated: string[] }
  | { readonly ok: false; readonly problems: DocumentProblem[] };

/** Expands directories to the .json files inside them (sorted, not recursive); reports unreadable paths. */
async function expandPaths(
  paths: readonly string[],
): Promise<{ files: string[]; problems: DocumentProblem[] }> {
  const files: string[] = [];
  const problems: DocumentProblem[] = [];
  for (const path of paths) {
    try {
      if ((await stat(path)).isDirectory()) {
        const names = (await readdir(path)).filter((name) => name.endsWith('.json')).sort();
        if (names.length === 0)
          problems.push({ file: path, path: '', message: 'directory holds no .json files' });
        files.push(...names.map((name) => join(path, name)));
      } else {
        files.push(path);
      }
    } catch (error) {
      problems.push({
        file: path,
        path: '',
        message: fileErrorReason(error),
        unreadable: true,
      });
    }
  }
  return { files, problems };
}

/**
 * The largest comparison file read, in bytes. One comparison is a few kilobytes (under one megabyte even
 * with every text at the schema's maximum); a file of many, as an array, is parsed whole, and parsing holds
 * several copies of its text at once, so a file much larger than this would exhaust the command's memory.
 * Many comparisons go in several files, or in a directory of them: files are read one at a time.
 */
export const MAX_DOCUMENT_BYTES = 4 * 1024 * 1024;

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

type FileRead =
  | { readonly ok: true; readonly documents: ComparisonDocument[] }
  | { readonly ok: false; readonly problems: DocumentProblem[] };

/** Reads and checks one file, refusing it by its size before reading a byte of it. */
async function readDocuments(file: string): Promise<FileRead> {
  let text: string;
  try {
    const { size } = await stat(file);
    if (size > MAX_DOCUMENT_BYTES) {
      const message = `is ${megabytes(size)}, more than the ${megabytes(MAX_DOCUMENT_BYTES)} a comparison file may hold; split it into several files`;
      return { ok: false, problems: [{ file, path: '', message }] };
    }
    text = await readFile(file, 'utf8');
  } catch (error) {
    return { ok: false, problems: [{ file, path: '', message: fileErrorReason(error), unreadable: true }] };
  }
  const parsed = parseComparisonDocument(text, file);
  return parsed.ok ? { ok: true, documents: parsed.documents } : parsed;
}

/** A file that was valid when checked is not when written: it changed in between; nothing is written. */
class DocumentChangedError extends Error {
  override name = 'DocumentChangedError';
  constructor(readonly file: string) {
    super(`${file} changed while it was being imported`);
  }
}

/**
 * Checks every file, one at a time and keeping only each slug and its file, then, when all are valid, reads
 * them again one at a time to write them in one transaction: all or nothing, without holding every file's
 * comparisons in memory together.
 */
export async function importComparisons(deps: ImportDeps, paths: readonly string[]): Promise<ImportResult> {
  const { files, problems } = await expandPaths(paths);
  // One slug twice in the same import would make the result depend on file order: refuse it.
  const firstFileOfSlug = new Map<string, string>();
  for (const file of files) {
    const read = await readDocuments(file);
    if (!read.ok) {
      problems.push(...read.problems);
      continue;
    }
    for (const document of read.documents) {
      const earlier = firstFileOfSlug.get(document.slug);
      if (earlier !== undefined) {
        problems.push({ file, path: 'slug', message: `"${document.slug}" is also imported from ${earlier}` });
      } else firstFileOfSlug.set(document.slug, file);
    }
  }
  if (problems.length > 0) return { ok: false, problems };

  const now = deps.clock.now();
  const added: string[] = [];
  const updated: string[] = [];
  try {
    await deps.db.transaction().execute(async (trx) => {
      for (const file of files) {
        const read = await readDocuments(file);
        if (!read.ok) throw new DocumentChangedError(file);
        for (const document of read.documents) {
          if (firstFileOfSlug.get(document.slug) !== file) throw new DocumentChangedError(file);
          const outcome = await upsertComparison(trx, document, now);
          (outcome === 'added' ? added : updated).push(document.slug);
        }
      }
    });
  } catch (error) {
    if (!(error instanceof DocumentChangedError)) throw error;
    const message = 'changed while it was being imported; run the command again';
    return { ok: false, problems: [{ file: error.file, path: '', message }] };
  }
  return { ok: true, added, updated };
}
