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

export async function importComparisons(deps: ImportDeps, paths: readonly string[]): Promise<ImportResult> {
  const { files, problems } = await expandPaths(paths);
  const documents: { file: string; document: ComparisonDocument }[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      problems.push({
        file,
        path: '',
        message: fileErrorReason(error),
        unreadable: true,
      });
      continue;
    }
    const parsed = parseComparisonDocument(text, file);
    if (parsed.ok) documents.push(...parsed.documents.map((document) => ({ file, document })));
    else problems.push(...parsed.problems);
  }
  // One slug twice in the same import would make the result depend on file order: refuse it.
  const firstFileOfSlug = new Map<string, string>();
  for (const { file, document } of documents) {
    const earlier = firstFileOfSlug.get(document.slug);
    if (earlier !== undefined) {
      problems.push({ file, path: 'slug', message: `"${document.slug}" is also imported from ${earlier}` });
    } else firstFileOfSlug.set(document.slug, file);
  }
  if (problems.length > 0) return { ok: false, problems };

  const now = deps.clock.now();
  const added: string[] = [];
  const updated: string[] = [];
  await deps.db.transaction().execute(async (trx) => {
    for (const { document } of documents) {
      const outcome = await upsertComparison(trx, document, now);
      (outcome === 'added' ? added : updated).push(document.slug);
    }
  });
  return { ok: true, added, updated };
}
