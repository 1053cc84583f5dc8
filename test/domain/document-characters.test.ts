import { describe, expect, it } from 'vitest';
import { documentText } from '../../src/domain/document-characters.js';

describe('documentText', () => {
  it.each([
    ['plain text', 'Claude Code vs Aider', 'Claude Code vs Aider'],
    ['tab, line feed and carriage return', 'a\tb\nc\r\n', 'a\tb\nc\r\n'],
    ['NUL', 'AI\u0000Coding', 'AI\uFFFDCoding'],
    ['SOH and ESC', '\u0001Title\u001b[31m', '\uFFFDTitle\uFFFD[31m'],
    ['vertical tab and form feed', 'a\u000bb\u000cc', 'a\uFFFDb\uFFFDc'],
    ['DEL and the C1 controls', 'a\u007fb\u0085c\u009bd', 'a\uFFFDb\uFFFDc\uFFFDd'],
    ['the non-characters U+FFFE and U+FFFF', 'a\ufffeb\uffff', 'a\uFFFDb\uFFFD'],
    ['a lone high surrogate', 'a\ud83db', 'a\uFFFDb'],
    ['a lone low surrogate', 'a\ude00b', 'a\uFFFDb'],
    ['a high surrogate at the end', 'a\ud83d', 'a\uFFFD'],
    ['a surrogate pair (an emoji)', 'ship \ud83d\ude80', 'ship \ud83d\ude80'],
    ['characters above U+00A0', 'café – 16–22 November · 漢字', 'café – 16–22 November · 漢字'],
  ])('%s', (_name, input, expected) => {
    expect(documentText(input)).toBe(expected);
  });
});
