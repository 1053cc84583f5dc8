import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/context.js';
import { renderFailure, threadFault, threadRenderer } from '../../src/cli/render-thread.js';
import { scratchDir } from '../support/cli.js';

const config = { publicUrl: 'http://localhost:3000', postalAddress: '1 Main St' };
const input = {
  weekKey: '2026-W47',
  weekLabel: 'W47',
  subject: 's',
  comparisons: [],
  followedCategories: [],
};

/** A render thread entry that does `body` when asked to render. */
function entry(body: string): URL {
  const file = join(scratchDir(), 'thread.mjs');
  writeFileSync(
    file,
    `import { parentPort } from 'node:worker_threads';\nparentPort.on('message', () => { ${body} });\n`,
  );
  return pathToFileURL(file);
}

describe('threadRenderer', () => {
  it.each([
    ['throws', "setTimeout(() => { throw new Error('boom') })", 'its render thread failed (boom)'],
    ['exits', 'process.exit(3)', 'its render thread stopped unexpectedly (exit code 3)'],
  ])('turns a thread that %s into one sentence, not a stack', async (_what, body, sentence) => {
    const renderer = threadRenderer(config, entry(body));
    const failure = await renderer.render(input).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(UsageError);
    expect((failure as Error).message).toContain(sentence);
    expect((failure as Error).message.split('\n')).toHaveLength(1);
    await renderer.release?.();
  });

  it.each([
    [
      Object.assign(new Error('Worker terminated'), { code: 'ERR_WORKER_OUT_OF_MEMORY' }),
      'ran out of memory',
    ],
    [new Error('first line\n    at somewhere'), 'failed (first line)'],
  ])('names the fault %#', (error, words) => {
    expect(threadFault(error)).toBe(words);
    expect(renderFailure(words)).toMatch(
      /^The digest could not be rendered: .* Nothing was sent; run the command again/,
    );
  });
});
