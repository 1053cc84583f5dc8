import type { ReactNode } from 'react';
import { Body, Head, Html, Preview } from 'react-email';
import { body, container } from './styles.js';

/**
 * The frame of every email: `lang`, a <title> equal to the subject (otherwise the preview text ends up as
 * the title, which SpamAssassin scores as HTML_TITLE_SUBJ_DIFF) and the preview text inside <body>, where
 * React Email's <Preview> belongs.
 */
export function EmailLayout({
  subject,
  preview,
  children,
}: {
  subject: string;
  preview: string;
  children: ReactNode;
}) {
  return (
    <Html lang="en" dir="ltr">
      <Head>
        <title>{subject}</title>
      </Head>
      <Body style={body}>
        <Preview useTitleTag={false}>{preview}</Preview>
        <div style={container}>{children}</div>
      </Body>
    </Html>
  );
}
