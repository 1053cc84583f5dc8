import { describe, expect, it } from 'vitest';
import { NOTE_MAX_CHARACTERS, noteProblem, renderEditorNote } from '../../src/domain/editor-note.js';

const LINK = '#0550ae';
const render = (markdown: string) => renderEditorNote(markdown, LINK);
const P = '<p style="margin:0 0 12px">';

describe('renderEditorNote: HTML', () => {
  it.each([
    ['a paragraph', 'Hello readers.', `${P}Hello readers.</p>`],
    ['two paragraphs', 'One.\n\nTwo.', `${P}One.</p>\n${P}Two.</p>`],
    ['emphasis', '*this* and **that**', `${P}<em>this</em> and <strong>that</strong></p>`],
    [
      'an https link, coloured inline',
      '[our site](https://example.com/a?b=1&c=2)',
      `${P}<a href="https://example.com/a?b=1&amp;c=2" style="color:${LINK}">our site</a></p>`,
    ],
    [
      'a mailto link',
      '[write](mailto:ed@example.com)',
      `${P}<a href="mailto:ed@example.com" style="color:${LINK}">write</a></p>`,
    ],
  ])('renders %s', (_name, markdown, html) => {
    expect(render(markdown).html).toBe(html);
  });

  it.each([
    [
      'raw HTML',
      '<b>bold</b> <script>alert(1)</script>',
      `${P}&lt;b&gt;bold&lt;/b&gt; &lt;script&gt;alert(1)&lt;/script&gt;</p>`,
    ],
    ['a heading', '# Big', `${P}# Big</p>`],
    ['a list', '- one\n- two', `${P}- one\n- two</p>`],
    ['code', '`rm -rf`', `${P}\`rm -rf\`</p>`],
    ['a javascript: link', '[x](javascript:alert(1))', `${P}[x](javascript:alert(1))</p>`],
    ['a relative link', '[x](/unsubscribe/abc)', `${P}[x](/unsubscribe/abc)</p>`],
    [
      'an attribute breakout',
      '[x](https://a.test/"onmouseover="alert(1))',
      `${P}<a href="https://a.test/%22onmouseover=%22alert(1)" style="color:${LINK}">x</a></p>`,
    ],
  ])('leaves %s as escaped text', (_name, markdown, html) => {
    expect(render(markdown).html).toBe(html);
  });

  it('shows an image as text with a link, never an <img>', () => {
    expect(render('![pixel](https://tracker.test/p.gif)').html).not.toContain('<img');
  });
});

describe('renderEditorNote: plain text', () => {
  it.each([
    ['paragraphs apart by a blank line', 'One.\n\nTwo.', 'One.\n\nTwo.'],
    ['line breaks kept', 'One\ntwo', 'One\ntwo'],
    ['emphasis marked as in plain-text mail', '*this* and **that**', '_this_ and *that*'],
    ['links with their URL', 'See [our site](https://example.com).', 'See our site (https://example.com).'],
    [
      'a link whose text is its URL once',
      '[https://example.com](https://example.com)',
      'https://example.com',
    ],
    ['raw HTML as typed', 'a <b>b</b>', 'a <b>b</b>'],
    ['entities decoded', 'Fish &amp; chips', 'Fish & chips'],
  ])('writes %s', (_name, markdown, text) => {
    expect(render(markdown).text).toBe(text);
  });
});

describe('noteProblem', () => {
  it('accepts a normal note and refuses an empty or oversized one, in one sentence', () => {
    expect(noteProblem('Hello.')).toBeUndefined();
    expect(noteProblem('  \n ')).toBe('The note is empty; use --clear to remove a note.');
    expect(noteProblem('x'.repeat(NOTE_MAX_CHARACTERS + 1))).toBe(
      `The note has ${NOTE_MAX_CHARACTERS + 1} characters; keep it to ${NOTE_MAX_CHARACTERS} so the digest stays within its size budget.`,
    );
  });
});
