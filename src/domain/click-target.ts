// What a clicked link was: a comparison of the edition (its URL identifies it), one of the reader's own
// links (unsubscribe, preferences), or anything else (the web version, the site). A digest may link a
// comparison more than once (title, button, "In this issue"), with tracking parameters or a fragment, so
// links are compared normalised: scheme, `www.`, letter case, query, fragment and a trailing slash are
// ignored, and a link below a comparison's path (`/compare/x/reviews`) still counts as that comparison.

export type ClickTarget =
  | { readonly kind: 'comparison'; readonly slug: string }
  | { readonly kind: 'personal' }
  | { readonly kind: 'other' };

/** `example.com/compare/a-vs-b` for `https://www.Example.com/compare/a-vs-b/?utm_source=x#top`. */
export function normaliseLink(link: string): string {
  let url: URL;
  try {
    url = new URL(link.trim());
  } catch {
    return link.trim().toLowerCase();
  }
  const host = url.host.toLowerCase().replace(/^www\./, '');
  return `${host}${url.pathname.toLowerCase().replace(/\/+$/, '')}`;
}

const PERSONAL_PATH = /\/(?:unsubscribe|preferences)\/[^/]+\/?$/;

export function clickTarget(
  link: string,
  comparisons: readonly { readonly slug: string; readonly url: string }[],
): ClickTarget {
  let path = '';
  try {
    path = new URL(link.trim()).pathname;
  } catch {
    return { kind: 'other' };
  }
  if (PERSONAL_PATH.test(path)) return { kind: 'personal' };
  const clicked = normaliseLink(link);
  let best: { slug: string; length: number } | undefined;
  for (const comparison of comparisons) {
    const key = normaliseLink(comparison.url);
    // A comparison at a site's root (no path) matches only itself, or it would claim every link.
    const below = key.includes('/') && clicked.startsWith(`${key}/`);
    if ((clicked === key || below) && key.length > (best?.length ?? -1))
      best = { slug: comparison.slug, length: key.length };
  }
  return best ? { kind: 'comparison', slug: best.slug } : { kind: 'other' };
}
