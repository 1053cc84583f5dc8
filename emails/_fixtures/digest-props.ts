import type { WeeklyDigestProps } from '../weekly-digest.js';
import { w47Comparisons } from './comparisons.js';

const PUBLIC_URL = 'http://localhost:3000';

/** The W47 digest as a subscriber gets it: the preview server's sample and the tests' baseline. */
export const sampleDigestProps = {
  subject: 'Weekly AI Tool Verdicts, 2026-W47: 3 new comparisons',
  previewText: "Claude Code vs Aider, Cursor 3 vs Windsurf Wave 14 and 1 more: the panel's verdicts.",
  weekKey: '2026-W47',
  weekLabel: '16–22 November 2026',
  publicUrl: PUBLIC_URL,
  webVersionUrl: `${PUBLIC_URL}/editions/2026-W47`,
  comparisons: w47Comparisons,
  unsubscribeUrl: `${PUBLIC_URL}/unsubscribe/preview-token`,
  preferencesUrl: `${PUBLIC_URL}/preferences/preview-token`,
  postalAddress: 'Weekly AI Tool Verdicts, 1 Example Street, 10115 Berlin, Germany',
} satisfies WeeklyDigestProps;
