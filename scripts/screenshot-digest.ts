// npm run screenshots: renders the W47 digest and a 10-comparison digest and photographs them at 600 px
// (desktop client) and 375 px (phone) width, so an editor can look at the layout without a mail client.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { manyComparisons, w47Comparisons } from '../emails/_fixtures/comparisons.js';
import type { DigestComparison } from '../src/domain/digest.js';
import { recipientLinks } from '../src/domain/digest-message.js';
import { renderDigestContent } from '../src/services/digest-renderer.js';
import { personalise } from '../src/services/personalise.js';
import { launchChromium } from '../test/support/browser.js';

const OUT = resolve(process.argv[2] ?? 'artifacts/screenshots');
const config = {
  publicUrl: 'http://localhost:3000',
  postalAddress: 'Weekly AI Tool Verdicts, 1 Example Street, 10115 Berlin',
};

async function html(comparisons: readonly DigestComparison[]): Promise<string> {
  const content = await renderDigestContent(config, {
    weekKey: '2026-W47',
    weekLabel: '16–22 November 2026',
    subject: `Weekly AI Tool Verdicts, 2026-W47: ${comparisons.length} new comparisons`,
    comparisons,
    followedCategories: [],
  });
  return personalise(content, recipientLinks(config.publicUrl, 'screenshot')).html;
}

mkdirSync(OUT, { recursive: true });
const browser = await launchChromium();
try {
  for (const [name, comparisons] of [
    ['w47', w47Comparisons],
    ['ten', manyComparisons(10)],
  ] as const) {
    const page = await browser.newPage();
    await page.setContent(await html(comparisons));
    for (const width of [600, 375]) {
      await page.setViewportSize({ width, height: 900 });
      const file = join(OUT, `digest-${name}-${width}.png`);
      await page.screenshot({ path: file, fullPage: true });
      console.log(file);
    }
    await page.close();
  }
} finally {
  await browser.close();
}
