import { describe, expect, it } from 'vitest';
import {
  comparePersonas,
  panelPersonas,
  panelPick,
  personaLabel,
  type Review,
  summarizeTool,
  type Tool,
} from '../../src/domain/comparison.js';

function tool(slug: string, reviews: [string, number, 'ship' | 'skip'][]): Tool {
  return {
    slug,
    name: slug.toUpperCase(),
    category: 'Developer Tools',
    reviews: reviews.map(([persona, score, verdict]): Review => ({ persona, score, verdict })),
  };
}

describe('summarizeTool', () => {
  it.each([
    { votes: ['ship', 'ship', 'ship', 'ship'], verdict: 'SHIP', ship: 4, skip: 0, share: 100 },
    { votes: ['ship', 'ship', 'ship', 'skip'], verdict: 'SHIP', ship: 3, skip: 1, share: 75 },
    { votes: ['ship', 'ship', 'skip', 'skip'], verdict: 'SPLIT', ship: 2, skip: 2, share: 50 },
    { votes: ['skip', 'skip', 'skip', 'ship'], verdict: 'SKIP', ship: 1, skip: 3, share: 25 },
    { votes: ['ship', 'skip', 'skip'], verdict: 'SKIP', ship: 1, skip: 2, share: 33 },
    { votes: ['ship', 'ship', 'skip'], verdict: 'SHIP', ship: 2, skip: 1, share: 67 },
  ] as const)('$ship ship / $skip skip is $verdict with $share%', ({ votes, verdict, ship, skip, share }) => {
    const summary = summarizeTool(
      tool(
        't',
        votes.map((vote, index) => [`p${index}`, 50, vote]),
      ),
    );
    expect(summary).toMatchObject({
      verdict,
      shipVotes: ship,
      skipVotes: skip,
      shipShare: share,
      panelSize: votes.length,
    });
  });

  it('averages to one decimal', () => {
    expect(
      summarizeTool(
        tool('t', [
          ['a', 82, 'ship'],
          ['b', 74, 'ship'],
          ['c', 78, 'ship'],
          ['d', 80, 'ship'],
        ]),
      ).averageScore,
    ).toBe(78.5);
    expect(
      summarizeTool(
        tool('t', [
          ['a', 80, 'ship'],
          ['b', 80, 'ship'],
          ['c', 81, 'ship'],
        ]),
      ).averageScore,
    ).toBe(80.3);
    expect(
      summarizeTool(
        tool('t', [
          ['a', 80, 'ship'],
          ['b', 81, 'ship'],
          ['c', 81, 'ship'],
        ]),
      ).averageScore,
    ).toBe(80.7);
    expect(
      summarizeTool(
        tool('t', [
          ['a', 80, 'ship'],
          ['b', 81, 'ship'],
          ['c', 80, 'ship'],
          ['d', 80, 'ship'],
        ]),
      ).averageScore,
    ).toBe(80.3);
  });
});

describe('panelPick', () => {
  it('picks the higher average', () => {
    const left = tool('left', [['builder', 90, 'ship']]);
    const right = tool('right', [['builder', 70, 'skip']]);
    expect(panelPick([left, right])).toEqual({ kind: 'tool', slug: 'left', name: 'LEFT' });
    expect(panelPick([right, left])).toEqual({ kind: 'tool', slug: 'left', name: 'LEFT' });
  });

  it('calls equal averages dead even', () => {
    const left = tool('left', [
      ['builder', 80, 'ship'],
      ['skeptic', 60, 'skip'],
    ]);
    const right = tool('right', [
      ['builder', 70, 'ship'],
      ['skeptic', 70, 'ship'],
    ]);
    expect(panelPick([left, right])).toEqual({ kind: 'even' });
  });
});

describe('persona order', () => {
  it('shows the panel first, then others alphabetically', () => {
    const personas = ['zealot', 'futurist', 'analyst', 'builder', 'founder', 'skeptic'];
    expect([...personas].sort(comparePersonas)).toEqual([
      'builder',
      'skeptic',
      'founder',
      'futurist',
      'analyst',
      'zealot',
    ]);
  });

  it('collects personas from both tools once', () => {
    const left = tool('l', [
      ['founder', 1, 'ship'],
      ['builder', 1, 'ship'],
    ]);
    const right = tool('r', [
      ['power-user', 1, 'ship'],
      ['builder', 1, 'ship'],
    ]);
    expect(panelPersonas([left, right])).toEqual(['builder', 'founder', 'power-user']);
  });

  it('title-cases slugs', () => {
    expect(personaLabel('futurist')).toBe('Futurist');
    expect(personaLabel('power-user')).toBe('Power User');
  });
});
