import type { ReactNode } from 'react';
import { Body, Container, Head, Html, Preview } from 'react-email';
import { body, cls, container, darkCss, responsiveCss } from './styles.js';

/**
 * The frame of every email: `lang`, a <title> equal to the subject (otherwise the preview text ends up as
 * the title, which SpamAssassin scores as HTML_TITLE_SUBJ_DIFF), the colour-scheme metas that tell Apple
 * Mail and Outlook the email has its own dark mode (instead of inverting it), and the preview text inside
 * <body>, where React Email's <Preview> belongs.
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
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <meta name="supported-color-schemes" content="light dark" />
        <title>{subject}</title>
        <style>{responsiveCss}</style>
        <style>{darkCss}</style>
      </Head>
      <Body className={cls.page} style={body}>
        <Preview useTitleTag={false}>{preview}</Preview>
        <Container style={container}>{children}</Container>
      </Body>
    </Html>
  );
}
