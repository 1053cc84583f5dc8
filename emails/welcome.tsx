import { Heading, Text } from 'react-email';
import { Footer } from './_components/footer.js';
import { EmailLayout } from './_components/layout.js';
import { paragraph } from './_components/styles.js';

export interface WelcomeProps {
  readonly subject: string;
  readonly publicUrl: string;
  readonly unsubscribeUrl: string;
  readonly preferencesUrl: string;
  readonly postalAddress: string;
  readonly followedCategories?: readonly string[] | undefined;
}

export function Welcome(props: WelcomeProps) {
  return (
    <EmailLayout subject={props.subject} preview="You're in: one email a week with the panel's verdicts.">
      <Heading as="h1" style={{ margin: '0 0 12px', fontSize: '22px' }}>
        Welcome to Weekly AI Tool Verdicts
      </Heading>
      <Text style={paragraph}>
        Your subscription is confirmed. Once a week you will get the new comparisons: two AI tools side by
        side, scored out of 100 by our panel (Builder, Skeptic, Founder and Futurist), each voting ship or
        skip.
      </Text>
      <Text style={paragraph}>
        Only interested in some categories? Choose them on your preferences page; with none chosen you get
        everything.
      </Text>
      <Footer {...props} />
    </EmailLayout>
  );
}

Welcome.PreviewProps = {
  subject: 'Welcome to Weekly AI Tool Verdicts',
  publicUrl: 'http://localhost:3000',
  unsubscribeUrl: 'http://localhost:3000/unsubscribe/preview-token',
  preferencesUrl: 'http://localhost:3000/preferences/preview-token',
  postalAddress: 'Weekly AI Tool Verdicts, 1 Example Street, 10115 Berlin, Germany',
} satisfies WelcomeProps;

export default Welcome;
