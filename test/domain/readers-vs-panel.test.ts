import { describe, expect, it } from 'vitest';
import { w47Comparisons } from '../../emails/_fixtures/comparisons.js';
import type { ToolVerdict } from '../../src/domain/comparison.js';
import type { DigestComparison } from '../../src/domain/digest.js';
import {
  disagreement,
  MAX_SHOWN,
  readersVsPanel,
  readersVsPanelText,
  verdictSentence,
} from '../../src/domain/readers-vs-panel.js';
import type { ComparisonTally } from '../../src/domain/vote-tally.js';

/** A comparison named `slug` whose two tools have the panel verdicts given. */
function comparison(slug: string, left: ToolVerdict, right: ToolVerdict): DigestComparison {
  const base = w47Comparisons[0] as DigestComparison;
  const [a, b] = base.tools;
  const tool = (model: typeof a, name: string, verdict: ToolVerdict) => ({
    ...model,
    slug: `${slug}-${name}`,
    name: `${slug.toUpperCase()} ${name}`,
    summary: { ...model.summary, verdict },
  });
  return { ...base, slug, title: `${slug} vs`, tools: [tool(a, 'left', left), tool(b, 'right', right)] };
}

/** The tally of `slug`: [ship, skip] of its left and right tool (omitted: no votes on it). */
function tally(slug: string, left?: [number, number], right?: [number, number]): ComparisonTally {
  const tools = [
    ...(left ? [{ slug: `${slug}-left`, ship: left[0], skip: left[1] }] : []),
    ...(right ? [{ slug: `${slug}-right`, ship: right[0], skip: right[1] }] : []),
  ];
  return { slug, title: `${slug} vs`, tools, updatedAt: '2026-11-26T10:00:00.000Z' };
}

describe('disagreement', () => {
  it.each([
    { panel: 'SKIP', ship: 16, skip: 9, distance: 64 },
    { panel: 'SHIP', ship: 9, skip: 1, distance: 10 },
    { panel: 'SHIP', ship: 0, skip: 5, distance: 100 },
    { panel: 'SKIP', ship: 0, skip: 5, distance: 0 },
    { panel: 'SPLIT', ship: 5, skip: 5, distance: 0 },
    { panel: 'SPLIT', ship: 10, skip: 0, distance: 50 },
    { panel: 'SHIP', ship: 0, skip: 0, distance: 0 },
  ] as const)(
    'panel $panel, readers $ship ship / $skip skip: $distance apart',
    ({ panel, ship, skip, distance }) => {
      expect(disagreement(panel, { ship, skip })).toBeCloseTo(distance, 6);
    },
  );
});

describe('verdictSentence', () => {
  it.each([
    { panel: 'SKIP', ship: 16, skip: 9, sentence: 'The panel said Skip on Aider; 64% of you said Ship' },
    { panel: 'SHIP', ship: 9, skip: 1, sentence: 'The panel said Ship on Aider; 90% of you agreed' },
    { panel: 'SHIP', ship: 3, skip: 7, sentence: 'The panel said Ship on Aider; 70% of you said Skip' },
    { panel: 'SKIP', ship: 0, skip: 5, sentence: 'The panel said Skip on Aider; 100% of you agreed' },
    { panel: 'SKIP', ship: 3, skip: 3, sentence: 'The panel said Skip on Aider; you split 50/50' },
    { panel: 'SPLIT', ship: 3, skip: 7, sentence: 'The panel was split on Aider; 70% of you said Skip' },
    { panel: 'SPLIT', ship: 2, skip: 2, sentence: 'The panel was split on Aider; you split 50/50 too' },
  ] as const)('$sentence', ({ panel, ship, skip, sentence }) => {
    expect(verdictSentence({ name: 'Aider', panel, ship, skip })).toBe(sentence);
  });
});

describe('readersVsPanel', () => {
  const a = comparison('a', 'SHIP', 'SKIP');
  const b = comparison('b', 'SKIP', 'SPLIT');
  const c = comparison('c', 'SHIP', 'SHIP');
  const d = comparison('d', 'SPLIT', 'SHIP');

  it.each([
    {
      name: 'the biggest disagreement first, whatever the edition order',
      tallies: [tally('a', [5, 0], [1, 0]), tally('b', [3, 2]), tally('c', [0, 4], [1, 0])],
      // a: left 0 apart, right 100 apart; b: left 60 apart; c: left 100 apart (0 of 4 ship), right 0.
      order: ['a', 'c', 'b'],
    },
    {
      name: 'equal disagreements: the more votes first',
      tallies: [tally('a', [0, 5]), tally('b', [9, 0])],
      order: ['b', 'a'],
    },
    {
      name: 'fewer than 5 votes on a comparison: left out',
      tallies: [tally('a', [2, 0], [0, 2]), tally('b', [5, 0])],
      order: ['b'],
    },
    {
      name: '5 votes over both tools together: shown',
      tallies: [tally('a', [2, 0], [2, 1])],
      order: ['a'],
    },
    {
      name: 'a tally of a comparison the edition did not carry: ignored',
      tallies: [tally('x', [9, 9])],
      order: [],
    },
    { name: 'no votes at all', tallies: [], order: [] },
  ])('$name', ({ tallies, order }) => {
    const block = readersVsPanel('2026-W47', [a, b, c, d], tallies);
    if (order.length === 0) expect(block).toBeUndefined();
    else expect(block?.comparisons.map((each) => each.slug)).toEqual(order);
  });

  it('puts the tool readers disagree with most first, and leaves out a tool nobody voted on', () => {
    const block = readersVsPanel('2026-W47', [a, d], [tally('a', [4, 0], [4, 0]), tally('d', [5, 0])]);
    expect(block?.comparisons).toEqual([
      {
        slug: 'a',
        title: 'a vs',
        votes: 8,
        disagreement: 100,
        tools: [
          { slug: 'a-right', name: 'A right', panel: 'SKIP', ship: 4, skip: 0, disagreement: 100 },
          { slug: 'a-left', name: 'A left', panel: 'SHIP', ship: 4, skip: 0, disagreement: 0 },
        ],
      },
      {
        slug: 'd',
        title: 'd vs',
        votes: 5,
        disagreement: 50,
        tools: [{ slug: 'd-left', name: 'D left', panel: 'SPLIT', ship: 5, skip: 0, disagreement: 50 }],
      },
    ]);
  });

  it(`shows at most ${MAX_SHOWN} comparisons and counts the others`, () => {
    const many = Array.from({ length: MAX_SHOWN + 2 }, (_, index) => comparison(`m${index}`, 'SKIP', 'SKIP'));
    const block = readersVsPanel(
      '2026-W47',
      many,
      many.map((each, index) => tally(each.slug, [index + 1, 5])),
    );
    expect(block?.comparisons).toHaveLength(MAX_SHOWN);
    expect(block?.comparisons[0]?.slug).toBe(`m${MAX_SHOWN + 1}`);
    expect(block?.more).toBe(2);
  });
});

describe('readersVsPanelText', () => {
  it('gives a heading, each comparison with a line per tool and its card in the web version, and the rest counted', () => {
    const a = comparison('a', 'SKIP', 'SHIP');
    const computed = readersVsPanel('2026-W47', [a], [tally('a', [16, 9], [9, 1])]);
    if (!computed) throw new Error('no block');
    const block = { ...computed, more: 1 };
    const lines = readersVsPanelText({ block, editionUrl: 'https://x.test/editions/2026-W47' });
    expect(lines).toEqual([
      'READERS VS PANEL',
      '',
      "How you voted on last edition's verdicts, the biggest disagreement first.",
      '- a vs',
      '  The panel said Skip on A left; 64% of you said Ship (25 votes)',
      '  The panel said Ship on A right; 90% of you agreed (10 votes)',
      '  https://x.test/editions/2026-W47#a',
      'And 1 more comparison you voted on: https://x.test/editions/2026-W47',
      '',
    ]);
  });

  it('is nothing without a block', () => {
    expect(readersVsPanelText({ block: undefined, editionUrl: 'https://x.test/editions/2026-W47' })).toEqual(
      [],
    );
  });
});
