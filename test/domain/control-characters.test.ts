import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseComparisonDocument } from '../../src/domain/comparison-document.js';
import {
  codePointLabel,
  controlCharacterProblem,
  findControlCharacter,
  type TextShape,
} from '../../src/domain/control-characters.js';
import { approverProblem, subjectProblem } from '../../src/domain/draft.js';
import { noteProblem } from '../../src/domain/editor-note.js';
import { matchCategories } from '../../src/domain/subscriber.js';

const valid = () =>
  JSON.parse(
    readFileSync(
      new URL('../fixtures/comparisons/2026-w46-ollama-vs-lm-studio.json', import.meta.url),
      'utf8',
    ),
  );

function problems(document: unknown): string[] {
  const result = parseComparisonDocument(JSON.stringify(document), 'doc.json');
  return result.ok ? [] : result.problems.map((problem) => `${problem.path}: ${problem.message}`);
}

describe('findControlCharacter', () => {
  it.each<[string, string, TextShape, number | undefined]>([
    ['plain text', 'Claude Code vs Aider', 'one-line', undefined],
    ['text above U+00A0', 'café – 漢字 🚀', 'one-line', undefined],
    ['NUL', 'AI\u0000Coding', 'one-line', 0x00],
    ['SOH', '\u0001Title', 'one-line', 0x01],
    ['ESC', 'Cursor\u001b[31m', 'one-line', 0x1b],
    ['DEL', 'a\u007fb', 'one-line', 0x7f],
    ['NEL (C1)', 'a\u0085b', 'one-line', 0x85],
    ['CSI (C1)', 'a\u009bb', 'one-line', 0x9b],
    ['U+009F, the last C1', 'a\u009fb', 'one-line', 0x9f],
    ['NBSP is not a control', 'a\u00a0b', 'one-line', undefined],
    ['a line feed on one line', 'one\ntwo', 'one-line', 0x0a],
    ['a tab on one line', 'one\ttwo', 'one-line', 0x09],
    ['line feed, CR and tab in prose', 'one\r\ntwo\tthree\n', 'multi-line', undefined],
    ['ESC in prose', 'one\n\u001b[2J', 'multi-line', 0x1b],
    ['vertical tab in prose', 'a\u000bb', 'multi-line', 0x0b],
    ['form feed in prose', 'a\u000cb', 'multi-line', 0x0c],
    ['the first of several', 'a\u0007b\u0000', 'one-line', 0x07],
  ])('%s', (_name, text, shape, expected) => {
    expect(findControlCharacter(text, shape)).toBe(expected);
  });

  it.each([
    [0x00, 'U+0000'],
    [0x1b, 'U+001B'],
    [0x9b, 'U+009B'],
  ])('labels %i as %s', (codePoint, label) => {
    expect(codePointLabel(codePoint)).toBe(label);
  });

  it('says which character and what to do', () => {
    expect(controlCharacterProblem('a\u001bb')).toBe('contains a control character (U+001B); remove it');
    expect(controlCharacterProblem('fine')).toBeUndefined();
  });
});

describe('parseComparisonDocument refuses control characters', () => {
  it.each<[string, (document: ReturnType<typeof valid>) => void, string[]]>([
    [
      'in the title',
      (d) => {
        d.title = 'Ollama\u0001 vs LM Studio';
      },
      ['title: contains a control character (U+0001); remove it'],
    ],
    [
      'in a tool name',
      (d) => {
        d.tools[0].name = 'Ollama\u001b[31m';
      },
      ['tools[0].name: contains a control character (U+001B); remove it'],
    ],
    [
      'in a category',
      (d) => {
        d.tools[1].category = 'Local Models\u0000';
      },
      ['tools[1].category: contains a control character (U+0000); remove it'],
    ],
    [
      'a line break in the headline, a one-line teaser',
      (d) => {
        d.headline = 'One line\nand another';
      },
      ['headline: contains a control character (U+000A); remove it'],
    ],
    [
      'C1 and DEL in the tagline, pricing, entry price and best for',
      (d) => {
        d.tools[0].tagline = 'a\u0085';
        d.tools[0].pricing = 'b\u009b';
        d.tools[0].entryPrice = 'c\u007f';
        d.tools[1].bestFor = 'd\u0007';
      },
      [
        'tools[0].tagline: contains a control character (U+0085); remove it',
        'tools[0].pricing: contains a control character (U+009B); remove it',
        'tools[0].entryPrice: contains a control character (U+007F); remove it',
        'tools[1].bestFor: contains a control character (U+0007); remove it',
      ],
    ],
    [
      'ESC in prose: a description and a review',
      (d) => {
        d.tools[0].description = 'Runs models.\n\u001b]0;owned\u0007';
        d.tools[1].reviews[2].text = 'Good\u001b[2J';
      },
      [
        'tools[0].description: contains a control character (U+001B); remove it',
        'tools[1].reviews[2].text: contains a control character (U+001B); remove it',
      ],
    ],
    [
      'in a URL',
      (d) => {
        d.url = 'https://example.com/compare/\u001b';
      },
      ['url: contains a control character (U+001B); remove it'],
    ],
    [
      'together with a length problem on the same field',
      (d) => {
        d.tools[0].name = `${'x'.repeat(120)}\u001b`;
      },
      [
        'tools[0].name: must be at most 120 characters',
        'tools[0].name: contains a control character (U+001B); remove it',
      ],
    ],
  ])('%s', (_name, change, expected) => {
    const document = valid();
    change(document);
    expect(problems(document)).toEqual(expected);
  });

  it('keeps line breaks, carriage returns and tabs in a description and a review', () => {
    const document = valid();
    document.tools[0].description = 'First paragraph.\r\n\r\nSecond\tparagraph.\n';
    document.tools[1].reviews[0].text = 'Line one.\nLine two.';
    expect(problems(document)).toEqual([]);
  });
});

describe('categories, subjects, notes and approvers refuse control characters', () => {
  it.each([
    [['Coding\u001bAgents'], false],
    [['Coding Agents', 'New\u0000One'], true],
    [['A\u0085'], true],
  ])('category list %j (new allowed: %s)', (requested, allowNew) => {
    const match = matchCategories(['Coding Agents'], requested, allowNew);
    expect(match.ok).toBe(false);
    if (!match.ok)
      expect(match.reason).toMatch(
        /^category ".*" contains a control character \(U\+00[0-9A-F]{2}\); remove it$/,
      );
    // The reason itself carries no control character: it is printed as it is.
    if (!match.ok) expect(findControlCharacter(match.reason)).toBeUndefined();
  });

  it.each([
    ['Three verdicts\u001b[5m', 'The subject contains a control character (U+001B); remove it.'],
    ['Three verdicts\u0085', 'The subject contains a control character (U+0085); remove it.'],
    ['Line\nBcc: x@example.com', 'A subject must be one line of text, with no control characters.'],
    ['Three verdicts', undefined],
  ])('subject %j', (subject, expected) => {
    expect(subjectProblem(subject)).toBe(expected);
  });

  it.each([
    ['A *quiet* week.\r\n\r\nSee\tyou.', undefined],
    ['A quiet week.\u001b[2J', 'The note contains a control character (U+001B); remove it.'],
    ['A quiet\u0000 week.', 'The note contains a control character (U+0000); remove it.'],
  ])('note %j', (note, expected) => {
    expect(noteProblem(note)).toBe(expected);
  });

  it('refuses a C1 control in an approver', () => {
    expect(approverProblem('ada\u009b')).toBe('The approver must be a name or an address on one line.');
  });
});
