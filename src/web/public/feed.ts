// RSS 2.0 of sent editions.
import { documentText } from '../../domain/document-characters.js';

/** How many editions the feed carries, newest first: a feed reader wants what is new. */
export const FEED_ITEMS = 20;
/** How many of an edition's comparisons its item lists; the rest are counted and left to its web version. */
export const FEED_ITEM_LINES = 50;

export interface FeedItem {
  readonly title: string;
  readonly link: string;
  readonly published: Date;
  readonly description: string;
}

export interface FeedChannel {
  readonly title: string;
  readonly link: string;
  readonly description: string;
  /** The feed's own address, announced with `atom:link rel="self"` as feed validators ask. */
  readonly self: string;
  /** When the channel's content last changed (the newest item's time); absent for an empty feed. */
  readonly lastBuildDate?: Date | undefined;
}

// Everything written into the feed passes through here: a control character that was imported before
// imports refused them would otherwise make the whole document ill-formed, escaped or not.
const escapeXml = (value: string) =>
  documentText(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');

export function rssFeed(channel: FeedChannel, items: readonly FeedItem[]): string {
  const entries = items.map(
    (item) =>
      `<item><title>${escapeXml(item.title)}</title><link>${escapeXml(item.link)}</link><guid isPermaLink="true">${escapeXml(item.link)}</guid><pubDate>${item.published.toUTCString()}</pubDate><description>${escapeXml(item.description)}</description></item>`,
  );
  const built = channel.lastBuildDate
    ? `<lastBuildDate>${channel.lastBuildDate.toUTCString()}</lastBuildDate>`
    : '';
  return `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>${escapeXml(channel.title)}</title><link>${escapeXml(channel.link)}</link><description>${escapeXml(channel.description)}</description><atom:link href="${escapeXml(channel.self)}" rel="self" type="application/rss+xml"/>${built}${entries.join('')}</channel></rss>\n`;
}
