import { Button, Heading, Text } from 'react-email';
import { EmailLayout } from './_components/layout.js';
import { button, cls, paragraph, small } from './_components/styles.js';

export interface ConfirmSubscriptionProps {
  readonly subject: string;
  readonly confirmUrl: string;
  readonly publicUrl: string;
  readonly postalAddress: string;
  readonly validHours: number;
}

/** Double opt-in: one link, nothing else. No marketing content before consent. */
export function ConfirmSubscription({
  subject,
  confirmUrl,
  publicUrl,
  postalAddress,
  validHours,
}: ConfirmSubscriptionProps) {
  return (
    <EmailLayout
      subject={subject}
      preview="One click to confirm your subscription to Weekly AI Tool Verdicts."
    >
      <Heading as="h1" style={{ margin: '0 0 12px', fontSize: '22px' }}>
        Confirm your subscription
      </Heading>
      <Text style={paragraph}>
        {`Someone, hopefully you, asked to receive Weekly AI Tool Verdicts at this address on ${publicUrl}. Confirm with the button below; the link works once and for ${validHours} hours.`}
      </Text>
      <Text style={{ margin: '16px 0' }}>
        <Button href={confirmUrl} style={button}>
          Confirm my subscription
        </Button>
      </Text>
      <Text className={cls.muted} style={small}>
        {`Or paste this link into your browser: ${confirmUrl}`}
      </Text>
      <Text className={cls.muted} style={small}>
        If this wasn't you, ignore this email: without confirmation you will not hear from us again.
      </Text>
      <Text className={cls.muted} style={small}>
        {postalAddress}
      </Text>
    </EmailLayout>
  );
}

ConfirmSubscription.PreviewProps = {
  subject: 'Confirm your subscription to Weekly AI Tool Verdicts',
  confirmUrl: 'http://localhost:3000/confirm?token=preview-token',
  publicUrl: 'http://localhost:3000',
  postalAddress: 'Weekly AI Tool Verdicts, 1 Example Street, 10115 Berlin, Germany',
  validHours: 72,
} satisfies ConfirmSubscriptionProps;

export default ConfirmSubscription;
