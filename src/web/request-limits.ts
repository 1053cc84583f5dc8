// The public side's limits (docs/operations.md, The web side's limits): sign-ups and votes per client
// address, and the size of a request's body. Each is a middleware createApp applies before any route.
import type { Context, MiddlewareHandler } from 'hono';
import type { Clock } from '../domain/clock.js';
import { sizeLimit } from './body-size.js';
import { clientAddress, createClientLimiter } from './client-limiter.js';
import { errorPage } from './pages.js';
import { isJson } from './public/subscription-form.js';

// A sign-up or preferences form is a few hundred bytes; Resend's webhook events are a few KB. Anything
// larger is refused with 413 from its Content-Length, or as soon as a streamed body passes the limit,
// before it is read whole and before any database work.
export const FORM_BODY_LIMIT = 16 * 1024;
export const WEBHOOK_BODY_LIMIT = 256 * 1024;

const SIGNUPS_PER_CLIENT = 5;
const SIGNUP_WINDOW_MS = 10 * 60_000;

// A reader votes on two tools per comparison and may change their mind; an office behind one address has
// several readers. Past that, someone is trying links rather than pressing buttons.
const VOTES_PER_CLIENT = 60;
const VOTE_WINDOW_MS = 10 * 60_000;

/**
 * Sign-ups (POST /subscribe and /resubscribe/:token) are counted before anything reads the body, the size
 * check included: a flood costs this server as little as possible, and a client that never finishes its
 * body still gets its 429.
 */
export function signupLimit(clock: Clock): MiddlewareHandler {
  const signups = createClientLimiter(clock, SIGNUPS_PER_CLIENT, SIGNUP_WINDOW_MS);
  return async (c, next) => {
    const wait = signups.hit(clientAddress(c));
    if (wait === undefined) return next();
    c.header('Retry-After', String(wait));
    return isJson(c)
      ? c.json({ status: 'rate_limited', retryAfterSeconds: wait }, 429)
      : c.html(
          errorPage(
            'Too many requests',
            `Too many sign-ups from your network. Try again in ${Math.ceil(wait / 60)} minutes.`,
          ),
          429,
        );
  };
}

/** Votes (POST /vote/*) are counted the same way, before the body check: a flood of guessed links costs one hit each. */
export function voteLimit(clock: Clock): MiddlewareHandler {
  const voters = createClientLimiter(clock, VOTES_PER_CLIENT, VOTE_WINDOW_MS);
  return async (c, next) => {
    const wait = voters.hit(clientAddress(c));
    if (wait === undefined) return next();
    c.header('Retry-After', String(wait));
    c.header('Cache-Control', 'no-store');
    const minutes = Math.ceil(wait / 60);
    return c.html(
      errorPage('Too many requests', `Too many votes from your network. Try again in ${minutes} minutes.`),
      429,
    );
  };
}

/** The body limit of every request: the webhook's for /webhooks/*, the form limit for everything else. */
export function bodyLimits(): MiddlewareHandler {
  const tooLarge = (c: Context) =>
    c.html(errorPage('Request too large', 'That request is larger than this page accepts.'), 413);
  const formLimit = sizeLimit({ maxSize: FORM_BODY_LIMIT, onError: tooLarge });
  const webhookLimit = sizeLimit({ maxSize: WEBHOOK_BODY_LIMIT, onError: tooLarge });
  return (c, next) => (c.req.path.startsWith('/webhooks/') ? webhookLimit : formLimit)(c, next);
}
