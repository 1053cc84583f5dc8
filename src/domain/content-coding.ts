// Which compression a response uses, from the request's Accept-Encoding (RFC 9110 section 12.5.3).

export type ContentCoding = 'br' | 'gzip';

/** In order of preference when the client weighs them equally: Brotli is the smaller for text. */
const OFFERED: readonly ContentCoding[] = ['br', 'gzip'];

/**
 * The coding to answer with, or undefined for none (no header, only `identity`, or every coding we have
 * refused with `q=0`). `*` stands for any coding the header does not name; `x-gzip` is gzip's old name.
 */
export function chooseContentCoding(acceptEncoding: string | undefined): ContentCoding | undefined {
  if (!acceptEncoding) return undefined;
  const weights = new Map<string, number>();
  for (const entry of acceptEncoding.split(',')) {
    const [name = '', ...params] = entry.split(';').map((part) => part.trim().toLowerCase());
    if (!name) continue;
    const q = params.find((param) => param.startsWith('q='));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    weights.set(name === 'x-gzip' ? 'gzip' : name, Number.isFinite(weight) ? weight : 0);
  }
  let best: { coding: ContentCoding; weight: number } | undefined;
  for (const coding of OFFERED) {
    const weight = weights.get(coding) ?? weights.get('*') ?? 0;
    if (weight > 0 && (!best || weight > best.weight)) best = { coding, weight };
  }
  return best?.coding;
}
