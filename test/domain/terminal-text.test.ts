import { describe, expect, it } from 'vitest';
import { terminalSafe } from '../../src/domain/terminal-text.js';

describe('terminalSafe', () => {
  it.each([
    ['plain text', 'Claude Code vs Aider', 'Claude Code vs Aider'],
    ['text above U+00A0', 'café – 漢字 🚀', 'café – 漢字 🚀'],
    ['ESC starting a colour', 'Aider\u001b[31m red', 'Aider\\u001b[31m red'],
    ['a window title sequence', '\u001b]0;owned\u0007', '\\u001b]0;owned\\u0007'],
    ['NUL', 'AI\u0000Coding', 'AI\\u0000Coding'],
    ['DEL and the C1 CSI', 'a\u007fb\u009bc', 'a\\u007fb\\u009bc'],
    ['a line feed and a tab on one line', 'one\ntwo\tthree', 'one\\u000atwo\\u0009three'],
    ['a carriage return', 'shown\rhidden', 'shown\\u000dhidden'],
  ])('%s', (_name, text, expected) => {
    expect(terminalSafe(text)).toBe(expected);
  });

  it.each([
    ['keeps line feeds and tabs', 'one\n\ttwo', 'one\n\ttwo'],
    ['still escapes ESC', 'one\n\u001b[2J', 'one\n\\u001b[2J'],
    ['still escapes a carriage return, which overwrites the line', 'a\r\nb', 'a\\u000d\nb'],
  ])('multi-line text: %s', (_name, text, expected) => {
    expect(terminalSafe(text, { multiLine: true })).toBe(expected);
  });

  it('is idempotent: its output holds no control character', () => {
    const once = terminalSafe('a\u001b\u0000\u0085b');
    expect(terminalSafe(once)).toBe(once);
  });
});
