// The renderer inputs of the editorial workflow: the editor's note, review copies (no personal links) and
// copies of a week whose web version does not exist yet.
import { describe, expect, it } from 'vitest';
import { manyComparisons, w47Comparisons } from '../../emails/_fixtures/comparisons.js';
import { recipientLinks } from '../../src/domain/digest-message.js';
import { NOTE_MAX_CHARACTERS, renderEditorNote } from '../../src/domain/editor-note.js';
import { HTML_BUDGET_BYTES } from '../../src/domain/size-budget.js';
import { type DigestInput, renderDigestContent } from '../../src/services/digest-renderer.js';
import { personalise } from '../../src/services/personalise.js';

const config = { publicUrl: 'https://news.verdicts.test', postalAddress: '1 Example Street, 10115 Berlin' };
const base: DigestInput = {
  weekKey: '2026-W47',
  weekLabel: '16–22 November 2026',
  subject: 'Three verdicts',
  comparisons: w47Comparisons,
  followedCategories: [],
};
const note = renderEditorNote('A *quiet* week. See [the method](https://example.com/method).', '#0550ae');

describe("the editor's note", () => {
  it('shows under the masthead, before the first comparison, in the HTML and the text', async () => {
    const { html, text } = await renderDigestContent(config, { ...base, note });
    const masthead = html.indexOf('Weekly AI Tool Verdicts</h1>');
    const shown = html.indexOf('A <em>quiet</em> week. See <a href="https://example.com/method"');
    expect(masthead).toBeGreaterThan(-1);
    expect(shown).toBeGreaterThan(masthead);
    expect(shown).toBeLessThan(html.indexOf('Claude Code vs Aider</h2>'));
    const line = text.indexOf('A _quiet_ week. See the method (https://example.com/method).');
    expect(line).toBeGreaterThan(text.indexOf('WEEKLY AI TOOL VERDICTS'));
    expect(line).toBeLessThan(text.indexOf('Claude Code vs Aider\n'));
  });

  it('renders nothing when absent or empty', async () => {
    const without = await renderDigestContent(config, base);
    const empty = await renderDigestContent(config, { ...base, note: { html: ' ', text: '' } });
    expect(empty.html.replace(/[0-9a-f]{24}/g, '')).toBe(without.html.replace(/[0-9a-f]{24}/g, ''));
  });

  it('keeps a longest note and ten comparisons within the size budget', async () => {
    const longest = renderEditorNote(`${'Word '.repeat(NOTE_MAX_CHARACTERS / 5 - 1)}end.`, '#0550ae');
    const { html } = await renderDigestContent(config, {
      ...base,
      comparisons: manyComparisons(10),
      note: longest,
    });
    expect(Buffer.byteLength(html)).toBeLessThan(HTML_BUDGET_BYTES);
  });
});

describe('review copies', () => {
  it('carry no unsubscribe or preferences link, nor a placeholder for one, and say why', async () => {
    const content = await renderDigestContent(config, { ...base, reviewCopy: true });
    expect(content.placeholders).toEqual({});
    for (const part of [content.html, content.text]) {
      expect(part).not.toContain('personal.invalid');
      expect(part).not.toMatch(/unsubscribe\/|preferences\//);
      expect(part).not.toContain('You get this email because');
    }
    expect(content.text).toContain(
      "This is a review copy. Readers' copies carry their own unsubscribe and preferences links here.",
    );
    // Nothing to fill in: personalising leaves the copy exactly as rendered.
    expect(personalise(content, recipientLinks(config.publicUrl, 'x'))).toEqual({
      html: content.html,
      text: content.text,
    });
  });

  it('leave out the web version link while the edition has not been sent', async () => {
    const unsent = await renderDigestContent(config, { ...base, reviewCopy: true, webVersion: false });
    expect(unsent.html).not.toContain('View in browser');
    expect(unsent.html).not.toContain('/editions/');
    expect(unsent.text).not.toContain('View in browser');
    const sent = await renderDigestContent(config, { ...base, reviewCopy: true });
    expect(sent.html).toContain('href="https://news.verdicts.test/editions/2026-W47"');
  });

  it("keep a reader's copy as it was: links filled in, web version linked", async () => {
    const content = await renderDigestContent(config, base);
    const copy = personalise(content, recipientLinks(config.publicUrl, 'Tok3n'));
    expect(copy.html).toContain('href="https://news.verdicts.test/unsubscribe/Tok3n"');
    expect(copy.html).toContain('View in browser');
  });
});
