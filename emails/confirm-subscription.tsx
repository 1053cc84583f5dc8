import { EmailLayout } from './_components/layout.js';
import { button, colors, paragraph, small } from './_components/styles.js';

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
      <h1 style={{ margin: '0 0 12px', fontSize: '22px', color: colors.text }}>Confirm your subscription</h1>
      <p style={paragraph}>
        Someone, hopefully you, asked to receive Weekly AI Tool Verdicts at this address on {publicUrl}.
        Confirm with the button below; the link works once and for {validHours} hours.
      </p>
      <p style={{ margin: '16px 0' }}>
        <a href={confirmUrl} style={button}>
          Confirm my subscription
        </a>
      </p>
      <p style={small}>Or paste this link into your browser: {confirmUrl}</p>
      <p style={small}>
        If this wasn't you, ignore this email: without confirmation you will not hear from us again.
      </p>
      <p style={small}>{postalAddress}</p>
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
