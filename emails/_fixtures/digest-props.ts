import { defaultSubject, digestPreheader } from '../../src/domain/digest.js';
import type { WeeklyDigestProps } from '../weekly-digest.js';
import { w47Comparisons } from './comparisons.js';

const PUBLIC_URL = 'http://localhost:3000';

/** An editor's note as the editorial Markdown renderer hands it over: paragraphs, emphasis, links. */
export const sampleNote = {
  html: '<p>Three coding tools this week, and the panel split more than usual: <em>read the dissenting quotes</em> before you switch.</p><p>Have a tool you want compared? <a href="https://example.com/suggest">Suggest it</a>.</p>',
  text: 'Three coding tools this week, and the panel split more than usual: read the dissenting quotes before you switch.\n\nHave a tool you want compared? Suggest it: https://example.com/suggest',
};

/** The W47 digest as a subscriber gets it: the preview server's sample and the tests' baseline. */
export const sampleDigestProps = {
  subject: defaultSubject(w47Comparisons),
  previewText: digestPreheader(w47Comparisons),
  weekKey: '2026-W47',
  weekLabel: '16–22 November 2026',
  publicUrl: PUBLIC_URL,
  webVersionUrl: `${PUBLIC_URL}/editions/2026-W47`,
  comparisons: w47Comparisons,
  noteHtml: sampleNote.html,
  unsubscribeUrl: `${PUBLIC_URL}/unsubscribe/preview-token`,
  preferencesUrl: `${PUBLIC_URL}/preferences/preview-token`,
  postalAddress: 'Weekly AI Tool Verdicts, 1 Example Street, 10115 Berlin, Germany',
} satisfies WeeklyDigestProps;
