import { describe, expect, it } from 'vitest';
import { htmlWithCharacterReferences, plainTypography } from '../../src/domain/one-byte-text.js';

describe('htmlWithCharacterReferences', () => {
  it.each([
    [
      'ASCII and Latin-1 stay as they are',
      '<p class="x">Café · 3×4 &amp; ©</p>',
      '<p class="x">Café · 3×4 &amp; ©</p>',
    ],
    ['an en dash', '16–22 November', '16&#8211;22 November'],
    ['curly quotes and an em dash', '“Clean” — Builder', '&#8220;Clean&#8221; &#8212; Builder'],
    ['a character outside the basic plane, as one reference', 'ship 🚀', 'ship &#128640;'],
    ['inside an attribute', '<a title="a→b">', '<a title="a&#8594;b">'],
  ])('%s', (_, html, expected) => {
    expect(htmlWithCharacterReferences(html)).toBe(expected);
  });
});

describe('plainTypography', () => {
  it.each([
    ['an em dash', 'correct — I have seen', 'correct -- I have seen'],
    ['an en dash in a range', '16–22 November', '16-22 November'],
    ['curly quotes', '“It’s clean,” she said', '"It\'s clean," she said'],
    ['an ellipsis', 'and more…', 'and more...'],
    ['an arrow and a bullet', '• Read → site', '* Read -> site'],
    ['a minus sign', '−3 points', '-3 points'],
    ['Latin-1 is already one byte', 'Café · 3×4 ©', 'Café · 3×4 ©'],
    ['other scripts and emoji stay: correct text first', '通义灵码 🚀 ≥', '通义灵码 🚀 ≥'],
  ])('%s', (_, text, expected) => {
    expect(plainTypography(text)).toBe(expected);
  });
});
