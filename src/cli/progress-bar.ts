// cli-progress is a CommonJS module. Under tsx its exports also come by name, but under Node's own ES module
// loader (the built command) only as the default export: `const { SingleBar } = await import(...)` then
// gives undefined, and `digest send` on a terminal died with "SingleBar is not a constructor".
import type { SingleBar } from 'cli-progress';

/** The progress bar class, loaded on first use: only a command writing to a terminal needs it. */
export async function loadSingleBar(): Promise<typeof SingleBar> {
  const progress = await import('cli-progress');
  return (progress.default ?? progress).SingleBar;
}
