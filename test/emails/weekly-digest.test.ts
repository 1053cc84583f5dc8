import { describe, expect, it } from 'vitest';
import {
  allSampleComparisons,
  manyComparisons,
  realComparison,
  w47Comparisons,
} from '../../emails/_fixtures/comparisons.js';
import { sampleNote } from '../../emails/_fixtures/digest-props.js';
import { personaLabel } from '../../src/domain/comparison.js';
import { type DigestComparison, defaultSubject, digestPreheader } from '../../src/domain/digest.js';
import { recipientLinks } from '../../src/domain/digest-message.js';
import { plainTypography } from '../../src/domain/one-byte-text.js';
import { QUOTE_MAX_CHARS } from '../../src/domain/quote.js';
import { MAX_SHOWN, type ReadersVsPanel, readersVsPanel } from '../../src/domain/readers-vs-panel.js';
import { HTML_BUDGET_BYTES, HTML_HARD_LIMIT_BYTES } from '../../src/domain/size-budget.js';
import { renderConfirmEmail, renderWelcomeEmail } from '../../src/services/account-emails.js';
import {
  type DigestInput,
  renderDigestContent,
  renderWebVersion,
} from '../../src/services/digest-renderer.js';
import { personalise } from '../../src/services/personalise.js';

const config = {
  publicUrl: 'https://news.verdicts.test',
  postalAddress: '1 Example Street, 10115 Berlin',
  // Signs the readers' vote links, so every size check below counts them.
  secret: 'test-secret-0123456789abcdef0123456789',
};
const links = recipientLinks(config.publicUrl, 'Tok3n_abc');
const WEB_VERSION = 'https://news.verdicts.test/editions/2026-W47';

function digestInput(
  comparisons: readonly DigestComparison[],
  extra: Partial<DigestInput> = {},
): DigestInput {
  return {
    weekKey: '2026-W47',
    weekLabel: '16–22 November 2026',
    subject: defaultSubject(comparisons),
    comparisons,
    followedCategories: [],
    ...extra,
  };
}

/**
 * A reader's copy. `sentHtml` is the HTML as sent, every character beyond Latin-1 written as a character
 * reference; `html` has those references decoded (as every client shows them), so checks can name the
 * characters a reader sees.
 */
async function renderCopy(comparisons: readonly DigestComparison[], extra: Partial<DigestInput> = {}) {
  const content = await renderDigestContent(config, digestInput(comparisons, extra));
  const copy = personalise(content, links);
  const html = copy.html.replace(/&#(\d+);/g, (reference, code) =>
    Number(code) > 0xff ? String.fromCodePoint(Number(code)) : reference,
  );
  return { content, ...copy, sentHtml: copy.html, html };
}

/** Text of the HTML with tags removed and entities decoded, for "does the reader see X" checks. */
function visibleText(html: string): string {
  return html
    .replace(/<div style="display:none[\s\S]*?<\/div><\/div>/, ' ') // the hidden preheader
    .replace(/<(style|title)>[^<]*<\/\1>/g, ' ')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

/** The HTML of one comparison's card: from its id to the next card or the end of the cards. */
function cardOf(html: string, slug: string): string {
  const start = html.indexOf(`id="${slug}"`);
  expect(start, `card ${slug}`).toBeGreaterThan(-1);
  const end = html.indexOf('Read the full comparison', start);
  return html.slice(start, end + 'Read the full comparison'.length);
}

/** The "In this issue" block: from its heading to the first card. */
function inThisIssue(html: string): string {
  const start = html.indexOf('In this issue');
  const end = html.indexOf('class="xc"', start);
  return html.slice(start, end === -1 ? undefined : end);
}

const credit = (quote: NonNullable<DigestComparison['tools'][0]['quote']>) =>
  `— ${personaLabel(quote.persona)} (${quote.verdict}, ${quote.score}/100)${quote.dissent ? ', dissenting' : ''}`;

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
        if (tool.tagline) expect(seen).toContain(tool.tagline);
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
        // The same facts in the text part.
        expect(text).toContain(`${tool.name}: ${summary.verdict} (panel ${summary.shipVotes} ship`);
        if (tool.tagline) expect(text).toContain(tool.tagline);
        if (tool.pricing) expect(text).toContain(`Pricing: ${tool.pricing}`);
      }
    }
  });

  it('shows the real Hugging Face vs Mistral comparison as published, with its reviewers quoted', async () => {
    const { html, text } = await renderCopy([realComparison]);
    const seen = visibleText(html);
    expect(seen).toContain('Hugging Face Inference Providers Hub vs Mistral 3 Small (22B)');
    expect(seen).toContain('Hugging Face Inference Providers Hub SHIP');
    expect(seen).toContain('4 ship / 0 skip (100% ship)');
    expect(seen).toContain('Average: 78.5/100');
    expect(seen).toContain("Panel's pick: Mistral 3 Small (22B)");
    expect(seen).toContain('One API endpoint, 12 inference backends, automatic cost/latency routing');
    // A unanimous panel: the highest-scoring reviewer speaks for each tool, credited.
    const hubQuote =
      "“The primitive here is clean: a single OpenAI-compatible endpoint that multiplexes across 12 inference providers with routing logic you don't have to write yourself.” — Builder (ship, 82/100)";
    expect(seen).toContain(hubQuote);
    expect(seen).toContain('“The primitive is clean: a quantizable 22B transformer');
    expect(seen).toContain('— Builder (ship, 85/100)');
    expect(text).toContain('Builder   82/100 ship');
    expect(text).toContain('No community votes yet');
    expect(text).toContain(
      `  "The primitive here is clean: a single OpenAI-compatible endpoint that multiplexes across 12 inference providers with routing logic you don't have to write yourself."\n    -- Builder (ship, 82/100)`,
    );
  });

  it('quotes one reviewer per tool, the dissenting voice when the panel split', async () => {
    const { html, text } = await renderCopy(w47Comparisons);
    const seen = visibleText(html);
    const [claudeCode, aider] = w47Comparisons[0]?.tools ?? [];
    // Claude Code split 2-2 (skip: Skeptic 70, Futurist 63): the lowest-scoring skip dissents.
    expect(claudeCode?.quote).toMatchObject({ persona: 'futurist', dissent: true });
    expect(seen).toContain(
      '“The terminal is a transitional interface; agents will run in CI and report back, not in your shell.” — Futurist (skip, 63/100), dissenting',
    );
    expect(aider?.quote).toMatchObject({ persona: 'founder', dissent: true });
    for (const comparison of w47Comparisons) {
      const card = visibleText(cardOf(html, comparison.slug));
      for (const tool of comparison.tools) {
        const { quote } = tool;
        if (!quote) throw new Error(`${tool.name} has no quote`);
        expect(quote.text.length).toBeLessThanOrEqual(QUOTE_MAX_CHARS);
        expect(card).toContain(`“${quote.text}” ${credit(quote)}`);
        // The text part writes typography plainly (an em dash as "--"): see the one-byte tests below.
        expect(text).toContain(plainTypography(`"${quote.text}"\n    ${credit(quote)}`));
      }
      // Exactly one quote per tool.
      expect(card.match(/“/g)).toHaveLength(2);
    }
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
    expect(html.indexOf('View in browser')).toBeLessThan(html.indexOf('<h1'));
    expect(html).toMatch(new RegExp(`<a href="${WEB_VERSION}"[^>]*>View in browser</a>`));
    expect(seen).toContain('You get this email because you subscribed to Weekly AI Tool Verdicts');
    expect(html).toContain(`href="${links.unsubscribeUrl}"`);
    expect(html).toContain(`href="${links.preferencesUrl}"`);
    expect(seen).toContain(config.postalAddress);
    expect(text).toContain(`View in browser: ${WEB_VERSION}`);
    expect(text).toContain(`Unsubscribe: ${links.unsubscribeUrl}`);
    expect(text).toContain(config.postalAddress);
  });
});

describe('weekly digest: a newsletter, top to bottom', () => {
  it('opens with a masthead: the name and the dates in words, no week key', async () => {
    const { html, text } = await renderCopy(w47Comparisons);
    const seen = visibleText(html);
    expect(html).toMatch(/<h1[^>]*>Weekly AI Tool Verdicts<\/h1>/);
    expect(seen).toContain('16–22 November 2026 · 3 new comparisons, each scored by our panel');
    expect(html.indexOf('16–22 November 2026')).toBeLessThan(html.indexOf('In this issue'));
    // ISO-week jargon never reaches the reader; it only lives inside URLs.
    expect(seen).not.toMatch(/W\d\d/);
    expect(text.replace(/https?:\/\/\S+/g, '')).not.toMatch(/W\d\d/);
    expect(text.startsWith('WEEKLY AI TOOL VERDICTS\n16-22 November 2026 · 3 new comparisons')).toBe(true);
  });

  it("shows the editor's note under the masthead, before the contents", async () => {
    const { html, text } = await renderCopy(w47Comparisons, { note: sampleNote });
    const note = html.indexOf(sampleNote.html);
    expect(note).toBeGreaterThan(html.indexOf('</h1>'));
    expect(note).toBeLessThan(html.indexOf('In this issue'));
    const textNote = text.indexOf(sampleNote.text);
    expect(textNote).toBeGreaterThan(text.indexOf('16-22 November 2026'));
    expect(textNote).toBeLessThan(text.indexOf('IN THIS ISSUE'));
  });

  it.each([
    ['no note', undefined],
    ['an empty note', { html: '  ', text: '' }],
  ])('renders nothing for %s', async (_, note) => {
    const { html, text } = await renderCopy(w47Comparisons, { note });
    expect(html).not.toContain('class="xn"');
    expect(text).toMatch(/each scored by our panel\nView in browser: \S+\n\nIN THIS ISSUE\n/);
  });

  it('lists every comparison "In this issue" with both badges and the pick, linking to its card', async () => {
    const { html, text } = await renderCopy(w47Comparisons);
    const contents = inThisIssue(html);
    const lines = visibleText(contents);
    for (const comparison of w47Comparisons) {
      const [left, right] = comparison.tools;
      expect(contents).toContain(`<a href="#${comparison.slug}" class="xl"`);
      expect(contents).toContain(`>${comparison.title}</a>`);
      expect(html).toMatch(new RegExp(`<table[^>]* id="${comparison.slug}"`));
      const line = `${comparison.title} ${left.name} ${left.summary.verdict} · ${right.name} ${right.summary.verdict} · Panel's pick: ${comparison.pick.kind === 'tool' ? comparison.pick.name : 'dead even'}`;
      expect(lines).toContain(line);
      expect(text).toContain(
        `- ${comparison.title}\n  ${left.name} ${left.summary.verdict} · ${right.name} ${right.summary.verdict} · `,
      );
    }
    // In edition order, before the first card.
    const positions = w47Comparisons.map((comparison) => contents.indexOf(`href="#${comparison.slug}"`));
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(text.indexOf('IN THIS ISSUE')).toBeLessThan(text.indexOf('Read the full comparison'));
  });

  it('leads each card with the verdict: pick and badges, then the quotes, then the scorecard and the facts', async () => {
    const { html, text } = await renderCopy(w47Comparisons);
    for (const comparison of w47Comparisons) {
      const card = cardOf(html, comparison.slug);
      const [left, right] = comparison.tools;
      const order = [
        card.indexOf('Panel&#x27;s pick'),
        card.indexOf(`<h3`),
        card.indexOf(left.summary.verdict, card.indexOf('<h3')),
        card.indexOf(`“${left.quote?.text}”`.replace(/'/g, '&#x27;')),
        card.indexOf(`>${right.name} `),
        card.indexOf('Panel scorecard'),
        card.indexOf('Entry price:'),
        card.indexOf('Community:'),
        card.indexOf('Read the full comparison'),
      ];
      expect(order.every((position) => position > -1)).toBe(true);
      expect(order).toEqual([...order].sort((a, b) => a - b));
      // The old layout put the pick last, under the table: it is now said once, first.
      expect(card.match(/Panel&#x27;s pick/g)).toHaveLength(1);
    }
    const textCard = text.slice(text.indexOf('Claude Code vs Aider\nTerminal'));
    const textOrder = [
      "Panel's pick: Claude Code",
      'Claude Code: SPLIT',
      '"The terminal',
      'Persona ',
      'Entry price',
    ];
    const textPositions = textOrder.map((needle) => textCard.indexOf(needle));
    expect(textPositions.every((position) => position > -1)).toBe(true);
    expect(textPositions).toEqual([...textPositions].sort((a, b) => a - b));
  });

  it('uses the default subject as <title> and a preheader that summarises the picks, inside <body>', async () => {
    const subject = defaultSubject(w47Comparisons);
    expect(subject).toBe('Claude Code vs Aider, and 2 more verdicts');
    const { html, content } = await renderCopy(w47Comparisons);
    expect(content.subject).toBe(subject);
    expect(html).toMatch(/<html[^>]* lang="en"/);
    expect([...html.matchAll(/<title>([^<]*)<\/title>/g)].map((match) => match[1])).toEqual([subject]);
    const preheader = html.indexOf(digestPreheader(w47Comparisons));
    expect(digestPreheader(w47Comparisons)).toMatch(/^Picks: Claude Code over Aider · Cursor 3 over /);
    expect(preheader).toBeGreaterThan(html.indexOf('<body'));
    expect(html.indexOf('</head>')).toBeLessThan(preheader);
  });

  it('stacks the tool columns below 480 px with a media query over a table fallback, no JavaScript', async () => {
    const { html } = await renderCopy(w47Comparisons);
    const head = html.slice(0, html.indexOf('</head>'));
    expect(head).toContain('<meta name="viewport" content="width=device-width,initial-scale=1"/>');
    expect(head).toContain(
      '<style>@media only screen and (max-width:480px){.s{display:block!important;width:100%!important;',
    );
    for (const comparison of w47Comparisons) {
      // Two rows of two columns per card (verdicts, facts): side by side wherever the media query is ignored.
      const columns = cardOf(html, comparison.slug).match(/<td class="s" width="50%" valign="top"/g);
      expect(columns).toHaveLength(4);
    }
    expect(html).not.toMatch(/<script/i);
  });

  it('declares its dark mode and recolours through classes, leaving badges readable either way', async () => {
    const { html } = await renderCopy(w47Comparisons);
    const head = html.slice(0, html.indexOf('</head>'));
    expect(head).toContain('<meta name="color-scheme" content="light dark"/>');
    expect(head).toContain('<meta name="supported-color-schemes" content="light dark"/>');
    expect(head).toMatch(/<style>:root\{color-scheme:light dark;[^<]*@media \(prefers-color-scheme:dark\)\{/);
    expect(html).toMatch(/<body[^>]* class="xb"/);
    expect(html.match(/class="xc"/g)).toHaveLength(w47Comparisons.length);
  });

  it("is built from React Email's components where they carry client fixes", async () => {
    const { html } = await renderCopy(w47Comparisons);
    // <Container>: centred 600 px table; <Body>: the page style repeated on a cell for Yahoo and AOL.
    expect(html).toMatch(
      /<table align="center" width="100%"[^>]*role="presentation" style="max-width:600px"/,
    );
    expect(html).toMatch(
      /<body[^>]*>(<!--[^>]*-->)*<table border="0" width="100%"[^>]*><tbody><tr><td[^>]* style="margin:0;padding:0;background-color:#f6f8fa/,
    );
    // <Button>: Outlook's padding hack around every "Read the full comparison".
    const buttons = html.match(
      /mso-font-width:[^"]*" hidden>[^<]*<\/i><!\[endif\]--><\/span><span[^>]*>Read the full comparison/g,
    );
    expect(buttons).toHaveLength(w47Comparisons.length);
    // <Row>/<Column> for the tool columns, <Section> for cards, <Heading> for h1-h3, <Hr> before the footer.
    expect(html.match(/data-id="__react-email-column"/g)).toHaveLength(4 * w47Comparisons.length);
    expect(html.match(/<h3 /g)).toHaveLength(2 * w47Comparisons.length);
    expect(html).toMatch(/<hr class="xr" style="width:100%;border:none/);
  });

  it('stays email-safe: tables, no flex or grid, no scripts, no images without alt, only its own classes', async () => {
    const { html } = await renderCopy(allSampleComparisons, { note: sampleNote });
    expect(html).not.toMatch(/display:\s*(flex|grid)/);
    expect(html).not.toMatch(/<script/i);
    for (const image of html.match(/<img[^>]*>/g) ?? []) expect(image).toMatch(/alt="[^"]+"/);
    expect(html).toMatch(/max-width:600px/);
    // Classes only hook the two <style> blocks (stacking, dark mode): no <Tailwind> utility classes.
    const css = [...html.matchAll(/<style>([^<]*)<\/style>/g)].map((match) => match[1]).join('');
    const classes = new Set(
      [...html.matchAll(/ class="([^"]+)"/g)].flatMap((match) => match[1]?.split(' ') ?? []),
    );
    expect(classes.size).toBeGreaterThan(0);
    for (const name of classes) expect(css).toContain(`.${name}`);
  });

  it('says "Forwarded to you?" with a link to the sign-up page', async () => {
    const { html, text } = await renderCopy(w47Comparisons);
    expect(visibleText(html)).toContain('Forwarded to you? Subscribe to get the verdicts every week');
    expect(html).toContain(`href="${config.publicUrl}/"`);
    expect(text).toContain(
      `Forwarded to you? Subscribe to get the verdicts every week: ${config.publicUrl}/`,
    );
  });
});

describe('weekly digest: review copies and weeks without a web version', () => {
  it('gives a review copy no unsubscribe or preferences links, no placeholders, and says why', async () => {
    const { content, html, text } = await renderCopy(w47Comparisons, { reviewCopy: true });
    expect(content.placeholders).toEqual({});
    for (const part of [html, text]) {
      expect(part).not.toContain('personal.invalid');
      expect(part).not.toMatch(/\/(unsubscribe|preferences)\b/i);
      expect(part).not.toContain('You get this email because');
    }
    expect(text).toContain(
      "-- \nThis is a review copy. Readers' copies carry their own unsubscribe and preferences links here.\n",
    );
    expect(visibleText(html)).toContain(
      "This is a review copy. Readers' copies carry their own unsubscribe and preferences links here.",
    );
    // Personalising a review copy changes nothing.
    expect(personalise(content, links)).toEqual({ html: content.html, text: content.text });
    expect(visibleText(html)).toContain(config.postalAddress);
  });

  it('links nowhere that does not exist yet when the web version is not out', async () => {
    const thirty = manyComparisons(30);
    const { html, text } = await renderCopy(thirty, { webVersion: false, reviewCopy: true });
    for (const part of [html, text]) {
      expect(part).not.toContain('/editions/');
      expect(part).not.toContain('View in browser');
    }
    // Comparisons without a card link to their own page instead.
    const withoutCard = thirty.filter((comparison) => !html.includes(`id="${comparison.slug}"`));
    expect(withoutCard.length).toBeGreaterThan(0);
    for (const comparison of withoutCard) expect(inThisIssue(html)).toContain(`href="${comparison.url}"`);
    expect(inThisIssue(html)).toContain('More this week, on the site:');
    expect(text).toContain('More this week, on the site:');
  });

  it('is a reader copy with a web version by default', async () => {
    const { html } = await renderCopy(w47Comparisons, { webVersion: true });
    expect(html).toContain('View in browser');
    expect(html).toContain(`href="${links.unsubscribeUrl}"`);
  });
});

describe('weekly digest: a copy in characters below U+0100 (half the memory on the wire)', () => {
  it('writes HTML beyond Latin-1 as character references and the text part in plain typography', async () => {
    const { sentHtml, text } = await renderCopy(allSampleComparisons, { note: sampleNote });
    expect(sentHtml).not.toMatch(/[\u0100-\u{10ffff}]/u);
    expect(text).not.toMatch(/[\u0100-\u{10ffff}]/u);
    // The same words: the dates' en dash and the quotes' marks as references, the em dash of a credit as "--".
    expect(sentHtml).toContain('16&#8211;22 November 2026');
    expect(sentHtml).toMatch(/&#8220;The primitive here is clean/);
    expect(sentHtml).toContain('&#8212; Builder (ship, 82/100)');
    expect(text).toContain('16-22 November 2026');
    expect(text).toContain('    -- Builder (ship, 82/100)');
  });

  it('keeps what plain typography has no spelling for', async () => {
    const [first] = w47Comparisons;
    if (!first) throw new Error('no W47 comparison');
    const named = { ...first, title: 'Claude Code vs 通义灵码 🚀' };
    const { sentHtml, text } = await renderCopy([named]);
    expect(sentHtml).toContain('Claude Code vs &#36890;&#20041;&#28789;&#30721; &#128640;');
    expect(text).toContain('- Claude Code vs 通义灵码 🚀');
  });
});

describe('weekly digest: size budget', () => {
  it.each([1, 5, 10, 30, 100, 1000])('keeps %i comparisons under budget', async (count) => {
    const comparisons = manyComparisons(count);
    const { html, sentHtml, content } = await renderCopy(comparisons);
    const bytes = Buffer.byteLength(sentHtml);
    expect(bytes).toBeLessThan(HTML_HARD_LIMIT_BYTES);
    expect(Buffer.byteLength(content.html)).toBeLessThanOrEqual(HTML_BUDGET_BYTES);
    const cards = html.match(/>Read the full comparison</g)?.length ?? 0;
    if (count <= 10) {
      // Up to ten comparisons fit as full cards, each with its two quotes and taglines.
      expect(cards).toBe(count);
      expect(html.match(/“/g)).toHaveLength(2 * count);
      for (const comparison of comparisons)
        for (const tool of comparison.tools) expect(html).toContain(tool.tagline ?? 'a tagline');
    } else {
      // The rest are listed "In this issue", linking to their card in the web version, or only counted
      // with a link to it: every comparison stays reachable.
      const rows = html.match(new RegExp(`href="${WEB_VERSION}#`, 'g'))?.length ?? 0;
      const more = /And (\d+) more verdicts in the web version/.exec(html);
      expect(cards + rows + Number(more?.[1] ?? 0)).toBe(count);
      expect(html).toContain(`Read the other ${count - cards} verdicts in full in the web version`);
      // Where the cards end, the list says the rest are read elsewhere.
      if (cards > 0) expect(html).toContain('More this week, in full in the web version:');
    }
    // The unsubscribe link survives whatever the count: it is what Gmail's clipping would hide.
    expect(html).toContain(`href="${links.unsubscribeUrl}"`);
  });
});

describe('weekly digest: readers vs panel', () => {
  // Last edition's comparisons as readers voted on them: one more than the block has room for, each tool
  // with votes, the panel overruled on the first ones.
  const previous = manyComparisons(MAX_SHOWN + 1);
  const block = readersVsPanel(
    '2026-W46',
    previous,
    previous.map((comparison, index) => ({
      slug: comparison.slug,
      title: comparison.title,
      updatedAt: '2026-11-20T10:00:00.000Z',
      tools: comparison.tools.map((tool) => ({ slug: tool.slug, ship: 3 + index, skip: 40 - index })),
    })),
  ) as ReadersVsPanel;
  const LAST_EDITION = 'https://news.verdicts.test/editions/2026-W46';

  it('comes after "In this issue" and before the first card, in HTML and text, with each comparison linking to its card', async () => {
    const { html, text } = await renderCopy(w47Comparisons, { readersVsPanel: block });
    const heading = html.indexOf('Readers vs panel');
    expect(heading).toBeGreaterThan(html.indexOf('In this issue'));
    expect(heading).toBeLessThan(html.indexOf(`id="${w47Comparisons[0]?.slug}"`));
    const shown = block.comparisons.map((comparison) => comparison.slug);
    expect(shown).toHaveLength(MAX_SHOWN);
    for (const slug of shown) expect(html).toContain(`href="${LAST_EDITION}#${slug}"`);
    expect(visibleText(html)).toContain('And 1 more comparison you voted on');
    // The biggest disagreement first: Ship from the panel, 88% Skip from readers, before a split panel.
    const sentence = 'The panel said Ship on Granola; 88% of you said Skip (43 votes)';
    expect(visibleText(html)).toContain(
      `Readers vs panel How you voted on last edition's verdicts, the biggest disagreement first. Granola vs Otter.ai ${sentence}`,
    );
    const section = text.slice(text.indexOf('READERS VS PANEL'), text.indexOf('='.repeat(60)));
    expect(text.indexOf('IN THIS ISSUE')).toBeLessThan(text.indexOf('READERS VS PANEL'));
    expect(section).toContain(`- Granola vs Otter.ai\n  ${sentence}\n`);
    expect(section).toContain(`And 1 more comparison you voted on: ${LAST_EDITION}\n`);
  });

  it('is absent without a block', async () => {
    const { html, text } = await renderCopy(w47Comparisons);
    expect(html).not.toContain('Readers vs panel');
    expect(text).not.toContain('READERS VS PANEL');
  });

  it.each([1, 10, 1000])('keeps %i comparisons with a full block under budget', async (count) => {
    const { sentHtml, content } = await renderCopy(manyComparisons(count), { readersVsPanel: block });
    expect(Buffer.byteLength(content.html)).toBeLessThanOrEqual(HTML_BUDGET_BYTES);
    expect(Buffer.byteLength(sentHtml)).toBeLessThan(HTML_HARD_LIMIT_BYTES);
    expect(sentHtml).toContain('Readers vs panel');
  });

  it('shows in the web version too', async () => {
    const page = await renderWebVersion(config, digestInput(w47Comparisons, { readersVsPanel: block }));
    expect(page.indexOf('Readers vs panel')).toBeGreaterThan(page.indexOf('In this issue'));
    expect(page).toContain(`href="${LAST_EDITION}#${block.comparisons[0]?.slug}"`);
  });
});

describe('weekly digest: escaping', () => {
  const hostile: DigestComparison = {
    ...realComparison,
    title: '<script>alert(1)</script> vs "><img src=x onerror=alert(2)>',
    headline: 'Click {{{RESEND_UNSUBSCRIBE_URL}}} now & <b>win</b>',
    url: 'https://example.com/compare/x?a=1&b="2"',
    slug: 'x"><script>alert(4)</script>',
    tools: [
      {
        ...realComparison.tools[0],
        name: '"><img src=x onerror=alert(3)>',
        tagline: '<style>body{display:none}</style>',
        pricing: '<a href="https://evil.test">free</a>',
        quote: {
          persona: 'builder',
          score: 80,
          verdict: 'ship',
          text: '</p><a href="https://evil.test/q">quoted</a> & more',
          dissent: false,
        },
      },
      realComparison.tools[1],
    ],
  };

  it('shows imported markup as text and never as a live element or placeholder', async () => {
    const { html, text } = await renderCopy([hostile]);
    expect(html).not.toContain('<script>');
    expect(html).not.toMatch(/<img[^>]*onerror/);
    expect(html).not.toContain('<a href="https://evil.test');
    expect(html).not.toContain('<style>body');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;style&gt;body{display:none}&lt;/style&gt;');
    expect(html).toContain(
      '“&lt;/p&gt;&lt;a href=&quot;https://evil.test/q&quot;&gt;quoted&lt;/a&gt; &amp; more”',
    );
    expect(html).toContain('{{{RESEND_UNSUBSCRIBE_URL}}}');
    expect(html).toContain('id="x&quot;&gt;&lt;script&gt;alert(4)&lt;/script&gt;"');
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
      reason: 'You get this because of <a&b>.',
      token: 'a&b',
    };
    const copy = personalise(content, tricky);
    for (const placeholder of Object.values(content.placeholders)) {
      expect(copy.html).not.toContain(placeholder);
      expect(copy.text).not.toContain(placeholder);
    }
    expect(copy.html).toContain('href="https://news.verdicts.test/unsubscribe/a&amp;b"');
    expect(copy.text).toContain('Unsubscribe: https://news.verdicts.test/unsubscribe/a&b');
    expect(copy.html).toContain('You get this because of &lt;a&amp;b&gt;.');
    expect(copy.text).toContain('You get this because of <a&b>.');
    const other = personalise(content, recipientLinks(config.publicUrl, 'someone-else'));
    expect(other.html).toContain('/unsubscribe/someone-else"');
    expect(other.html).not.toContain('a&amp;b');
  });

  it('uses fresh placeholders for every render', async () => {
    const first = await renderCopy(w47Comparisons);
    const second = await renderCopy(w47Comparisons);
    expect(first.content.placeholders.unsubscribe).not.toBe(second.content.placeholders.unsubscribe);
  });
});

describe('web version', () => {
  const render = (comparisons: readonly DigestComparison[], extra: Partial<DigestInput> = {}) =>
    renderWebVersion(config, digestInput(comparisons, extra));

  it('is a page of the site: viewport, canonical URL, feed link, title, description', async () => {
    const html = await render(w47Comparisons);
    expect(html.startsWith('<!DOCTYPE html><html lang="en">')).toBe(true);
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1"/>');
    expect(html).toContain(`<link rel="canonical" href="${WEB_VERSION}"/>`);
    expect(html).toContain(
      '<link rel="alternate" type="application/rss+xml" title="Weekly AI Tool Verdicts" href="/feed.xml"/>',
    );
    expect(html).toContain(
      '<title>Claude Code vs Aider, and 2 more verdicts · Weekly AI Tool Verdicts</title>',
    );
    expect(html).toContain(`<meta name="description" content="${digestPreheader(w47Comparisons)}"/>`);
    // The site's own look: the public pages' stylesheet and footer navigation.
    expect(html).toContain('main{max-width:560px');
    expect(html).toContain('<a href="/editions">Past editions</a>');
  });

  it('has the masthead, the note, the contents and every comparison in full, whatever the count', async () => {
    const thirty = manyComparisons(30);
    const html = await render(thirty, { note: sampleNote });
    expect(html).toContain(sampleNote.html);
    expect(visibleText(html)).toContain('16–22 November 2026 · 30 new comparisons');
    expect(html.match(/>Read the full comparison</g)).toHaveLength(30);
    for (const comparison of thirty) {
      expect(inThisIssue(html)).toContain(`href="#${comparison.slug}"`);
      expect(html).toContain(`id="${comparison.slug}"`);
    }
    expect(html.length).toBeGreaterThan(HTML_HARD_LIMIT_BYTES); // no email budget on the web
  });

  it('offers a sign-up form and carries nothing that only an inbox needs', async () => {
    const html = await render(w47Comparisons);
    const form = html.slice(html.indexOf('<form'), html.indexOf('</form>'));
    expect(form).toContain('action="/subscribe" method="post"');
    expect(form).toMatch(/<input id="email" type="email" required=""[^>]* name="email"\/>/);
    expect(html).toContain('<button type="submit">Subscribe</button>');
    const seen = visibleText(html);
    for (const inboxOnly of [
      'View in browser',
      'You get this email because',
      'Unsubscribe',
      'Choose your categories',
      'Forwarded to you',
    ])
      expect(seen).not.toContain(inboxOnly);
    expect(html).not.toContain('personal.invalid');
    expect(html).not.toMatch(/\/(unsubscribe|preferences)\//);
    expect(html).not.toContain('color-scheme'); // a light page, like the rest of the site
  });

  it('stacks its tool columns on a phone like the email', async () => {
    const html = await render(w47Comparisons);
    expect(html).toContain('@media only screen and (max-width:480px){.s{display:block!important');
    expect(html.match(/<td class="s" width="50%"/g)).toHaveLength(4 * w47Comparisons.length);
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
