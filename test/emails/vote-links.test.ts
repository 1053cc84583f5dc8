import { describe, expect, it } from 'vitest';
import { manyComparisons, w47Comparisons } from '../../emails/_fixtures/comparisons.js';
import { type DigestComparison, defaultSubject } from '../../src/domain/digest.js';
import { recipientLinks } from '../../src/domain/digest-message.js';
import { HTML_BUDGET_BYTES } from '../../src/domain/size-budget.js';
import { parseVote, signedByUs } from '../../src/domain/vote-link.js';
import { type DigestInput, renderDigestContent } from '../../src/services/digest-renderer.js';
import { personalise } from '../../src/services/personalise.js';

const SECRET = 'vote-test-secret-0123456789abcdef';
const config = {
  publicUrl: 'https://news.verdicts.test',
  postalAddress: '1 Example Street, 10115 Berlin',
  secret: SECRET,
};
const TOKEN = 'Tok3n_abcdefghijklmnopq';

const input = (comparisons: readonly DigestComparison[], extra: Partial<DigestInput> = {}): DigestInput => ({
  weekKey: '2026-W47',
  weekLabel: '16–22 November 2026',
  subject: defaultSubject(comparisons),
  comparisons,
  followedCategories: [],
  ...extra,
});

const VOTE_LINK =
  /https:\/\/news\.verdicts\.test\/vote\/([^/"\s]+)\/([^/"\s]+)\/([^/"\s]+)\/([^/"\s]+)\/([^/"\s]+)/g;

/** Every vote link of a copy, as the parts the vote page receives. */
const voteLinks = (body: string) =>
  [...body.matchAll(VOTE_LINK)].map(([, token, comparison, tool, choice, signature]) => ({
    token: token ?? '',
    comparison: comparison ?? '',
    tool: tool ?? '',
    choice: choice ?? '',
    signature: signature ?? '',
  }));

describe('vote links in the digest', () => {
  it('gives each tool of each card "Your verdict: Ship · Skip", signed, carrying the reader’s token and no address', async () => {
    const content = await renderDigestContent(config, input(w47Comparisons));
    const copy = personalise(content, recipientLinks(config.publicUrl, TOKEN, '2026-W47'));
    const links = voteLinks(copy.html);
    expect(links).toHaveLength(4 * w47Comparisons.length);
    expect(copy.html.match(/Your verdict: <a /g)).toHaveLength(2 * w47Comparisons.length);
    for (const comparison of w47Comparisons)
      for (const tool of ['0', '1'])
        for (const choice of ['ship', 'skip'])
          expect(links).toContainEqual(
            expect.objectContaining({ comparison: comparison.slug, tool, choice }),
          );
    for (const link of links) {
      expect(link.token).toBe(TOKEN);
      const parsed = parseVote(link);
      expect(parsed && signedByUs(SECRET, '2026-W47', parsed)).toBe(true);
      expect(`${link.comparison}/${link.signature}`).not.toContain('@');
    }
    // The text part carries the same links.
    expect(voteLinks(copy.text)).toEqual(links);
    expect(copy.text).toContain('  Your verdict:\n    Ship: https://news.verdicts.test/vote/');
  });

  it('signs each link for its edition, comparison, tool and choice only', async () => {
    const content = await renderDigestContent(config, input(w47Comparisons));
    const [link] = voteLinks(personalise(content, recipientLinks(config.publicUrl, TOKEN)).html);
    if (!link) throw new Error('no vote link');
    const parsed = parseVote(link);
    if (!parsed) throw new Error('unparsed');
    expect(signedByUs(SECRET, '2026-W47', parsed)).toBe(true);
    expect(signedByUs(SECRET, '2026-W48', parsed)).toBe(false);
    expect(signedByUs('another-secret-0123456789abcdef', '2026-W47', parsed)).toBe(false);
    const altered = [
      { ...link, choice: link.choice === 'ship' ? 'skip' : 'ship' },
      { ...link, tool: link.tool === '0' ? '1' : '0' },
      { ...link, comparison: w47Comparisons[1]?.slug ?? '' },
      { ...link, signature: `${link.signature.slice(0, -1)}${link.signature.endsWith('A') ? 'B' : 'A'}` },
    ];
    for (const presented of altered) {
      const vote = parseVote(presented);
      expect(vote && signedByUs(SECRET, '2026-W47', vote)).toBe(false);
    }
    expect(parseVote({ ...link, choice: 'maybe' })).toBeUndefined();
    expect(parseVote({ ...link, tool: '2' })).toBeUndefined();
    expect(parseVote({ ...link, comparison: '../admin' })).toBeUndefined();
  });

  it('gives review, test and preview copies links to a page that records nothing', async () => {
    const content = await renderDigestContent(config, input(w47Comparisons, { reviewCopy: true }));
    expect(voteLinks(content.html)).toEqual([]);
    expect(content.html.match(/href="https:\/\/news\.verdicts\.test\/vote\/copy"/g)).toHaveLength(
      4 * w47Comparisons.length,
    );
    expect(content.text).toContain('    Ship: https://news.verdicts.test/vote/copy');
    expect(content.placeholders).toEqual({});
  });

  it('offers no vote without the secret to sign with', async () => {
    const { secret: _, ...unsigned } = config;
    const content = await renderDigestContent(unsigned, input(w47Comparisons));
    expect(content.html).not.toContain('Your verdict');
    expect(content.placeholders.token).toBeUndefined();
  });

  it('keeps ten full cards with their vote links under the size budget', async () => {
    const content = await renderDigestContent(config, input(manyComparisons(10)));
    expect(Buffer.byteLength(content.html)).toBeLessThanOrEqual(HTML_BUDGET_BYTES);
    expect(content.html.match(/>Read the full comparison</g)).toHaveLength(10);
    expect(content.html.match(/Your verdict: <a /g)).toHaveLength(20);
  });
});
