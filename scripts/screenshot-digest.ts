// npm run screenshots: renders the digest (the W47 edition with an editor's note, a 10-comparison one,
// and a review copy) and photographs it at 600 px (desktop client) and 375 px (phone), in light and dark
// mode, plus the web version of W47, so an editor can look at the layout without a mail client.
// `npm run screenshots -- --docs` also refreshes docs/digest-600.png, the README's picture: the top of
// the W47 digest at 600 px, kept small for the repository.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { manyComparisons, w47Comparisons } from '../emails/_fixtures/comparisons.js';
import { sampleNote } from '../emails/_fixtures/digest-props.js';
import { type DigestComparison, defaultSubject } from '../src/domain/digest.js';
import { recipientLinks } from '../src/domain/digest-message.js';
import { type DigestInput, renderDigestContent, renderWebVersion } from '../src/services/digest-renderer.js';
import { personalise } from '../src/services/personalise.js';
import { launchChromium } from '../test/support/browser.js';

const args = process.argv.slice(2);
const OUT = resolve(args.find((arg) => !arg.startsWith('--')) ?? 'artifacts/screenshots');
const DOCS_SHOT = resolve('docs/digest-600.png');
const config = {
  publicUrl: 'http://localhost:3000',
  postalAddress: 'Weekly AI Tool Verdicts, 1 Example Street, 10115 Berlin',
};

const input = (comparisons: readonly DigestComparison[], extra: Partial<DigestInput> = {}): DigestInput => ({
  weekKey: '2026-W47',
  weekLabel: '16–22 November 2026',
  subject: defaultSubject(comparisons),
  comparisons,
  followedCategories: [],
  ...extra,
});

async function email(digest: DigestInput): Promise<string> {
  const content = await renderDigestContent(config, digest);
  return personalise(content, recipientLinks(config.publicUrl, 'screenshot')).html;
}

const documents: [name: string, html: string][] = [
  ['digest-w47', await email(input(w47Comparisons, { note: sampleNote }))],
  ['digest-ten', await email(input(manyComparisons(10)))],
  ['digest-review-copy', await email(input(w47Comparisons, { reviewCopy: true, webVersion: false }))],
  ['web-edition-w47', await renderWebVersion(config, input(w47Comparisons, { note: sampleNote }))],
];

mkdirSync(OUT, { recursive: true });
const browser = await launchChromium();
try {
  for (const [name, html] of documents) {
    for (const colorScheme of ['light', 'dark'] as const) {
      // The web version is a light page, like the rest of the site.
      if (name.startsWith('web-') && colorScheme === 'dark') continue;
      const page = await browser.newPage({ colorScheme });
      await page.setContent(html);
      for (const width of [600, 375]) {
        await page.setViewportSize({ width, height: 900 });
        const file = join(OUT, `${name}-${width}-${colorScheme}.png`);
        await page.screenshot({ path: file, fullPage: true });
        console.log(file);
      }
      await page.close();
    }
  }
  if (args.includes('--docs')) {
    const page = await browser.newPage({ viewport: { width: 600, height: 1150 } });
    await page.setContent(documents[0]?.[1] ?? '');
    await page.screenshot({ path: DOCS_SHOT });
    console.log(DOCS_SHOT);
    await page.close();
  }
} finally {
  await browser.close();
}
