import { Link, Text } from 'react-email';
import type { DigestComparison } from '../src/domain/digest.js';
import { count } from '../src/domain/plural.js';
import type { VoteLinker } from '../src/domain/vote-link.js';
import { ComparisonCard } from './_components/comparison-card.js';
import { Footer } from './_components/footer.js';
import { InThisIssue } from './_components/in-this-issue.js';
import { EmailLayout } from './_components/layout.js';
import { EditorNote, Masthead } from './_components/masthead.js';
import { ReadersVsPanel, type ReadersVsPanelProps } from './_components/readers-vs-panel.js';
import { cls, colors, link, paragraph } from './_components/styles.js';
import { sampleDigestProps } from './_fixtures/digest-props.js';

interface DigestBase {
  readonly subject: string;
  readonly previewText: string;
  readonly weekKey: string;
  /** The edition's dates in words, for the masthead. */
  readonly weekLabel: string;
  readonly publicUrl: string;
  readonly webVersionUrl: string;
  /** False until the edition is sent: then there is no web version to link to (review and test copies). */
  readonly webVersion?: boolean | undefined;
  /** In edition order. */
  readonly comparisons: readonly DigestComparison[];
  /** How many comparisons get a full card; the rest are listed only (size budget). Default: all. */
  readonly fullCount?: number | undefined;
  /** How many of the rest are listed in "In this issue"; anything beyond is only counted. Default: all. */
  readonly compactCount?: number | undefined;
  /** The editor's note, already rendered from Markdown; empty or absent shows nothing. */
  readonly noteHtml?: string | undefined;
  readonly postalAddress: string;
  readonly followedCategories?: readonly string[] | undefined;
  /** Each tool's "Your verdict: Ship · Skip" links; absent: the cards offer no vote. */
  readonly voteLink?: VoteLinker | undefined;
  /** Last edition's reader tallies beside the panel's verdicts, under "In this issue"; absent: none. */
  readonly readersVsPanel?: ReadersVsPanelProps | undefined;
}

export type WeeklyDigestProps = DigestBase &
  (
    | {
        readonly reviewCopy?: false | undefined;
        readonly unsubscribeUrl: string;
        readonly preferencesUrl: string;
      }
    | { readonly reviewCopy: true }
  );

export function WeeklyDigest(props: WeeklyDigestProps) {
  const { comparisons } = props;
  const fullCount = Math.min(props.fullCount ?? comparisons.length, comparisons.length);
  const compactCount = Math.min(props.compactCount ?? comparisons.length, comparisons.length - fullCount);
  const listed = comparisons.slice(0, fullCount + compactCount);
  const unlisted = comparisons.length - listed.length;
  const webVersionUrl = props.webVersion === false ? undefined : props.webVersionUrl;
  const notCarded = comparisons.length - fullCount;
  return (
    <EmailLayout subject={props.subject} preview={props.previewText}>
      <Masthead weekLabel={props.weekLabel} count={comparisons.length} webVersionUrl={webVersionUrl} />
      <EditorNote html={props.noteHtml} />
      <InThisIssue
        comparisons={listed}
        withCard={fullCount}
        webVersionUrl={webVersionUrl}
        unlisted={unlisted}
      />
      {props.readersVsPanel && <ReadersVsPanel {...props.readersVsPanel} />}
      {comparisons.slice(0, fullCount).map((comparison) => (
        <ComparisonCard key={comparison.slug} comparison={comparison} voteLink={props.voteLink} />
      ))}
      {notCarded > 0 && webVersionUrl && (
        <Text style={paragraph}>
          <Link href={webVersionUrl} className={cls.link} style={link}>
            {`Read the other ${count(notCarded, 'verdict')} in full in the web version`}
          </Link>
        </Text>
      )}
      <Text className={cls.muted} style={{ ...paragraph, fontSize: '14px', color: colors.muted }}>
        {'Forwarded to you? '}
        <Link href={`${props.publicUrl}/`} className={cls.link} style={link}>
          Subscribe to get the verdicts every week
        </Link>
      </Text>
      <Footer {...props} />
    </EmailLayout>
  );
}

WeeklyDigest.PreviewProps = sampleDigestProps satisfies WeeklyDigestProps;

export default WeeklyDigest;
