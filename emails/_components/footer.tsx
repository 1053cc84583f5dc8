import { colors, link, small } from './styles.js';

export interface FooterProps {
  readonly publicUrl: string;
  readonly unsubscribeUrl: string;
  readonly preferencesUrl: string;
  readonly postalAddress: string;
  readonly followedCategories?: readonly string[] | undefined;
  readonly reviewCopy?: boolean | undefined;
}

/** Why the reader gets this, how to stop or change it, and who sends it (CAN-SPAM, GDPR). */
export function Footer({
  publicUrl,
  unsubscribeUrl,
  preferencesUrl,
  postalAddress,
  followedCategories,
  reviewCopy,
}: FooterProps) {
  const following = followedCategories?.length ? ` You follow: ${followedCategories.join(', ')}.` : '';
  if (reviewCopy) {
    return (
      <div style={{ borderTop: `1px solid ${colors.border}`, marginTop: '8px', paddingTop: '12px' }}>
        <p style={small}>
          This is a review copy.{following} Readers' copies carry their own unsubscribe and preferences links
          here.
        </p>
        <p style={small}>{postalAddress}</p>
      </div>
    );
  }
  return (
    <div style={{ borderTop: `1px solid ${colors.border}`, marginTop: '8px', paddingTop: '12px' }}>
      <p style={small}>
        You get this email because you subscribed to Weekly AI Tool Verdicts at {publicUrl} and confirmed your
        address.
        {following}
      </p>
      <p style={small}>
        <a href={unsubscribeUrl} style={link}>
          Unsubscribe
        </a>{' '}
        ·{' '}
        <a href={preferencesUrl} style={link}>
          Choose your categories
        </a>
      </p>
      <p style={small}>{postalAddress}</p>
    </div>
  );
}
