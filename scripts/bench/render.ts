// What a copy costs once the digest is rendered: one render against one personalisation, in this process.
import { manyComparisons } from '../../emails/_fixtures/comparisons.js';
import { recipientLinks } from '../../src/domain/digest-message.js';
import { renderDigestContent } from '../../src/services/digest-renderer.js';
import { personalise } from '../../src/services/personalise.js';
import { testConfig } from '../../test/support/sending.js';
import { median, row, WEEK } from './kit.js';

export async function renderVersusPersonalise(): Promise<void> {
  const config = testConfig();
  const input = {
    weekKey: WEEK,
    weekLabel: '16–22 November 2026',
    subject: 'S',
    comparisons: manyComparisons(10),
    followedCategories: [],
  };
  const renders: number[] = [];
  let content = await renderDigestContent(config, input);
  for (let run = 0; run < 20; run++) {
    const started = performance.now();
    content = await renderDigestContent(config, input);
    renders.push(performance.now() - started);
  }
  const copies = 10_000;
  const perCopy: number[] = [];
  let total = 0;
  for (let round = 0; round < 5; round++) {
    const started = performance.now();
    for (let copy = 0; copy < copies; copy++)
      personalise(content, recipientLinks(config.publicUrl, `token-${copy}`));
    const elapsed = performance.now() - started;
    total = elapsed;
    perCopy.push((elapsed * 1000) / copies);
  }
  const renderMs = median(renders);
  const personaliseUs = median(perCopy);
  row('render one 10-comparison digest (median)', `${renderMs.toFixed(1)} ms`);
  row('personalise one more copy (median)', `${personaliseUs.toFixed(1)} µs`);
  row('render / personalise', `${Math.round((renderMs * 1000) / personaliseUs)}x`);
  row('personalise 10,000 copies', `${total.toFixed(0)} ms`);
}
