import { describe, expect, it } from 'vitest';
import type { Review } from '../../src/domain/comparison.js';
import { excerpt, panelQuote, QUOTE_MAX_CHARS } from '../../src/domain/quote.js';
import realDocument from '../fixtures/comparisons/2026-w47-hugging-face-vs-mistral-3-small.json' with {
  type: 'json',
};

type Vote = [persona: string, score: number, verdict: 'ship' | 'skip', text?: string];
const panel = (votes: Vote[]): Review[] =>
  votes.map(([persona, score, verdict, text = `${persona} says so.`]) => ({ persona, score, verdict, text }));

describe('panelQuote', () => {
  it.each<{ name: string; votes: Vote[]; persona: string; dissent: boolean }>([
    {
      name: 'a unanimous panel: the highest score speaks',
      votes: [
        ['builder', 82, 'ship'],
        ['skeptic', 74, 'ship'],
        ['founder', 78, 'ship'],
        ['futurist', 80, 'ship'],
      ],
      persona: 'builder',
      dissent: false,
    },
    {
      name: 'a unanimous skip: still the highest score',
      votes: [
        ['builder', 40, 'skip'],
        ['skeptic', 52, 'skip'],
      ],
      persona: 'skeptic',
      dissent: false,
    },
    {
      name: 'equal top scores: panel order decides',
      votes: [
        ['futurist', 90, 'ship'],
        ['skeptic', 90, 'ship'],
        ['builder', 70, 'ship'],
      ],
      persona: 'skeptic',
      dissent: false,
    },
    {
      name: 'three ship, one skip: the skip dissents',
      votes: [
        ['builder', 89, 'ship'],
        ['skeptic', 60, 'skip'],
        ['founder', 82, 'ship'],
        ['futurist', 77, 'ship'],
      ],
      persona: 'skeptic',
      dissent: true,
    },
    {
      name: 'three skip, one ship: the ship dissents',
      votes: [
        ['builder', 45, 'skip'],
        ['skeptic', 30, 'skip'],
        ['founder', 70, 'ship'],
        ['futurist', 50, 'skip'],
      ],
      persona: 'founder',
      dissent: true,
    },
    {
      name: 'an even split: the lowest-scoring skip dissents',
      votes: [
        ['builder', 89, 'ship'],
        ['skeptic', 70, 'skip'],
        ['founder', 82, 'ship'],
        ['futurist', 63, 'skip'],
      ],
      persona: 'futurist',
      dissent: true,
    },
    {
      name: 'two ship dissenters: the higher score is the more emphatic',
      votes: [
        ['builder', 66, 'ship'],
        ['skeptic', 20, 'skip'],
        ['founder', 40, 'skip'],
        ['futurist', 71, 'ship'],
        ['power-user', 35, 'skip'],
      ],
      persona: 'futurist',
      dissent: true,
    },
  ])('$name', ({ votes, persona, dissent }) => {
    expect(panelQuote(panel(votes))).toMatchObject({ persona, dissent });
  });

  it('falls back to the highest-scoring writer when the dissenters wrote nothing', () => {
    const reviews = panel([
      ['builder', 80, 'ship'],
      ['skeptic', 40, 'skip', '   '],
      ['founder', 85, 'ship'],
    ]);
    expect(panelQuote(reviews)).toMatchObject({ persona: 'founder', dissent: false });
  });

  it('has no quote when nobody wrote a review', () => {
    expect(panelQuote([{ persona: 'builder', score: 80, verdict: 'ship' }])).toBeUndefined();
    expect(panelQuote([])).toBeUndefined();
  });

  it('credits score and vote and keeps a sentence or two', () => {
    expect(
      panelQuote(
        panel([
          ['builder', 89, 'ship', 'Plans, edits and runs the tests. The prompts are the right friction.'],
          [
            'skeptic',
            70,
            'skip',
            'Locked to one model vendor.  When a better model ships elsewhere, you\ncannot follow it.',
          ],
          ['founder', 82, 'ship'],
        ]),
      ),
    ).toEqual({
      persona: 'skeptic',
      score: 70,
      verdict: 'skip',
      text: 'Locked to one model vendor. When a better model ships elsewhere, you cannot follow it.',
      dissent: true,
    });
  });

  it('quotes the real comparison: the Builder for Hugging Face, the Builder for Mistral', () => {
    const [hub, mistral] = realDocument.tools.map((tool) => panelQuote(tool.reviews as Review[]));
    expect(hub).toMatchObject({ persona: 'builder', score: 82, dissent: false });
    expect(hub?.text).toBe(
      "The primitive here is clean: a single OpenAI-compatible endpoint that multiplexes across 12 inference providers with routing logic you don't have to write yourself.",
    );
    expect(mistral).toMatchObject({ persona: 'builder', score: 85 });
    expect(mistral?.text.length).toBeLessThanOrEqual(QUOTE_MAX_CHARS);
  });
});

describe('excerpt', () => {
  it.each([
    ['One sentence.', 'One sentence.'],
    ['First one. Second one. Third one.', 'First one. Second one.'],
    ['Short? Yes! And a third.', 'Short? Yes!'],
    [
      'It beats Claude Code vs. Aider on price. Then it stops.',
      'It beats Claude Code vs. Aider on price. Then it stops.',
    ],
    ['Runs local models, e.g. Ollama ones. Fast.', 'Runs local models, e.g. Ollama ones. Fast.'],
    ['Version 3.5 is out. "Quoted start" follows.', 'Version 3.5 is out. "Quoted start" follows.'],
    ['no terminal punctuation at all', 'no terminal punctuation at all'],
    ['lowercase after a stop. keeps going', 'lowercase after a stop. keeps going'],
  ])('%j -> %j', (text, expected) => {
    expect(excerpt(text)).toBe(expected);
  });

  it('leaves out a second sentence that would not fit', () => {
    const first = `${'a'.repeat(150)}.`;
    expect(excerpt(`${first} ${'B'.repeat(100)}.`)).toBe(first);
  });

  it('cuts an over-long first sentence at a word boundary with an ellipsis', () => {
    const long = `${'word '.repeat(80)}end.`;
    const cut = excerpt(long, 60);
    expect(cut.length).toBeLessThanOrEqual(60);
    expect(cut).toMatch(/^(word )+word…$/);
  });

  it('cuts a single unbroken word too', () => {
    expect(excerpt('x'.repeat(500), 40)).toBe(`${'x'.repeat(39)}…`);
  });
});
