import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseComparisonDocument } from '../../src/domain/comparison-document.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');
const valid = () => JSON.parse(fixture('comparisons/2026-w46-ollama-vs-lm-studio.json'));

function problems(document: unknown) {
  const result = parseComparisonDocument(JSON.stringify(document), 'doc.json');
  if (result.ok) throw new Error('expected the document to be rejected');
  return result.problems.map((problem) => `${problem.path}: ${problem.message}`);
}

describe('parseComparisonDocument', () => {
  it('accepts every shared sample comparison', () => {
    for (const name of [
      '2026-w46-ollama-vs-lm-studio.json',
      '2026-w47-claude-code-vs-aider.json',
      '2026-w47-cursor-vs-windsurf.json',
      '2026-w47-hugging-face-vs-mistral-3-small.json',
      '2026-w48-flux-vs-midjourney.json',
    ]) {
      const result = parseComparisonDocument(fixture(`comparisons/${name}`), name);
      expect(result.ok, name).toBe(true);
    }
  });

  it('accepts an array of comparisons', () => {
    const second = { ...valid(), slug: 'another-one' };
    const result = parseComparisonDocument(JSON.stringify([valid(), second]), 'many.json');
    expect(result.ok && result.documents.map((document) => document.slug)).toEqual([
      'ollama-vs-lm-studio',
      'another-one',
    ]);
  });

  describe('the shared invalid documents', () => {
    const rejected = (name: string) => {
      const result = parseComparisonDocument(fixture(`invalid/${name}`), name);
      if (result.ok) throw new Error(`${name} was accepted`);
      expect(result.problems.every((problem) => problem.file === name)).toBe(true);
      return result.problems.map((problem) => `${problem.path}: ${problem.message}`);
    };

    it('names truncated JSON', () => {
      expect(rejected('not-json.json')).toEqual([expect.stringMatching(/^: not valid JSON/)]);
    });

    it('names an out-of-range score by its path', () => {
      expect(rejected('score-out-of-range.json')).toEqual(['tools[1].reviews[2].score: must be <= 100']);
    });

    it('names a duplicate persona', () => {
      expect(rejected('duplicate-persona.json')).toEqual([
        'tools[0].reviews[1].persona: persona "builder" already reviewed this tool at reviews[0]',
      ]);
    });

    it('names a comparison with one tool', () => {
      expect(rejected('one-tool.json')).toEqual(['tools: must have at least 2 items']);
    });

    it('reports every error of a document, not just the first', () => {
      expect(rejected('several-errors.json')).toEqual([
        'slug: must be lower-case letters and digits joined by single hyphens',
        'publishedAt: must be an RFC 3339 date-time such as 2026-11-18T15:00:00Z',
        'tools[0].reviews[0].verdict: must be one of "ship", "skip"',
      ]);
    });
  });

  describe('more invalid documents', () => {
    it('rejects two tools with one slug', () => {
      const document = valid();
      document.tools[1].slug = document.tools[0].slug;
      expect(problems(document)).toEqual(['tools[1].slug: duplicates tools[0].slug "ollama"']);
    });

    it('reports a duplicate persona together with other errors in the same tool', () => {
      const document = valid();
      document.tools[0].reviews[1].persona = 'builder';
      document.tools[0].reviews[2].score = -1;
      expect(problems(document)).toEqual([
        'tools[0].reviews[2].score: must be >= 0',
        'tools[0].reviews[1].persona: persona "builder" already reviewed this tool at reviews[0]',
      ]);
    });

    it('rejects unknown properties so typos surface', () => {
      const document = { ...valid(), headlin: 'typo' };
      document.tools[0].entry_price = 'Free';
      expect(problems(document)).toEqual([
        'tools[0]: unknown property "entry_price"',
        ': unknown property "headlin"',
      ]);
    });

    it('names missing required fields and wrong types', () => {
      const document = valid();
      delete document.publishedAt;
      document.tools[0].name = 42;
      document.tools[1].reviews[0].score = 80.5;
      document.tools[1].communityVotes = { ship: -1, skip: 'many' };
      expect(problems(document)).toEqual([
        'publishedAt: is required',
        'tools[0].name: must be a string',
        'tools[1].communityVotes.ship: must be >= 0',
        'tools[1].communityVotes.skip: must be a number',
        'tools[1].reviews[0].score: must be an integer',
      ]);
    });

    it('rejects a date without an offset and a non-http URL', () => {
      const document = { ...valid(), publishedAt: '2026-11-12 16:00', url: 'javascript:alert(1)' };
      expect(problems(document)).toEqual([
        'url: must be an http(s) URL',
        'publishedAt: must be an RFC 3339 date-time such as 2026-11-18T15:00:00Z',
      ]);
    });

    it('rejects three tools, too many reviews and empty names', () => {
      const document = valid();
      document.tools.push({ ...document.tools[0], slug: 'third' });
      expect(problems(document)).toEqual(['tools: must have at most 2 items']);
      const crowded = valid();
      crowded.tools[0].reviews = Array.from({ length: 13 }, (_, index) => ({
        persona: `p${index}`,
        score: 50,
        verdict: 'ship',
      }));
      crowded.tools[1].name = '';
      expect(problems(crowded)).toEqual([
        'tools[0].reviews: must have at most 12 items',
        'tools[1].name: must not be empty',
      ]);
    });

    it('names the index of the bad entry in an array document', () => {
      const bad = valid();
      bad.tools[0].reviews[0].verdict = 'SHIP';
      expect(problems([valid(), bad])).toEqual([
        '[1].tools[0].reviews[0].verdict: must be one of "ship", "skip"',
      ]);
    });

    it('rejects documents that are not comparisons at all', () => {
      expect(problems([])).toEqual([': must hold at least one comparison']);
      expect(problems('a string')).toEqual([': must be an object']);
      expect(problems(null)).toEqual([': must be an object']);
    });
  });
});
