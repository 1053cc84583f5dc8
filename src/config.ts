// The only reader of process.env. Every value is validated once at start; a bad one stops the program with
// a message naming the variable, what it allows and the value it got (docs/operations.md, Configuration).
import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { z } from 'zod';
import { databaseLabel, namesPostgresDatabase } from './domain/database-location.js';
import type { ReviewMode } from './domain/draft.js';
import { parseAddressList } from './domain/email-address.js';
import { scheduleProblem } from './domain/schedule.js';
import { isValidTimeZone } from './domain/weeks.js';

export interface Config {
  /** DIGEST_DB: a SQLite file's path, or a postgres:// URL. */
  readonly database: string;
  readonly resendApiKey: string | undefined;
  readonly resendBaseUrl: string | undefined;
  readonly resendWebhookSecret: string | undefined;
  readonly from: string;
  readonly publicUrl: string;
  readonly siteUrl: string;
  readonly secret: string;
  readonly postalAddress: string;
  readonly timeZone: string;
  readonly schedule: string;
  readonly sendRate: number;
  readonly catchUpHours: number;
  readonly outboxDir: string;
  readonly unsubscribeMailto: string | undefined;
  readonly port: number;
  readonly requestTimeoutMs: number;
  readonly review: ReviewMode;
  /** Addresses that get a review copy before each edition is due (docs/editorial.md, Copies for editors). */
  readonly reviewers: readonly string[];
  readonly reviewLeadHours: number;
  /** Who may sign in to the editor console; none: the console is off. */
  readonly editors: readonly string[];
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

// A development-only secret: fine for the outbox and tests, refused when real mail goes out through Resend,
// because anyone who knows it could forge unsubscribe and preference links.
const DEVELOPMENT_SECRET = 'development-secret-change-me-0123456789';

const optional = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const httpUrl = z
  .string()
  .trim()
  .pipe(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }))
  .transform((url) => url.replace(/\/+$/, ''));

const mailbox = z
  .string()
  .trim()
  .regex(/^(?:[^<>@\r\n]*<[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+)$/, {
    error: 'must be an address like "Name <news@example.com>" or news@example.com',
  });

/** "a@x.com, b@y.org" -> ["a@x.com", "b@y.org"]; an empty value is no one. */
const addressList = z.string().transform((value, context) => {
  const list = parseAddressList(value);
  if (list.ok) return list.addresses;
  context.addIssue({ code: 'custom', message: `must be comma-separated addresses: ${list.reason}` });
  return z.NEVER;
});

function numberIn(min: number, max: number, integer: boolean) {
  const allowed = `must be a ${integer ? 'whole ' : ''}number from ${min} to ${max}`;
  return z
    .string()
    .trim()
    .regex(integer ? /^\d+$/ : /^\d+(?:\.\d+)?$/, { error: allowed })
    .transform(Number)
    .pipe(z.number().min(min, { error: allowed }).max(max, { error: allowed }));
}

// Never echoed in an error: configuration errors end up in logs, terminals and support tickets.
const SECRETS = new Set(['RESEND_API_KEY', 'RESEND_WEBHOOK_SECRET', 'DIGEST_SECRET']);

/**
 * One problem with one variable: its name, what is wrong and allowed, and the value it had (not for secrets;
 * DIGEST_DB without a URL's password).
 */
function problem(name: string, message: string, value: string | undefined): string {
  const safe = name === 'DIGEST_DB' && value !== undefined ? databaseLabel(value) : value;
  const shown = safe === undefined || SECRETS.has(name) ? '' : ` (got ${JSON.stringify(safe)})`;
  return `${name}: ${message}${shown}`;
}

const schema = z.object({
  // A SQLite file, or a PostgreSQL URL for several machines sharing one database (docs/operations.md).
  DIGEST_DB: z
    .string()
    .trim()
    .min(1)
    .refine((value) => !/^postgres(ql)?:/i.test(value) || namesPostgresDatabase(value), {
      error: 'must be a SQLite file path or a URL such as postgres://user:password@host:5432/database',
    })
    .default('./data/digest.sqlite'),
  RESEND_API_KEY: optional,
  RESEND_BASE_URL: optional.pipe(httpUrl.optional()),
  RESEND_WEBHOOK_SECRET: optional.pipe(
    z
      .string()
      .regex(/^whsec_[A-Za-z0-9+/=]+$/, { error: 'must be the whsec_... signing secret from Resend' })
      .optional(),
  ),
  DIGEST_FROM: mailbox.default('Weekly AI Tool Verdicts <verdicts@example.com>'),
  // Unset or empty: http://localhost:<PORT>, filled in below once PORT is known, so a changed PORT moves the
  // links with it.
  DIGEST_PUBLIC_URL: optional.pipe(httpUrl.optional()),
  DIGEST_SITE_URL: httpUrl.default('https://example.com'),
  DIGEST_SECRET: z
    .string()
    .min(32, { error: 'must be at least 32 characters (use: openssl rand -hex 32)' })
    .default(DEVELOPMENT_SECRET),
  DIGEST_POSTAL_ADDRESS: z
    .string()
    .trim()
    .min(1, { error: 'must not be empty: anti-spam law requires a postal address in every digest' })
    .default('Weekly AI Tool Verdicts, 1 Example Street, 10115 Berlin, Germany'),
  DIGEST_TIMEZONE: z
    .string()
    .trim()
    .refine(isValidTimeZone, { error: 'must be an IANA time zone name such as UTC or Europe/Berlin' })
    .default('UTC'),
  DIGEST_SCHEDULE: z
    .string()
    .trim()
    .superRefine((expression, context) => {
      const problem = scheduleProblem(expression);
      if (problem) context.addIssue({ code: 'custom', message: problem });
    })
    .default('0 9 * * 1'),
  DIGEST_SEND_RATE: numberIn(0.1, 1000, false).default(5),
  DIGEST_CATCH_UP_HOURS: numberIn(0, 24 * 365, false).default(72),
  DIGEST_OUTBOX_DIR: z.string().trim().min(1).default('./outbox'),
  DIGEST_UNSUBSCRIBE_MAILTO: optional.pipe(
    z.email({ error: 'must be an email address such as unsubscribe@example.com' }).optional(),
  ),
  PORT: numberIn(1, 65535, true).default(3000),
  // The Resend SDK sets no timeout of its own; a hung connection must not stall a send.
  DIGEST_REQUEST_TIMEOUT_SECONDS: numberIn(1, 600, false).default(30),
  DIGEST_REVIEW: z
    .string()
    .trim()
    .pipe(z.enum(['auto', 'required'], { error: 'must be auto or required' }))
    .default('auto'),
  DIGEST_REVIEWERS: addressList.default([]),
  // At most a week: a copy due earlier than that would concern a week that has not begun.
  DIGEST_REVIEW_LEAD_HOURS: numberIn(0, 168, false).default(12),
  DIGEST_EDITORS: addressList.default([]),
});

/** Builds the configuration from an environment; throws ConfigError naming every bad variable. */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? 'environment');
        return problem(name, issue.message, present[name]);
      }),
    );
  }
  const values = parsed.data;
  // Real mail raises the bar: forged links must be impossible, and mailbox providers only honour one-click
  // unsubscribe (RFC 8058) over https.
  const production: string[] = [];
  if (values.RESEND_API_KEY && values.DIGEST_SECRET === DEVELOPMENT_SECRET) {
    production.push(
      'DIGEST_SECRET: must be set to your own secret when RESEND_API_KEY is set (use: openssl rand -hex 32)',
    );
  }
  if (values.RESEND_API_KEY && !values.DIGEST_PUBLIC_URL?.startsWith('https://')) {
    production.push(
      problem(
        'DIGEST_PUBLIC_URL',
        'must be an https URL when RESEND_API_KEY is set (unsubscribe links need https)',
        present.DIGEST_PUBLIC_URL,
      ),
    );
  }
  if (production.length > 0) throw new ConfigError(production);
  return Object.freeze({
    database: values.DIGEST_DB,
    resendApiKey: values.RESEND_API_KEY,
    resendBaseUrl: values.RESEND_BASE_URL,
    resendWebhookSecret: values.RESEND_WEBHOOK_SECRET,
    from: values.DIGEST_FROM,
    publicUrl: values.DIGEST_PUBLIC_URL ?? `http://localhost:${values.PORT}`,
    siteUrl: values.DIGEST_SITE_URL,
    secret: values.DIGEST_SECRET,
    postalAddress: values.DIGEST_POSTAL_ADDRESS,
    timeZone: values.DIGEST_TIMEZONE,
    schedule: values.DIGEST_SCHEDULE,
    sendRate: values.DIGEST_SEND_RATE,
    catchUpHours: values.DIGEST_CATCH_UP_HOURS,
    outboxDir: values.DIGEST_OUTBOX_DIR,
    unsubscribeMailto: values.DIGEST_UNSUBSCRIBE_MAILTO,
    port: values.PORT,
    requestTimeoutMs: values.DIGEST_REQUEST_TIMEOUT_SECONDS * 1000,
    review: values.DIGEST_REVIEW,
    reviewers: Object.freeze(values.DIGEST_REVIEWERS),
    reviewLeadHours: values.DIGEST_REVIEW_LEAD_HOURS,
    editors: Object.freeze(values.DIGEST_EDITORS),
  });
}

/**
 * The process environment with `.env` (when present) underneath it: real environment variables win, as
 * with dotenv. Node's own parser (util.parseEnv, Node >= 20.12) reads the file.
 */
export function readEnvironment(envFile = '.env'): Record<string, string | undefined> {
  const fromFile = existsSync(envFile) ? parseEnv(readFileSync(envFile, 'utf8')) : {};
  return { ...fromFile, ...process.env };
}
