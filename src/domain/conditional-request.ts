// RFC 9110 section 13: whether a GET may be answered 304 Not Modified from the client's validators.

export interface Validators {
  /** The representation's entity tag, strong (`"x"`) or weak (`W/"x"`). */
  readonly etag: string;
  /** When the representation last changed; absent when nothing dates it. */
  readonly lastModified?: Date | undefined;
}

export interface Conditions {
  readonly ifNoneMatch?: string | undefined;
  readonly ifModifiedSince?: string | undefined;
}

const opaque = (tag: string) => tag.trim().replace(/^W\//, '');

/**
 * True when the client's copy is current. If-None-Match uses the weak comparison (a compressed copy
 * carries the weakened tag of the same page) and, when present, decides alone: If-Modified-Since is only
 * read without it, as the RFC orders, and an unreadable date counts as absent.
 */
export function notModified(conditions: Conditions, current: Validators): boolean {
  if (conditions.ifNoneMatch !== undefined) {
    if (conditions.ifNoneMatch.trim() === '*') return true;
    const wanted = opaque(current.etag);
    return conditions.ifNoneMatch.split(',').some((tag) => opaque(tag) === wanted);
  }
  if (conditions.ifModifiedSince === undefined || !current.lastModified) return false;
  const since = Date.parse(conditions.ifModifiedSince);
  if (Number.isNaN(since)) return false;
  // HTTP dates have whole seconds: a page changed at 10:00:00.700 was not modified since "10:00:00".
  return Math.floor(current.lastModified.getTime() / 1000) * 1000 <= since;
}
