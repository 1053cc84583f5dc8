// Per-client limits (sign-ups, console sign-ins): a fixed window per client address, in this process's
// memory (behind several `digest serve` instances each counts its own; README, Several machines).
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import type { Clock } from '../domain/clock.js';

/** The connection's address; X-Forwarded-For is not trusted (anyone can set it). */
export function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown'; // app.request() in tests has no socket
  }
}

export interface ClientLimiter {
  /** Counts a request; returns the seconds to wait when the client is over its limit. */
  hit(client: string): number | undefined;
}

export function createClientLimiter(clock: Clock, limit: number, windowMs: number): ClientLimiter {
  const windows = new Map<string, { start: number; count: number }>();
  return {
    hit(client) {
      const now = clock.now().getTime();
      // Forget finished windows now and then, so the map cannot grow without bound.
      if (windows.size > 10_000) {
        for (const [key, window] of windows) if (now - window.start >= windowMs) windows.delete(key);
      }
      const window = windows.get(client);
      if (!window || now - window.start >= windowMs) {
        windows.set(client, { start: now, count: 1 });
        return undefined;
      }
      window.count++;
      return window.count > limit ? Math.ceil((window.start + windowMs - now) / 1000) : undefined;
    },
  };
}
