// The marks a web version keeps around each tool's community line, where the readers' tally goes.
import { describe, expect, it } from 'vitest';
import { findReadersMarks, readersMarkAttributes } from '../../src/domain/readers-mark.js';

const bytes = (html: string) => new TextEncoder().encode(html);
const LINE = '<br/><b>Community:</b> 3 ship / 1 skip';

describe('readersMarkAttributes', () => {
  it.each([
    [true, 'beside:cursor-vs-windsurf/cursor'],
    [false, 'instead:cursor-vs-windsurf/cursor'],
  ])('with the site votes %s: %s', (siteHasVotes, value) => {
    expect(readersMarkAttributes('cursor-vs-windsurf', 'cursor', siteHasVotes)).toEqual({
      'data-readers': value,
    });
  });
});

describe('findReadersMarks', () => {
  it.each<[string, string, { comparison: string; tool: string; mode: string; inner: string }[]]>([
    ['a page stored before votes', '<p>as published</p>', []],
    [
      'one mark',
      `<p>x<span data-readers="beside:a-vs-b/a">${LINE}</span></p>`,
      [{ comparison: 'a-vs-b', tool: 'a', mode: 'beside', inner: LINE }],
    ],
    [
      'two, after text of more than one byte a character',
      `<p>“é” · <span data-readers="beside:a-vs-b/a">${LINE}</span> — <span data-readers="instead:a-vs-b/b">No</span></p>`,
      [
        { comparison: 'a-vs-b', tool: 'a', mode: 'beside', inner: LINE },
        { comparison: 'a-vs-b', tool: 'b', mode: 'instead', inner: 'No' },
      ],
    ],
    ['an unknown mode', '<span data-readers="over:a-vs-b/a">x</span>', []],
    ['no tool', '<span data-readers="beside:a-vs-b">x</span>', []],
    ['a slug no import allows', '<span data-readers="beside:A&quot;/a">x</span>', []],
    ['no closing tag', '<span data-readers="beside:a-vs-b/a">x', []],
    [
      'a mark opened inside another (only the inner one is whole)',
      '<span data-readers="beside:a/a">x<span data-readers="beside:b/b">y</span>',
      [{ comparison: 'b', tool: 'b', mode: 'beside', inner: 'y' }],
    ],
    ['an unterminated attribute', '<span data-readers="beside:a/a', []],
    ['an attribute far too long', `<span data-readers="beside:${'a'.repeat(500)}/a">x</span>`, []],
    [
      'the text of a comparison, escaped',
      '&lt;span data-readers=&quot;beside:a/a&quot;&gt;x&lt;/span&gt;',
      [],
    ],
  ])('%s', (_, html, expected) => {
    const page = bytes(html);
    const marks = findReadersMarks(page);
    expect(
      marks.map(({ comparison, tool, mode, start, end }) => ({
        comparison,
        tool,
        mode,
        inner: new TextDecoder().decode(page.subarray(start, end)),
      })),
    ).toEqual(expected);
  });

  it('reads a page held in part of a larger buffer', () => {
    const whole = bytes(`xxxx<span data-readers="beside:a/b">${LINE}</span>`);
    const [mark] = findReadersMarks(whole.subarray(4));
    expect(mark).toMatchObject({
      comparison: 'a',
      tool: 'b',
      start: '<span data-readers="beside:a/b">'.length,
    });
  });
});
