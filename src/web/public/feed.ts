// RSS 2.0 of sent editions.

/** How many editions the feed carries, newest first: a feed reader wants what is new. */
export const FEED_ITEMS = 20;

export interface FeedItem {
  readonly title: string;
  readonly link: string;
  readonly published: Date;
  readonly description: string;
}

const escapeXml = (value: string) =>
  value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');

export function rssFeed(
  channel: { title: string; link: string; description: string },
  items: readonly FeedItem[],
): string {
  const entries = items.map(
    (item) =>
      `<item><title>${escapeXml(item.title)}</title><link>${escapeXml(item.link)}</link><guid isPermaLink="true">${escapeXml(item.link)}</guid><pubDate>${item.published.toUTCString()}</pubDate><description>${escapeXml(item.description)}</description></item>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>${escapeXml(channel.title)}</title><link>${escapeXml(channel.link)}</link><description>${escapeXml(channel.description)}</description>${entries.join('')}</channel></rss>\n`;
}
