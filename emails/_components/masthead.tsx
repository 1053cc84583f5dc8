import { Heading, Link, Text } from 'react-email';
import { NEWSLETTER_NAME } from '../../src/domain/digest.js';
import { count as plural } from '../../src/domain/plural.js';
import { cls, colors, link, small } from './styles.js';

export interface MastheadProps {
  /** The edition's dates in words ("16–22 November 2026"). */
  readonly weekLabel: string;
  readonly count: number;
  /** The "View in browser" link; absent in the web version itself and before the web version exists. */
  readonly webVersionUrl?: string | undefined;
}

/** The newsletter's name, the edition's dates and size. */
export function Masthead({ weekLabel, count, webVersionUrl }: MastheadProps) {
  return (
    <>
      {webVersionUrl && (
        <Text className={cls.muted} style={{ ...small, margin: '0 0 8px', textAlign: 'right' }}>
          <Link href={webVersionUrl} className={cls.link} style={link}>
            View in browser
          </Link>
        </Text>
      )}
      <Heading
        as="h1"
        style={{
          margin: '0',
          padding: '12px 0 0',
          borderTop: `4px solid ${colors.link}`,
          fontSize: '28px',
          lineHeight: '34px',
        }}
      >
        {NEWSLETTER_NAME}
      </Heading>
      <Text
        className={cls.muted}
        style={{ ...small, fontSize: '15px', lineHeight: '22px', margin: '4px 0 16px' }}
      >
        {`${weekLabel} · ${plural(count, 'new comparison')}, each scored by our panel`}
      </Text>
    </>
  );
}

/** The editor's note: HTML the editorial Markdown renderer made safe (paragraphs, emphasis, links). */
export function EditorNote({ html }: { html: string | undefined }) {
  if (!html?.trim()) return null;
  return (
    <div
      className={cls.note}
      style={{ margin: '0 0 16px', fontSize: '15px', lineHeight: '22px' }}
      // biome-ignore lint/security/noDangerouslySetInnerHtml: sanitised by the editorial Markdown renderer
      dangerouslySetInnerHTML={{ __html: html }}
    />
  );
}
