// Builds the `digest` command ahead of time (docs/operations.md, The built command): src/cli.ts and everything it imports become
// dist/digest.js plus chunks, so no TypeScript is compiled when the command runs. Plain JavaScript, so it
// runs with Node alone from the `prepare` script of `npm install` and `npm ci`.
//
// node scripts/build.mjs              a clean build (prepare, npm run build)
// node scripts/build.mjs --if-stale   rebuild only when a source file changed since the last build (npm run digest)
//
// Code splitting turns each `await import()` in a command's action into a chunk loaded only by the commands
// that need it, so `digest editions` never loads React, the Resend SDK or Hono. Chunk names carry a content
// hash and an --if-stale build never deletes files, so a running worker can still load the chunks it
// started with; a clean build removes them.
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = join(root, 'dist');
const metaFile = join(outdir, 'meta.json');
// The command's Node flags, in its shebang (`env -S` splits them), so every way of starting it gets them.
// A send turns each batch of 100 emails into tens of megabytes of short-lived strings (the SDK serialises
// the batch, fetch encodes it); left to its defaults, V8 lets its heap grow to several times what is live.
// These bounds leave every command more heap than it uses; `--optimize-for-size` makes V8 collect before it
// grows the heap (each request leaves megabytes of large strings that only a full collection frees), which
// keeps `digest send` of 100,000 readers under 150 MB for about a fifth of the sending loop's speed, still
// several times what a provider's rate limit lets through (see BENCHMARKS.md). MALLOC_ARENA_MAX=2: glibc
// gives each thread that allocates (libuv's pool, the render thread, V8's helpers) an arena of its own, up
// to eight per core, and seldom returns their free pages; two arenas hold a send's RSS about 7 MB lower.
export const NODE_FLAGS = '--optimize-for-size --max-semi-space-size=8 --max-old-space-size=64';
const SHEBANG = `#!/usr/bin/env -S MALLOC_ARENA_MAX=2 node ${NODE_FLAGS}`;

/** Besides the bundled sources, a change to any of these means the last build may be stale. */
const alsoWatched = ['package.json', 'package-lock.json', 'scripts/build.mjs'];

/** True when dist/ is missing or older than any file the last build read (outside node_modules). */
function isStale() {
  let meta;
  let builtAt;
  try {
    meta = JSON.parse(readFileSync(metaFile, 'utf8'));
    builtAt = statSync(metaFile).mtimeMs;
  } catch {
    return true;
  }
  const inputs = Object.keys(meta.inputs).filter((path) => !path.includes('node_modules/'));
  for (const path of [...inputs, ...alsoWatched]) {
    try {
      if (statSync(join(root, path)).mtimeMs > builtAt) return true;
    } catch {
      return true; // a source file was deleted or renamed
    }
  }
  return false;
}

/** Writes a file so that a process starting at the same moment sees the old file or the new one, whole. */
function writeAtomically(path, contents) {
  try {
    if (readFileSync(path).equals(contents)) return;
  } catch {
    // not there yet
  }
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, contents);
  renameSync(temporary, path);
}

export async function build({ clean = true } = {}) {
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: { digest: 'src/cli.ts' },
    outdir,
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    jsx: 'automatic',
    // ASCII output: V8 keeps a module's source text in memory, at two bytes a character if any is not Latin-1.
    charset: 'ascii',
    legalComments: 'none',
    // Smaller sources parse faster; names are kept, so stack traces stay readable.
    minifyWhitespace: true,
    minifySyntax: true,
    // A native addon: it stays in node_modules and is loaded from there.
    external: ['better-sqlite3'],
    // Bundled CommonJS packages call require() for Node's own modules; ESM has no require of its own.
    banner: {
      js: "import { createRequire as __digestRequire } from 'node:module'; const require = __digestRequire(import.meta.url);",
    },
    metafile: true,
    write: false,
    logLevel: 'warning',
  });
  if (clean) rmSync(outdir, { recursive: true, force: true });
  const entry = join(outdir, 'digest.js');
  // Chunks first and the entry last: the entry only ever names chunks that are already in place.
  const files = [...result.outputFiles].sort((a, b) => (a.path === entry) - (b.path === entry));
  for (const file of files) {
    const contents =
      file.path === entry ? Buffer.from(`${SHEBANG}\n${file.text}`) : Buffer.from(file.contents);
    writeAtomically(file.path, contents);
  }
  chmodSync(entry, 0o755);
  writeFileSync(metaFile, JSON.stringify(result.metafile));
  return result.metafile;
}

const ifStale = process.argv.includes('--if-stale');
if (process.argv[1] === fileURLToPath(import.meta.url) && (!ifStale || isStale())) {
  await build({ clean: !ifStale });
}
