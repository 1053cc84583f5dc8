import { describe, expect, it } from 'vitest';
import {
  allSampleComparisons,
  manyComparisons,
  realComparison,
  w47Comparisons,
} from '../../emails/_fixtures/comparisons.js';
import type { DigestComparison } from '../../src/domain/digest.js';
import { recipientLinks } from '../../src/domain/digest-message.js';
import { HTML_BUDGET_BYTES, HTML_HARD_LIMIT_BYTES } from '../../src/domain/size-budget.js';
import {
  renderConfirmEmail,
  renderDigestContent,
  renderWebVersion,
  renderWelcomeEmail,
} from '../../src/services/digest-renderer.js';
import { personalise } from '../../src/services/personalise.js';

const config = { publicUrl: 'https://news.verdicts.test', postalAddress: '1 Example Street, 10115 Berlin' };
const links = recipientLinks(config.publicUrl, 'Tok3n_abc');

async function renderCopy(
  comparisons: readonly DigestComparison[],
  subject = 'Weekly AI Tool Verdicts, 2026-W47: 3 new comparisons',
) {
  const content = await renderDigestContent(config, {
    weekKey: '2026-W47',
    weekLabel: '16–22 November 2026',
    subject,
    comparisons,
    followedCategories: [],
  });
  return { content, ...personalise(content, links) };
}

/** Text of the HTML with tags removed and entities decoded, for "does the reader see X" checks. */
function visibleText(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

describe('weekly digest: content', () => {
  it('shows every fact of every comparison, badges in words', async () => {
    const { html, text } = await renderCopy(allSampleComparisons);
    const seen = visibleText(html);
    for (const comparison of allSampleComparisons) {
      expect(seen).toContain(comparison.title);
      if (comparison.headline) expect(seen).toContain(comparison.headline);
      expect(html).toContain(`href="${comparison.url}"`);
      expect(seen).toContain(
        comparison.pick.kind === 'tool' ? `Panel's pick: ${comparison.pick.name}` : "Panel's pick: dead even",
      );
      for (const tool of comparison.tools) {
        const { summary } = tool;
        expect(seen).toContain(`${tool.name} ${summary.verdict}`);
        expect(seen).toContain(
          `${summary.shipVotes} ship / ${summary.skipVotes} skip (${summary.shipShare}% ship)`,
        );
        expect(seen).toContain(`Average: ${summary.averageScore.toFixed(1)}/100`);
        if (tool.entryPrice) expect(seen).toContain(`Entry price: ${tool.entryPrice}`);
        if (tool.pricing) expect(seen).toContain(`Pricing: ${tool.pricing}`);
        if (tool.bestFor) expect(seen).toContain(`Best for: ${tool.bestFor}`);
        expect(seen).toContain(
          tool.communityVotes
            ? `Community: ${tool.communityVotes.ship} ship / ${tool.communityVotes.skip} skip`
            : 'Community: No community votes yet',
        );
        for (const [persona, cell] of Object.entries(tool.scores)) {
          expect(comparison.personas.map((entry) => entry.slug)).toContain(persona);
          expect(seen).toContain(`${cell.score}/100 ${cell.verdict === 'ship' ? 'Ship' : 'Skip'}`);
          // The text part carries every score with the vote.
          expect(text).toContain(`${cell.score}/100 ${cell.verdict}`);
        }
      }
    }
  });

  it('shows the real Hugging Face vs Mistral comparison as published', async () => {
    const { html, text } = await renderCopy([realComparison]);
    const seen = visibleText(html);
    expect(seen).toContain('Hugging Face Inference Providers Hub vs Mistral 3 Small (22B)');
    expect(seen).toContain('Hugging Face Inference Providers Hub SHIP');
    expect(seen).toContain('4 ship / 0 skip (100% ship)');
    expect(seen).toContain('Average: 78.5/100');
    expect(text).toContain('Builder   82/100 ship');
    expect(text).toContain('No community votes yet');
  });

  it('lays out the scorecard as a data table with personas in panel order', async () => {
    const { html } = await renderCopy([realComparison]);
    expect(html).toContain('<th scope="col"');
    const rows = [...html.matchAll(/<th scope="row"[^>]*>([^<]+)<\/th>/g)].map((match) => match[1]);
    expect(rows).toEqual(['Builder', 'Skeptic', 'Founder', 'Futurist']);
    expect(html).toMatch(/<td width="82%" height="6" bgcolor="#1a7f37"/);
  });

  it('writes the score table of the text part in aligned columns', async () => {
    const { text } = await renderCopy(w47Comparisons);
    const table = text
      .split('\n')
      .filter((line) => /^(Persona|Builder|Skeptic|Founder|Futurist) /.test(line))
      .slice(0, 5);
    expect(table).toEqual([
      'Persona   Claude Code  Aider',
      'Builder   89/100 ship  79/100 ship',
      'Skeptic   70/100 skip  76/100 ship',
      'Founder   82/100 ship  55/100 skip',
      'Futurist  63/100 skip  66/100 skip',
    ]);
  });

  it('links to the web version at the top and has the footer facts', async () => {
    const { html, text } = await renderCopy(w47Comparisons);
    const seen = visibleText(html);
    expect(html.indexOf('View in browser')).toBeLessThan(html.indexOf('<h2'));
    expect(html).toContain('href="https://news.verdicts.test/editions/2026-W47"');
    expect(seen).toContain('You get this email because you subscribed to Weekly AI Tool Verdicts');
    expect(html).toContain(`href="${links.unsubscribeUrl}"`);
    expect(html).toContain(`href="${links.preferencesUrl}"`);
    expect(seen).toContain(config.postalAddress);
    expect(text).toContain(`Unsubscribe: ${links.unsubscribeUrl}`);
    expect(text).toContain(config.postalAddress);
  });
});

describe('weekly digest: email-safe structure', () => {
  it('has lang, a <title> equal to the subject, and the preview text inside <body>', async () => {
    const subject = 'Weekly AI Tool Verdicts, 2026-W47: 3 new comparisons';
    const { html } = await renderCopy(w47Comparisons, subject);
    expect(html).toMatch(/<html[^>]* lang="en"/);
    expect([...html.matchAll(/<title>([^<]*)<\/title>/g)].map((match) => match[1])).toEqual([subject]);
    const bodyStart = html.indexOf('<body');
    const preview = html.indexOf('Claude Code vs Aider, Cursor 3 vs Windsurf Wave 14 and 1 more');
    expect(preview).toBeGreaterThan(bodyStart);
    expect(html.indexOf('</head>')).toBeLessThan(preview);
  });

  it('uses no flex or grid, no <Tailwind> classes, no images without alt, no scripts', async () => {
    const { html } = await renderCopy(allSampleComparisons);
    expect(html).not.toMatch(/display:\s*(flex|grid)/);
    expect(html).not.toMatch(/class="/);
    expect(html).not.toMatch(/<script/i);
    for (const image of html.match(/<img[^>]*>/g) ?? []) expect(image).toMatch(/alt="[^"]+"/);
    expect(html).toMatch(/max-width:600px/);
  });
});

describe('weekly digest: size budget', () => {
  it.each([1, 10, 30, 100, 1000])('keeps %i comparisons under budget', async (count) => {
    const { html, content } = await renderCopy(manyComparisons(count));
    const bytes = Buffer.byteLength(html);
    expect(bytes).toBeLessThan(HTML_HARD_LIMIT_BYTES);
    expect(Buffer.byteLength(content.html)).toBeLessThanOrEqual(HTML_BUDGET_BYTES);
    if (count === 10) {
      // Ten comparisons fit as full cards.
      expect(html.match(/Read the full comparison/g)).toHaveLength(10);
    }
    if (count > 10) {
      // Later comparisons collapse to compact rows or a link to the web version: every one is reachable.
      const cards = html.match(/Read the full comparison/g)?.length ?? 0;
      const rows = html.match(/<tr><td style="padding:8px 0;border-bottom/g)?.length ?? 0;
      const more = /(\d+) more comparisons in the web version/.exec(html);
      expect(cards + rows + Number(more?.[1] ?? 0)).toBe(count);
      expect(html).toContain('More comparisons this week');
    }
    // The unsubscribe link survives whatever the count: it is what Gmail's clipping would hide.
    expect(html).toContain(`href="${links.unsubscribeUrl}"`);
  });
});

describe('weekly digest: escaping', () => {
  const hostile: DigestComparison = {
    ...realComparison,
    title: '<script>alert(1)</script> vs "><img src=x onerror=alert(2)>',
    headline: 'Click {{{RESEND_UNSUBSCRIBE_URL}}} now & <b>win</b>',
    url: 'https://example.com/compare/x?a=1&b="2"',
    tools: [
      {
        ...realComparison.tools[0],
        name: '"><img src=x onerror=alert(3)>',
        pricing: '<a href="https://evil.test">free</a>',
      },
      realComparison.tools[1],
    ],
  };

  it('shows imported markup as text and never as a live element or placeholder', async () => {
    const { html, text } = await renderCopy([hostile]);
    expect(html).not.toContain('<script>');
    expect(html).not.toMatch(/<img[^>]*onerror/);
    expect(html).not.toContain('<a href="https://evil.test">');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('{{{RESEND_UNSUBSCRIBE_URL}}}');
    expect(text).toContain('Click {{{RESEND_UNSUBSCRIBE_URL}}} now & <b>win</b>');
    expect(html).toContain('href="https://example.com/compare/x?a=1&amp;b=&quot;2&quot;"');
  });
});

describe('personalise', () => {
  it('puts each recipient’s links in place of the placeholders, in HTML and text, escaping for HTML', async () => {
    const { content } = await renderCopy(w47Comparisons);
    const tricky = {
      unsubscribeUrl: 'https://news.verdicts.test/unsubscribe/a&b',
      preferencesUrl: 'https://news.verdicts.test/preferences/a&b',
    };
    const copy = personalise(content, tricky);
    for (const placeholder of Object.values(content.placeholders)) {
      expect(copy.html).not.toContain(placeholder);
      expect(copy.text).not.toContain(placeholder);
    }
    expect(copy.html).toContain('href="https://news.verdicts.test/unsubscribe/a&amp;b"');
    expect(copy.text).toContain('Unsubscribe: https://news.verdicts.test/unsubscribe/a&b');
    const other = personalise(content, recipientLinks(config.publicUrl, 'someone-else'));
    expect(other.html).toContain('/unsubscribe/someone-else"');
    expect(other.html).not.toContain('a&amp;b');
  });

  it('uses fresh placeholders for every render', async () => {
    const first = await renderCopy(w47Comparisons);
    const second = await renderCopy(w47Comparisons);
    expect(first.content.placeholders.unsubscribe).not.toBe(second.content.placeholders.unsubscribe);
  });

  it('renders a web version without personal links', async () => {
    const html = await renderWebVersion(config, {
      weekKey: '2026-W47',
      weekLabel: '16–22 November 2026',
      subject: 'S',
      comparisons: w47Comparisons,
      followedCategories: [],
    });
    expect(html).not.toContain('personal.invalid');
    expect(html).not.toMatch(/unsubscribe\/[A-Za-z0-9_-]+/);
  });
});

describe('confirmation and welcome emails', () => {
  it('asks for confirmation with one link and no marketing content', async () => {
    const email = await renderConfirmEmail(config, 'https://news.verdicts.test/confirm?token=abc&x=1');
    expect(email.subject).toBe('Confirm your subscription to Weekly AI Tool Verdicts');
    expect(email.html).toContain('href="https://news.verdicts.test/confirm?token=abc&amp;x=1"');
    expect(email.html).toContain(`<title>${email.subject}</title>`);
    expect(email.text).toContain('https://news.verdicts.test/confirm?token=abc&x=1');
    expect(email.text).toContain('72 hours');
    expect(email.html).not.toContain('Panel scorecard');
    expect(email.html.match(/<a /g)).toHaveLength(1);
  });

  it('welcomes with preferences and unsubscribe links and the postal address', async () => {
    const email = await renderWelcomeEmail(config, links, ['Coding Agents']);
    expect(email.html).toContain(`href="${links.preferencesUrl}"`);
    expect(email.html).toContain(`href="${links.unsubscribeUrl}"`);
    expect(email.text).toContain(config.postalAddress);
    expect(email.text).toContain('You follow: Coding Agents.');
  });
});
