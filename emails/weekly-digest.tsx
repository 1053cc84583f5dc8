import type { DigestComparison } from '../src/domain/digest.js';
import { CompactRow } from './_components/compact-row.js';
import { ComparisonCard } from './_components/comparison-card.js';
import { Footer } from './_components/footer.js';
import { EmailLayout } from './_components/layout.js';
import { colors, link, paragraph, small } from './_components/styles.js';
import { LayoutTable } from './_components/table.js';
import { sampleDigestProps } from './_fixtures/digest-props.js';

export interface WeeklyDigestProps {
  readonly subject: string;
  readonly previewText: string;
  readonly weekKey: string;
  readonly weekLabel: string;
  readonly publicUrl: string;
  /** The edition's web page; absent while it does not exist yet (a copy of an unsent week). */
  readonly webVersionUrl?: string | undefined;
  /** Newest first. */
  readonly comparisons: readonly DigestComparison[];
  /** How many comparisons get a full card; the rest become compact rows (size budget). Default: all. */
  readonly fullCount?: number | undefined;
  /** How many compact rows follow the cards; anything beyond is only linked. Default: all the rest. */
  readonly compactCount?: number | undefined;
  readonly unsubscribeUrl: string;
  readonly preferencesUrl: string;
  readonly postalAddress: string;
  readonly followedCategories?: readonly string[] | undefined;
  /** The editor's note as safe HTML (paragraphs, emphasis, links), shown under the masthead. */
  readonly note?: { readonly html: string } | undefined;
  /** A review or test copy: the footer carries no personal links. */
  readonly reviewCopy?: boolean | undefined;
}

export function WeeklyDigest(props: WeeklyDigestProps) {
  const { comparisons } = props;
  const fullCount = Math.min(props.fullCount ?? comparisons.length, comparisons.length);
  const compactCount = Math.min(props.compactCount ?? comparisons.length, comparisons.length - fullCount);
  const full = comparisons.slice(0, fullCount);
  const compact = comparisons.slice(fullCount, fullCount + compactCount);
  const omitted = comparisons.length - fullCount - compactCount;
  return (
    <EmailLayout subject={props.subject} preview={props.previewText}>
      {props.webVersionUrl && (
        <p style={{ ...small, textAlign: 'right' }}>
          <a href={props.webVersionUrl} style={link}>
            View in browser
          </a>
        </p>
      )}
      <h1 style={{ margin: '0 0 4px', fontSize: '24px', lineHeight: '30px', color: colors.text }}>
        Weekly AI Tool Verdicts
      </h1>
      <p style={{ ...paragraph, color: colors.muted }}>
        {props.weekLabel}: {comparisons.length} new {comparisons.length === 1 ? 'comparison' : 'comparisons'},
        each reviewed by our panel.
      </p>
      {props.note && (
        <div
          style={{ ...paragraph, margin: '0 0 16px' }}
          // biome-ignore lint/security/noDangerouslySetInnerHtml: the editorial Markdown renderer made it (paragraphs, emphasis, links; everything else escaped).
          dangerouslySetInnerHTML={{ __html: props.note.html }}
        />
      )}
      {full.map((comparison) => (
        <ComparisonCard key={comparison.slug} comparison={comparison} />
      ))}
      {compact.length > 0 && (
        <>
          <h2 style={{ margin: '8px 0 4px', fontSize: '18px' }}>More comparisons this week</h2>
          <LayoutTable style={{ marginBottom: '12px' }}>
            {compact.map((comparison) => (
              <CompactRow key={comparison.slug} comparison={comparison} />
            ))}
          </LayoutTable>
        </>
      )}
      {omitted > 0 && (
        <p style={paragraph}>
          {props.webVersionUrl ? (
            <a href={props.webVersionUrl} style={link}>
              {`${omitted} more ${omitted === 1 ? 'comparison' : 'comparisons'} in the web version`}
            </a>
          ) : (
            `${omitted} more ${omitted === 1 ? 'comparison' : 'comparisons'} in the web version, once it is sent`
          )}
        </p>
      )}
      <Footer {...props} />
    </EmailLayout>
  );
}

WeeklyDigest.PreviewProps = sampleDigestProps satisfies WeeklyDigestProps;

export default WeeklyDigest;
