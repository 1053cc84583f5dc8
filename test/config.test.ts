import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, readEnvironment } from '../src/config.js';
import { scratchDir } from './support/cli.js';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('has a safe default for every variable', () => {
    expect(loadConfig({})).toEqual({
      database: './data/digest.sqlite',
      resendApiKey: undefined,
      resendBaseUrl: undefined,
      resendWebhookSecret: undefined,
      from: 'Weekly AI Tool Verdicts <verdicts@example.com>',
      publicUrl: 'http://localhost:3000',
      siteUrl: 'https://example.com',
      secret: expect.any(String),
      postalAddress: expect.stringContaining('Example Street'),
      timeZone: 'UTC',
      schedule: '0 9 * * 1',
      sendRate: 5,
      catchUpHours: 72,
      outboxDir: './outbox',
      unsubscribeMailto: undefined,
      port: 3000,
      requestTimeoutMs: 30_000,
      review: 'auto',
      reviewers: [],
      reviewLeadHours: 12,
      editors: [],
    });
  });

  it('reads the console editors: trimmed, each once whatever its letter case', () => {
    expect(
      loadConfig({ DIGEST_EDITORS: ' Ada@Example.com,, ada@example.com, ed@example.org' }).editors,
    ).toEqual(['Ada@Example.com', 'ed@example.org']);
  });

  it('reads the review settings: mode, reviewers (trimmed, each once) and lead time', () => {
    expect(
      loadConfig({
        DIGEST_REVIEW: 'required',
        DIGEST_REVIEWERS: ' Ada@Example.com, grace@example.org,,ada@example.com ',
        DIGEST_REVIEW_LEAD_HOURS: '2.5',
      }),
    ).toMatchObject({
      review: 'required',
      reviewers: ['Ada@Example.com', 'grace@example.org'],
      reviewLeadHours: 2.5,
    });
  });

  it('reads and normalises every variable', () => {
    const config = loadConfig({
      DIGEST_DB: '/var/lib/digest.sqlite',
      RESEND_API_KEY: 're_123',
      RESEND_BASE_URL: 'http://127.0.0.1:4010/',
      RESEND_WEBHOOK_SECRET: 'whsec_c2VjcmV0',
      DIGEST_FROM: 'Verdicts <news@verdicts.example>',
      DIGEST_PUBLIC_URL: 'https://news.verdicts.example/',
      DIGEST_SITE_URL: 'https://verdicts.example',
      DIGEST_SECRET: 'x'.repeat(40),
      DIGEST_POSTAL_ADDRESS: '1 Main St, Springfield',
      DIGEST_TIMEZONE: 'Europe/Berlin',
      DIGEST_SCHEDULE: '30 8 * * 1',
      DIGEST_SEND_RATE: '5',
      DIGEST_CATCH_UP_HOURS: '24',
      DIGEST_OUTBOX_DIR: '/tmp/outbox',
      DIGEST_UNSUBSCRIBE_MAILTO: 'unsubscribe@verdicts.example',
      PORT: '8080',
    });
    expect(config).toMatchObject({
      resendBaseUrl: 'http://127.0.0.1:4010',
      publicUrl: 'https://news.verdicts.example',
      timeZone: 'Europe/Berlin',
      sendRate: 5,
      catchUpHours: 24,
      port: 8080,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it.each([
    ['DIGEST_TIMEZONE', 'Mars/Olympus_Mons', 'IANA time zone'],
    ['DIGEST_TIMEZONE', 'CEST+2', 'IANA time zone'],
    ['DIGEST_SEND_RATE', 'fast', 'must be a number'],
    ['DIGEST_SEND_RATE', '0', 'number from 0.1 to 1000'],
    ['DIGEST_SEND_RATE', '-3', 'must be a number'],
    ['DIGEST_CATCH_UP_HOURS', '3 days', 'must be a number'],
    ['PORT', '70000', 'whole number from 1 to 65535'],
    ['PORT', '80.5', 'whole number'],
    ['DIGEST_SCHEDULE', 'every monday', 'cron expression'],
    ['DIGEST_SCHEDULE', '0 0 9 * * 1', '5-field'],
    ['DIGEST_PUBLIC_URL', 'localhost:3000', 'http(s) URL'],
    ['DIGEST_SITE_URL', 'ftp://example.com', 'http(s) URL'],
    ['RESEND_BASE_URL', 'not a url', 'http(s) URL'],
    ['DIGEST_FROM', 'news at example', 'address like'],
    ['DIGEST_SECRET', 'short', 'at least 32'],
    ['DIGEST_UNSUBSCRIBE_MAILTO', 'nobody', 'email address'],
    ['RESEND_WEBHOOK_SECRET', 'secret', 'whsec_'],
    ['DIGEST_POSTAL_ADDRESS', '   ', 'postal address'],
    ['DIGEST_REVIEW', 'sometimes', 'auto or required'],
    ['DIGEST_REVIEWERS', 'ada@example.com; grace@example.com', 'comma-separated addresses'],
    ['DIGEST_REVIEWERS', 'ada@example.com, nobody', 'comma-separated addresses: "nobody" has no @'],
    ['DIGEST_EDITORS', 'ada@example.com editor@example.com', 'comma-separated addresses'],
    ['DIGEST_REVIEW_LEAD_HOURS', '200', 'number from 0 to 168'],
    ['DIGEST_REVIEW_LEAD_HOURS', 'soon', 'must be a number'],
  ])('stops on %s=%j, naming it', (name, value, message) => {
    const problems = problemsOf({ [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${name}: .*${message.replace(/[()]/g, '\\$&')}`));
  });

  it('shows the bad value and what is allowed, except for secrets', () => {
    expect(problemsOf({ DIGEST_SEND_RATE: 'fast' })).toEqual([
      'DIGEST_SEND_RATE: must be a number from 0.1 to 1000 (got "fast")',
    ]);
    expect(problemsOf({ PORT: '70000' })).toEqual([
      'PORT: must be a whole number from 1 to 65535 (got "70000")',
    ]);
    for (const [name, value] of [
      ['DIGEST_SECRET', 'short-but-secret'],
      ['RESEND_WEBHOOK_SECRET', 'not-a-whsec-but-secret'],
    ] as const) {
      const [problem] = problemsOf({ [name]: value });
      expect(problem).toMatch(new RegExp(`^${name}: `));
      expect(problem).not.toContain(value);
    }
    // A PostgreSQL URL is shown without its password.
    expect(problemsOf({ DIGEST_DB: 'postgres://digest:s3cret@db.internal' })).toEqual([
      'DIGEST_DB: must be a SQLite file path or a URL such as postgres://user:password@host:5432/database (got "postgres://digest:***@db.internal")',
    ]);
  });

  it('says which field of DIGEST_SCHEDULE is out of range', () => {
    expect(problemsOf({ DIGEST_SCHEDULE: '0 25 * * 1' })).toEqual([
      'DIGEST_SCHEDULE: the hour field is "25", but it takes 0-23 (with ranges, lists and */steps) (got "0 25 * * 1")',
    ]);
  });

  it('names every bad variable at once', () => {
    expect(
      problemsOf({ DIGEST_TIMEZONE: 'Nowhere', DIGEST_SEND_RATE: 'x' }).map(
        (problem) => problem.split(':')[0],
      ),
    ).toEqual(['DIGEST_TIMEZONE', 'DIGEST_SEND_RATE']);
  });

  it('refuses the development secret and plain-http links when mail really goes out', () => {
    expect(problemsOf({ RESEND_API_KEY: 're_live' })).toEqual([
      expect.stringMatching(/^DIGEST_SECRET: must be set/),
      expect.stringMatching(/^DIGEST_PUBLIC_URL: must be an https URL/),
    ]);
  });

  it('derives the default public URL from PORT', () => {
    expect(loadConfig({ PORT: '8080' }).publicUrl).toBe('http://localhost:8080');
  });
});

describe('readEnvironment', () => {
  it('reads .env underneath the real environment', () => {
    const file = join(scratchDir(), '.env');
    writeFileSync(file, '# comment\nDIGEST_TEST_ONLY_A="from file"\nDIGEST_TEST_ONLY_B=file\n');
    process.env.DIGEST_TEST_ONLY_B = 'from process';
    try {
      const env = readEnvironment(file);
      expect(env.DIGEST_TEST_ONLY_A).toBe('from file');
      expect(env.DIGEST_TEST_ONLY_B).toBe('from process');
    } finally {
      delete process.env.DIGEST_TEST_ONLY_B;
    }
  });

  it('works without a .env file', () => {
    expect(readEnvironment(join(scratchDir(), 'absent.env')).PATH).toBe(process.env.PATH);
  });
});

describe('.env.example', () => {
  it('lists every variable with a value that loads', () => {
    const example = parseEnv(readFileSync(new URL('../.env.example', import.meta.url), 'utf8'));
    const source = readFileSync(new URL('../src/config.ts', import.meta.url), 'utf8');
    const read = [...source.matchAll(/^ {2}([A-Z_]+): /gm)].map((match) => match[1]);
    expect(Object.keys(example).sort()).toEqual([...read].sort());
    expect(() => loadConfig(example)).not.toThrow();
  });

  it('leaves the public URL to follow PORT, so a changed port keeps every link working', () => {
    const example = parseEnv(readFileSync(new URL('../.env.example', import.meta.url), 'utf8'));
    expect(loadConfig({ ...example, PORT: '4123' }).publicUrl).toBe('http://localhost:4123');
  });
});
