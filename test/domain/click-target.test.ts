import { describe, expect, it } from 'vitest';
import { clickTarget, normaliseLink } from '../../src/domain/click-target.js';

const comparisons = [
  { slug: 'claude-code-vs-aider', url: 'https://example.com/compare/claude-code-vs-aider' },
  { slug: 'cursor-vs-windsurf', url: 'https://example.com/compare/cursor-vs-windsurf/' },
  { slug: 'cursor-vs-windsurf-2', url: 'https://example.com/compare/cursor-vs-windsurf/2026' },
  { slug: 'at-root', url: 'https://tools.example.org' },
];

describe('normaliseLink', () => {
  it.each([
    ['https://www.Example.com/Compare/A-vs-B/?utm_source=x#top', 'example.com/compare/a-vs-b'],
    ['http://example.com/compare/a-vs-b', 'example.com/compare/a-vs-b'],
    ['https://example.com:8443/x', 'example.com:8443/x'],
    ['https://example.com', 'example.com'],
    [' not a url ', 'not a url'],
  ])('%j -> %j', (link, expected) => {
    expect(normaliseLink(link)).toBe(expected);
  });
});

describe('clickTarget', () => {
  it.each([
    [
      'https://example.com/compare/claude-code-vs-aider',
      { kind: 'comparison', slug: 'claude-code-vs-aider' },
    ],
    [
      'http://www.example.com/compare/claude-code-vs-aider/?utm_source=digest&utm_medium=email#panel',
      { kind: 'comparison', slug: 'claude-code-vs-aider' },
    ],
    [
      'https://example.com/compare/claude-code-vs-aider/reviews',
      { kind: 'comparison', slug: 'claude-code-vs-aider' },
    ],
    ['https://example.com/compare/cursor-vs-windsurf', { kind: 'comparison', slug: 'cursor-vs-windsurf' }],
    [
      'https://example.com/compare/cursor-vs-windsurf/2026#x',
      { kind: 'comparison', slug: 'cursor-vs-windsurf-2' },
    ],
    // A prefix of the path only counts at a path segment boundary.
    ['https://example.com/compare/claude-code-vs-aider-pro', { kind: 'other' }],
    ['https://other.example.com/compare/claude-code-vs-aider', { kind: 'other' }],
    ['https://tools.example.org/', { kind: 'comparison', slug: 'at-root' }],
    ['https://tools.example.org/pricing', { kind: 'other' }],
    ['https://news.verdicts.test/editions/2026-W47', { kind: 'other' }],
    ['https://news.verdicts.test/unsubscribe/AbC123?e=2026-W47', { kind: 'personal' }],
    ['https://news.verdicts.test/preferences/AbC123', { kind: 'personal' }],
    ['https://news.verdicts.test/digest/unsubscribe/AbC123', { kind: 'personal' }],
    ['mailto:editor@example.com', { kind: 'other' }],
    ['garbage', { kind: 'other' }],
  ])('%s', (link, expected) => {
    expect(clickTarget(link, comparisons)).toEqual(expected);
  });
});
