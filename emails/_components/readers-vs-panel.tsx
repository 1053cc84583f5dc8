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
/** A comparison's lines: its title, then one per tool, each its own paragraph so a wrapped one stays apart. */
const tight = { ...line, margin: '0 0 3px' } as const;

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
        <div key={comparison.slug} style={{ margin: '0 0 10px' }}>
          <p style={tight}>
            <a
              href={`${editionUrl}#${comparison.slug}`}
              className={cls.link}
              style={{ ...link, fontWeight: 600 }}
            >
              {comparison.title}
            </a>
          </p>
          {comparison.tools.map((tool) => (
            <p key={tool.slug} style={tight}>
              {`${verdictSentence(tool)} `}
              {/* The count on one line: "(25" ending one line and "votes)" starting the next reads badly. */}
              <span className={cls.muted} style={{ color: colors.muted, whiteSpace: 'nowrap' }}>
                {`(${votesPhrase(tool)})`}
              </span>
            </p>
          ))}
        </div>
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
