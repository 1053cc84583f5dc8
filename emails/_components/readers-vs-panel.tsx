import { Heading } from 'react-email';
import {
  moreLine,
  READERS_VS_PANEL_INTRO,
  type ReadersVsPanelView,
  verdictSentence,
  votesPhrase,
} from '../../src/domain/readers-vs-panel.js';
import { cls, colors, link, sectionHeading } from './styles.js';

const line = { margin: '0 0 10px', fontSize: '14px', lineHeight: '21px' } as const;

export type ReadersVsPanelProps = ReadersVsPanelView;

/**
 * Last edition's comparisons that readers voted on, each tool's tally in a sentence beside the panel's
 * verdict, the biggest disagreement first. Words carry it all (no colour-only signal), so it reads the same
 * in plain clients; a few short lines, since the size budget counts every byte.
 */
export function ReadersVsPanel({ block, editionUrl }: ReadersVsPanelProps) {
  if (!block || block.comparisons.length === 0) return null;
  return (
    <>
      <Heading as="h2" style={{ ...sectionHeading, margin: '16px 0 4px' }}>
        Readers vs panel
      </Heading>
      <p className={cls.muted} style={{ ...line, color: colors.muted }}>
        {READERS_VS_PANEL_INTRO}
      </p>
      {block.comparisons.map((comparison) => (
        <p key={comparison.slug} style={line}>
          <a
            href={`${editionUrl}#${comparison.slug}`}
            className={cls.link}
            style={{ ...link, fontWeight: 600 }}
          >
            {comparison.title}
          </a>
          {comparison.tools.map((tool) => (
            <span key={tool.slug}>
              <br />
              {`${verdictSentence(tool)} `}
              <span className={cls.muted} style={{ color: colors.muted }}>{`(${votesPhrase(tool)})`}</span>
            </span>
          ))}
        </p>
      ))}
      {block.more > 0 && (
        <p style={line}>
          <a href={editionUrl} className={cls.link} style={link}>
            {`${moreLine(block.more)}, in last edition's web version`}
          </a>
        </p>
      )}
    </>
  );
}
