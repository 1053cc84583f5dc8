// Request body limits. Hono's bodyLimit first asks the request for its body stream, and @hono/node-server
// answers that by building a full web Request around the socket (a ReadableStream, an AbortController,
// undici's header checks) for every request, even one whose Content-Length alone decides it. For a small
// POST such as a provider's webhook that was most of the cost of the HTTP layer. Here a body with a declared
// length is decided from the header, exactly as bodyLimit decides it; a streamed (chunked) body, and a GET or
// HEAD, which has none, still go through bodyLimit, which counts the bytes as they arrive.
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';

export interface SizeLimit {
  readonly maxSize: number;
  readonly onError: (c: Context) => Response | Promise<Response>;
}

export function sizeLimit(options: SizeLimit): MiddlewareHandler {
  const counted = bodyLimit(options);
  return async (c, next) => {
    const length = c.req.header('content-length');
    const method = c.req.method;
    if (
      length === undefined ||
      c.req.header('transfer-encoding') !== undefined ||
      method === 'GET' ||
      method === 'HEAD'
    )
      return counted(c, next);
    if (Number.parseInt(length, 10) > options.maxSize) return options.onError(c);
    await next();
  };
}
