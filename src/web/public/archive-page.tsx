// The archive of sent editions: the list the home page and /editions show, newest first.
import { page } from '../pages.js';

export interface EditionLink {
  readonly weekKey: string;
  readonly subject: string;
  /** The edition's week in words: "16–22 November 2026". */
  readonly weekLabel: string;
  /** When it went out: the instant (ISO 8601) and the day in words. */
  readonly sent: { readonly at: string; readonly day: string };
}

export function EditionList({ editions }: { editions: readonly EditionLink[] }) {
  if (editions.length === 0) return <p className="muted">No editions have gone out yet.</p>;
  return (
    <ul className="editions">
      {editions.map((edition) => (
        <li key={edition.weekKey}>
          <a href={`/editions/${edition.weekKey}`}>{edition.subject}</a>
          <span className="muted">
            {edition.weekLabel} · sent <time dateTime={edition.sent.at}>{edition.sent.day}</time>
          </span>
        </li>
      ))}
    </ul>
  );
}

export function archivePage(editions: readonly EditionLink[], canonicalUrl?: string) {
  return page(
    'Past editions',
    <>
      <h1>Past editions</h1>
      <EditionList editions={editions} />
    </>,
    {
      description:
        'Every edition of Weekly AI Tool Verdicts, newest first: the week it covers and the AI tools it compared.',
      canonicalUrl,
    },
  );
}
