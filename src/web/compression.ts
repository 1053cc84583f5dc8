// Pages, the feed and robots.txt go out compressed, Brotli or gzip as the client's Accept-Encoding asks.
// hono/compress is not used: it has only gzip and deflate (Node 20's CompressionStream has no Brotli), and
// it compresses every answer again, where a sent edition's page or the feed, the same bytes under the same
// strong ETag for every reader, is compressed once here and the result kept.
import { Duplex } from 'node:stream';
import { promisify } from 'node:util';
import { brotliCompress, constants, createBrotliCompress, createGzip, gzip } from 'node:zlib';
import type { MiddlewareHandler } from 'hono';
import { type ContentCoding, chooseContentCoding } from '../domain/content-coding.js';

// Markup and text. JSON answers here are a few bytes (/healthz, the sign-up API): not worth a compressor.
const COMPRESSIBLE = /^\s*(?:text\/[^;\s]+|application\/(?:[a-z.+-]+\+)?xml)\s*(?:;|$)/i;

// Brotli's quality 5 compresses HTML about as well as gzip -9 in a fraction of the default quality 11's
// time: the first reader of an uncached page does not wait for it.
const BROTLI = { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_MODE]: 1 } };

const compressBrotli = promisify(brotliCompress);
const compressGzip = promisify(gzip);

/** What the compressed copies kept in memory may add up to: a few dozen editions' pages. */
export const COMPRESSED_CACHE_BYTES = 8 * 1024 * 1024;

const compressWhole = async (coding: ContentCoding, body: Uint8Array): Promise<Uint8Array> =>
  new Uint8Array(coding === 'br' ? await compressBrotli(body, BROTLI) : await compressGzip(body));

function compressStream(coding: ContentCoding, body: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const compressor = coding === 'br' ? createBrotliCompress(BROTLI) : createGzip();
  return body.pipeThrough(
    Duplex.toWeb(compressor) as unknown as ReadableWritablePair<Uint8Array, Uint8Array>,
  );
}

/** Least recently used first; a hit moves to the end. */
class CompressedCopies {
  private readonly copies = new Map<string, Uint8Array>();
  private bytes = 0;

  constructor(private readonly limit: number) {}

  get(key: string): Uint8Array | undefined {
    const copy = this.copies.get(key);
    if (copy) {
      this.copies.delete(key);
      this.copies.set(key, copy);
    }
    return copy;
  }

  set(key: string, copy: Uint8Array): void {
    if (copy.byteLength > this.limit) return;
    this.copies.set(key, copy);
    this.bytes += copy.byteLength;
    for (const [oldest, old] of this.copies) {
      if (this.bytes <= this.limit) break;
      this.copies.delete(oldest);
      this.bytes -= old.byteLength;
    }
  }
}

const weakened = (etag: string) => (etag.startsWith('W/') ? etag : `W/${etag}`);

export function compression(options: { cacheBytes?: number } = {}): MiddlewareHandler {
  const cache = new CompressedCopies(options.cacheBytes ?? COMPRESSED_CACHE_BYTES);
  return async function compress(c, next) {
    await next();
    const res = c.res;
    if (c.req.method === 'HEAD' || res.headers.has('Content-Encoding')) return;
    if (/(?:^|,)\s*no-transform\s*(?:,|$)/i.test(res.headers.get('Cache-Control') ?? '')) return;
    const coding = chooseContentCoding(c.req.header('Accept-Encoding'));
    const etag = res.headers.get('ETag');
    if (res.status === 304) {
      // The 304 repeats the tag the client holds: the weakened one when its copy came compressed.
      if (coding && etag) {
        res.headers.set('ETag', weakened(etag));
        res.headers.append('Vary', 'Accept-Encoding');
      }
      return;
    }
    if (!res.body || res.status === 204 || res.status === 206) return;
    if (!COMPRESSIBLE.test(res.headers.get('Content-Type') ?? '')) return;
    res.headers.append('Vary', 'Accept-Encoding');
    if (!coding) return;
    let body: Uint8Array | ReadableStream<Uint8Array>;
    let tag = etag;
    if (etag && !etag.startsWith('W/')) {
      // A strong tag names these exact bytes, so their compressed copy can be kept under it.
      const key = `${coding} ${etag}`;
      let copy = cache.get(key);
      if (copy) await res.body.cancel();
      else {
        copy = await compressWhole(coding, new Uint8Array(await res.arrayBuffer()));
        cache.set(key, copy);
      }
      body = copy;
      // The compressed bytes are another representation of the same page: a weak tag says so (RFC 9110
      // section 8.8.1), and If-None-Match compares weakly, so the client's next request still gets a 304.
      tag = weakened(etag);
    } else body = compressStream(coding, res.body);
    // Hono copies the old answer's headers onto the new one, so the changed ones are set after it.
    c.res = new Response(body as BodyInit, res);
    c.res.headers.set('Content-Encoding', coding);
    c.res.headers.delete('Content-Length');
    if (tag) c.res.headers.set('ETag', tag);
  };
}
