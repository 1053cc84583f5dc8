import { describe, expect, it } from 'vitest';
import { manyComparisons, realComparison, w47Comparisons } from '../../emails/_fixtures/comparisons.js';
import { type DigestComparison, defaultSubject, digestPreheader } from '../../src/domain/digest.js';

const titled = (...titles: string[]) => titles.map((title) => ({ title }));

describe('defaultSubject', () => {
  it.each([
    { titles: ['Claude Code vs Aider'], subject: "Claude Code vs Aider: the panel's verdict" },
    { titles: ['Claude Code vs Aider', 'B vs C'], subject: 'Claude Code vs Aider, and 1 more verdict' },
    {
      titles: ['Claude Code vs Aider', 'B', 'C', 'D', 'E'],
      subject: 'Claude Code vs Aider, and 4 more verdicts',
    },
    { titles: ['  Line\nbreak \t vs  tab ', 'x'], subject: 'Line break vs tab, and 1 more verdict' },
  ])('$subject', ({ titles, subject }) => {
    expect(defaultSubject(titled(...titles))).toBe(subject);
  });

  it('counts every comparison of the edition when given only its first ones', () => {
    expect(defaultSubject(titled('Claude Code vs Aider', 'B vs C'), 2500)).toBe(
      'Claude Code vs Aider, and 2499 more verdicts',
    );
  });

  it('names the lead comparison of the W47 edition and never the week key', () => {
    const subject = defaultSubject(w47Comparisons);
    expect(subject).toBe('Claude Code vs Aider, and 2 more verdicts');
    expect(subject).not.toMatch(/W\d\d|Weekly AI Tool Verdicts/);
  });
});

describe('digestPreheader', () => {
  it('summarises every pick when they fit', () => {
    expect(digestPreheader(w47Comparisons)).toBe(
      'Picks: Claude Code over Aider · Cursor 3 over Windsurf Wave 14 · Mistral 3 Small (22B) over Hugging Face Inference Providers Hub',
    );
  });

  it('says "dead even" for a tie', () => {
    const even: DigestComparison = { ...realComparison, pick: { kind: 'even' } };
    expect(digestPreheader([even])).toBe(
      'Picks: Hugging Face Inference Providers Hub vs Mistral 3 Small (22B): dead even',
    );
  });

  it('stops at what an inbox shows and counts the rest', () => {
    const preheader = digestPreheader(manyComparisons(10));
    expect(preheader).toBe(
      'Picks: Replit Agent over Bolt.new · Perplexity Pro over ChatGPT Search · Granola over Otter.ai · ElevenLabs over PlayHT · and 6 more',
    );
    expect(preheader.length).toBeLessThanOrEqual(150);
  });

  it('always names the first pick, however long', () => {
    const long: DigestComparison = {
      ...realComparison,
      pick: { kind: 'tool', slug: 'x', name: 'X'.repeat(200) },
    };
    expect(digestPreheader([long, ...w47Comparisons])).toMatch(/^Picks: X{200} over .* · and 3 more$/);
  });
});
