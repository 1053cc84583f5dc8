import { Hr, Link, Text } from 'react-email';
import { reasonSentence } from '../../src/domain/consent-reason.js';
import { cls, link, rule, small } from './styles.js';

interface FooterBase {
  readonly publicUrl: string;
  readonly postalAddress: string;
  readonly followedCategories?: readonly string[] | undefined;
}

/** A reader's copy carries their links; a review copy none that could change anyone's subscription. */
export type FooterProps = FooterBase &
  (
    | {
        readonly reviewCopy?: false | undefined;
        readonly unsubscribeUrl: string;
        readonly preferencesUrl: string;
        /** Why this reader gets it (or a placeholder for it): by default, they subscribed and confirmed. */
        readonly reason?: string | undefined;
      }
    | { readonly reviewCopy: true }
  );

const smallMuted = { className: cls.muted, style: small } as const;

/** Why the reader gets this, how to stop or change it, and who sends it (CAN-SPAM, GDPR). */
export function Footer(props: FooterProps) {
  const following = props.followedCategories?.length
    ? ` You follow: ${props.followedCategories.join(', ')}.`
    : '';
  return (
    <>
      <Hr className={cls.rule} style={rule} />
      {props.reviewCopy ? (
        <Text {...smallMuted}>
          {`This is a review copy.${following} Readers' copies carry their own unsubscribe and preferences links here.`}
        </Text>
      ) : (
        <>
          <Text {...smallMuted}>
            {`${props.reason ?? reasonSentence('confirmed', props.publicUrl)}${following}`}
          </Text>
          <Text {...smallMuted}>
            <Link href={props.unsubscribeUrl} className={cls.link} style={link}>
              Unsubscribe
            </Link>
            {' · '}
            <Link href={props.preferencesUrl} className={cls.link} style={link}>
              Choose your categories
            </Link>
          </Text>
        </>
      )}
      <Text {...smallMuted}>{props.postalAddress}</Text>
    </>
  );
}
