import { Button, Heading, Text } from 'react-email';
import { EmailLayout } from './_components/layout.js';
import { button, cls, paragraph, small } from './_components/styles.js';

export interface EditorSignInProps {
  readonly subject: string;
  readonly signInUrl: string;
  readonly publicUrl: string;
  readonly validMinutes: number;
}

/**
 * The editor console's sign-in link. The link opens a page with a "Sign in" button: following it signs
 * nobody in, so a mail scanner that fetches every link cannot use it up.
 */
export function EditorSignIn({ subject, signInUrl, publicUrl, validMinutes }: EditorSignInProps) {
  return (
    <EmailLayout subject={subject} preview="Your link to the Weekly AI Tool Verdicts editor console.">
      <Heading as="h1" style={{ margin: '0 0 12px', fontSize: '22px' }}>
        Sign in to the editor console
      </Heading>
      <Text style={paragraph}>
        {`Someone, hopefully you, asked to sign in to the editor console at ${publicUrl}/admin. The link works once and for ${validMinutes} minutes.`}
      </Text>
      <Text style={{ margin: '16px 0' }}>
        <Button href={signInUrl} style={button}>
          Open the sign-in page
        </Button>
      </Text>
      <Text className={cls.muted} style={small}>
        {`Or paste this link into your browser: ${signInUrl}`}
      </Text>
      <Text className={cls.muted} style={small}>
        If this wasn't you, ignore this email: nobody can sign in without the link.
      </Text>
    </EmailLayout>
  );
}

EditorSignIn.PreviewProps = {
  subject: 'Sign in to the Weekly AI Tool Verdicts editor console',
  signInUrl: 'http://localhost:3000/admin/sign-in?token=preview-token',
  publicUrl: 'http://localhost:3000',
  validMinutes: 15,
} satisfies EditorSignInProps;

export default EditorSignIn;
