// The digest and its web version as a reader sees them, in Chromium (Debian's, via playwright-core): the
// two tool columns side by side at 600 px and stacked at 375 px, nothing wider than a phone, and every
// text colour readable on its background in light and dark mode (WCAG 2.1 contrast). Screenshots and the
// measured contrast table land in artifacts/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manyComparisons, realComparison, w47Comparisons } from '../../emails/_fixtures/comparisons.js';
import { sampleNote } from '../../emails/_fixtures/digest-props.js';
import { type DigestComparison, defaultSubject } from '../../src/domain/digest.js';
import { recipientLinks } from '../../src/domain/digest-message.js';
import {
  type DigestInput,
  renderDigestContent,
  renderWebVersion,
} from '../../src/services/digest-renderer.js';
import { personalise } from '../../src/services/personalise.js';
import { launchChromium } from '../support/browser.js';
import { projectRoot } from '../support/child.js';

const ARTIFACTS = join(projectRoot, 'artifacts');
const SHOTS = join(ARTIFACTS, 'screenshots');
const config = { publicUrl: 'https://news.verdicts.test', postalAddress: '1 Example Street, 10115 Berlin' };

/** The seed comparison with an unbreakable pricing line, the kind of imported text that widens a layout. */
const unbreakable: DigestComparison = {
  ...realComparison,
  slug: 'unbreakable',
  tools: [
    {
      ...realComparison.tools[0],
      pricing:
        'https://example.com/pricing/pay-as-you-go-per-token-pass-through-from-the-underlying-providers',
    },
    realComparison.tools[1],
  ],
};
/** One with a SKIP verdict, so all three badges are measured. */
const withSkip = manyComparisons(2).filter((comparison) =>
  comparison.tools.some((tool) => tool.summary.verdict === 'SKIP'),
);
const comparisons = [...w47Comparisons, unbreakable, ...withSkip];

function input(extra: Partial<DigestInput> = {}): DigestInput {
  return {
    weekKey: '2026-W47',
    weekLabel: '16–22 November 2026',
    subject: defaultSubject(comparisons),
    comparisons,
    followedCategories: [],
    note: sampleNote,
    ...extra,
  };
}

interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** The two tool headings (<h3>) of each card, by card. */
async function toolHeadings(page: Page): Promise<Box[][]> {
  return page.$$eval('table[id]', (cards) =>
    cards.map((card) =>
      Array.from(card.querySelectorAll('h3'), (heading) => {
        const { x, y, width, height } = heading.getBoundingClientRect();
        return { x, y, width, height };
      }),
    ),
  );
}

interface ContrastPair {
  readonly color: string;
  readonly background: string;
  readonly ratio: number;
  readonly large: boolean;
  /** The start of every text painted in this pair. */
  readonly samples: string[];
}

/**
 * Every visible text's colour against the background it is painted on (the nearest ancestor with an
 * opaque background colour), with its WCAG 2.1 contrast ratio. Large text (24 px, or 18.66 px bold) needs
 * 3:1, the rest 4.5:1.
 */
async function contrastPairs(page: Page): Promise<ContrastPair[]> {
  return page.evaluate(() => {
    const parse = (value: string) => {
      const [r = 0, g = 0, b = 0, a = 1] = (value.match(/[\d.]+/g) ?? []).map(Number);
      return { r, g, b, a };
    };
    const luminance = ({ r, g, b }: { r: number; g: number; b: number }) => {
      const channel = (c: number) => {
        const s = c / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
    };
    const hex = ({ r, g, b }: { r: number; g: number; b: number }) =>
      `#${[r, g, b].map((c) => c.toString(16).padStart(2, '0')).join('')}`;
    const backgroundOf = (element: Element | null): string => {
      for (let node = element; node; node = node.parentElement) {
        const background = getComputedStyle(node).backgroundColor;
        if (parse(background).a > 0 && background !== 'transparent') return background;
      }
      return 'rgb(255, 255, 255)';
    };
    const pairs = new Map<string, ContrastPair>();
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent?.trim() ?? '';
      const element = node.parentElement;
      if (!text || !element?.checkVisibility({ opacityProperty: true })) continue;
      const style = getComputedStyle(element);
      const fg = parse(style.color);
      const bg = parse(backgroundOf(element));
      const [light, dark] = [luminance(fg), luminance(bg)].sort((a, b) => b - a);
      const ratio = ((light ?? 0) + 0.05) / ((dark ?? 0) + 0.05);
      const size = Number.parseFloat(style.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
      const key = `${hex(fg)} on ${hex(bg)}${large ? ' (large)' : ''}`;
      const pair = pairs.get(key) ?? {
        color: hex(fg),
        background: hex(bg),
        ratio: Math.round(ratio * 100) / 100,
        large,
        samples: [],
      };
      pair.samples.push(text.slice(0, 40));
      pairs.set(key, pair);
    }
    return [...pairs.values()];
  });
}

describe('the digest in a browser', () => {
  let browser: Browser;
  let email: string;
  let web: string;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    const content = await renderDigestContent(config, input());
    email = personalise(content, recipientLinks(config.publicUrl, 'browser')).html;
    web = await renderWebVersion(config, input());
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function open(html: string, width: number, colorScheme: 'light' | 'dark' = 'light') {
    const page = await browser.newPage({ viewport: { width, height: 900 }, colorScheme });
    await page.setContent(html);
    return page;
  }

  for (const [name, html] of [
    ['email', () => email],
    ['web version', () => web],
  ] as const) {
    it(`shows the ${name}'s two tool headings side by side at 600 px`, async () => {
      const page = await open(html(), 600);
      const cards = await toolHeadings(page);
      expect(cards).toHaveLength(comparisons.length);
      for (const [left, right] of cards) {
        if (!left || !right) throw new Error('a card without two tool headings');
        expect(Math.abs(left.y - right.y)).toBeLessThan(2);
        expect(right.x).toBeGreaterThanOrEqual(left.x + left.width);
      }
      await page.screenshot({ path: join(SHOTS, `${name.replace(' ', '-')}-600.png`), fullPage: true });
      await page.close();
    });

    it(`stacks the ${name}'s tool headings at 375 px and never scrolls sideways`, async () => {
      const page = await open(html(), 375);
      const cards = await toolHeadings(page);
      expect(cards).toHaveLength(comparisons.length);
      for (const [top, below] of cards) {
        if (!top || !below) throw new Error('a card without two tool headings');
        expect(below.y).toBeGreaterThan(top.y + top.height);
        expect(Math.abs(below.x - top.x)).toBeLessThan(2);
        // Stacked, a heading has the card's width: "Hugging Face Inference Providers Hub" takes two lines
        // at most, not the three it took in a 165 px column.
        expect(top.width).toBeGreaterThan(250);
        expect(top.height).toBeLessThanOrEqual(2 * 22 + 1);
      }
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width).toBeLessThanOrEqual(375);
      await page.screenshot({ path: join(SHOTS, `${name.replace(' ', '-')}-375.png`), fullPage: true });
      await page.close();
    });
  }

  it('keeps every text colour readable on its background, in light and dark mode', async () => {
    const report: string[] = [
      'scheme | text | background | ratio | needed | sample',
      '--- | --- | --- | --- | --- | ---',
    ];
    const seen: Record<string, ContrastPair[]> = {};
    for (const scheme of ['light', 'dark'] as const) {
      const page = await open(email, 600, scheme);
      const pairs = await contrastPairs(page);
      seen[scheme] = pairs;
      for (const pair of pairs) {
        const needed = pair.large ? 3 : 4.5;
        report.push(
          `${scheme} | ${pair.color} | ${pair.background} | ${pair.ratio} | ${needed} | ${pair.samples.slice(0, 3).join(' / ')}`,
        );
        expect(
          pair.ratio,
          `${scheme}: ${pair.color} on ${pair.background} ("${pair.samples[0]}")`,
        ).toBeGreaterThanOrEqual(needed);
      }
      await page.screenshot({ path: join(SHOTS, `email-600-${scheme}.png`), fullPage: true });
      await page.close();
    }
    // Dark mode really recolours: the page is dark and the body text light.
    expect(seen.dark?.some((pair) => pair.background === '#0d1117' && pair.color === '#e6edf3')).toBe(true);
    expect(seen.light?.some((pair) => pair.background === '#ffffff' && pair.color === '#1f2328')).toBe(true);
    // Badges, links, muted text and the pick strip are all among what was measured.
    for (const scheme of ['light', 'dark'] as const)
      for (const sample of [
        'SHIP',
        'SKIP',
        'SPLIT',
        'View in browser',
        'Anthropic',
        "Panel's pick",
        'Read the full comparison',
      ])
        expect(
          seen[scheme]?.some((pair) => pair.samples.some((text) => text.startsWith(sample))),
          `${scheme}: ${sample}`,
        ).toBe(true);
    writeFileSync(join(ARTIFACTS, 'contrast.md'), `${report.join('\n')}\n`);
  });
});
