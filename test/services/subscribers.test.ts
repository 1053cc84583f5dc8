import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/adapters/database.js';
import { listSubscribers, subscriberCategories } from '../../src/adapters/subscriber-repository.js';
import { fixedClock } from '../../src/domain/clock.js';
import { checkEmailAddress, parseCategoryList } from '../../src/domain/email-address.js';
import { addSubscribers, importSubscriberCsv, removeSubscriber } from '../../src/services/subscribers.js';
import { testDatabase } from '../support/db.js';
import { importSamples } from '../support/sending.js';

const sharedCsv = readFileSync(new URL('../fixtures/subscribers.csv', import.meta.url), 'utf8');
const clock = fixedClock(new Date('2026-11-24T08:00:00Z'));

describe('checkEmailAddress', () => {
  it.each([
    ['  Grace.Hopper@Example.COM ', 'Grace.Hopper@Example.COM', 'grace.hopper@example.com'],
    ["o'brien+news@mail.example.co.uk", "o'brien+news@mail.example.co.uk", "o'brien+news@mail.example.co.uk"],
  ])('accepts %j', (input, email, key) => {
    expect(checkEmailAddress(input)).toEqual({ ok: true, email, key });
  });

  it.each([
    ['', 'empty'],
    ['not-an-email', 'has no @'],
    ['@example.com', 'nothing before'],
    ['a b@example.com', 'characters'],
    ['a..b@example.com', 'characters'],
    ['someone@localhost', 'not a valid domain'],
    ['someone@exa_mple.com', 'not a valid domain'],
    ['someone@example.c0m', 'top-level'],
    ['"quoted"@example.com', 'characters'],
    [`${'x'.repeat(65)}@example.com`, 'longer than 64'],
    ['a@b@example.com', 'characters'],
  ])('rejects %j with a reason', (input, reason) => {
    const checked = checkEmailAddress(input);
    expect(checked.ok).toBe(false);
    expect(!checked.ok && checked.reason).toContain(reason);
  });
});

describe('parseCategoryList', () => {
  it('splits on semicolons, trims and removes repeats', () => {
    expect(parseCategoryList(' Coding Agents ;Local Inference;;coding agents')).toEqual([
      'Coding Agents',
      'Local Inference',
    ]);
    expect(parseCategoryList(undefined)).toEqual([]);
  });
});

describe('subscriber administration', () => {
  let db: Db;
  beforeEach(async () => {
    db = await testDatabase();
    // The comparisons define the categories a subscriber can follow.
    await importSamples(db);
  });
  afterEach(async () => {
    await db.destroy();
  });

  it('adds addresses once, case-insensitively, and reports invalid ones', async () => {
    const outcomes = await addSubscribers({ db, clock }, ['ada@example.com', 'ADA@example.com ', 'nope'], {
      status: 'active',
      categories: ['Coding Agents'],
    });
    expect(outcomes.map((outcome) => outcome.outcome)).toEqual(['added', 'exists', 'invalid']);
    const [row] = await listSubscribers(db);
    expect(row).toMatchObject({ email: 'ada@example.com', status: 'active', source: 'cli' });
    expect(row && subscriberCategories(row)).toEqual(['Coding Agents']);
    expect(row?.token).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('never re-activates an address that unsubscribed', async () => {
    await importSubscriberCsv({ db, clock }, 'email,status\nkatherine@example.net,unsubscribed\n', {
      skipInvalid: false,
    });
    const [outcome] = await addSubscribers({ db, clock }, ['Katherine@example.net'], {
      status: 'active',
      categories: [],
    });
    expect(outcome).toMatchObject({ outcome: 'exists', status: 'unsubscribed' });
    expect((await listSubscribers(db))[0]?.status).toBe('unsubscribed');
  });

  it('reports lines 5 and 7 of the shared CSV and imports nothing', async () => {
    const result = await importSubscriberCsv({ db, clock }, sharedCsv, { skipInvalid: false });
    expect(result).toMatchObject({ ok: true, imported: false, added: 0 });
    expect(result.ok && result.problems).toEqual([
      { line: 5, reason: '"not-an-email" has no @' },
      {
        line: 7,
        reason: 'status "sleeping" is not one of pending, active, unsubscribed, bounced, complained',
      },
    ]);
    expect(await listSubscribers(db)).toEqual([]);
  });

  it('imports the other five with skipInvalid', async () => {
    const result = await importSubscriberCsv({ db, clock }, sharedCsv, { skipInvalid: true });
    expect(result).toMatchObject({ ok: true, imported: true, added: 5, existing: 0 });
    const rows = await listSubscribers(db);
    expect(rows.map((row) => [row.email, row.status, subscriberCategories(row)])).toEqual([
      ['ada@example.com', 'active', []],
      ['Grace.Hopper@Example.COM', 'active', ['Coding Agents']],
      ['katherine@example.net', 'unsubscribed', []],
      ['linus@example.org', 'active', ['Local Inference', 'Coding Agents']],
      ['margaret@example.net', 'pending', []],
    ]);
  });

  it('reads quoted fields, a byte-order mark and CRLF line ends, with line numbers of multi-line records', async () => {
    const csv =
      '\uFEFFEmail,Categories,Name\r\n"a@example.com","Coding Agents;""Quoted"" Tools","Ada, Countess"\r\n\r\n"multi\r\nline",x,y\r\nb@example.com,,\r\n';
    const result = await importSubscriberCsv({ db, clock }, csv, {
      skipInvalid: true,
      allowNewCategories: true,
    });
    expect(result).toMatchObject({ ok: true, added: 2, ignoredColumns: ['name'] });
    expect(result.ok && result.problems.map((problem) => problem.line)).toEqual([4]);
    const [first] = await listSubscribers(db);
    expect(first && subscriberCategories(first)).toEqual(['Coding Agents', '"Quoted" Tools']);
  });

  it('treats a repeated address within the file as a bad row', async () => {
    const result = await importSubscriberCsv({ db, clock }, 'email\na@example.com\nA@EXAMPLE.com\n', {
      skipInvalid: false,
    });
    expect(result.ok && result.problems).toEqual([{ line: 3, reason: '"A@EXAMPLE.com" repeats line 2' }]);
  });

  it('rejects a file without an email column or with a broken quote', async () => {
    expect(
      await importSubscriberCsv({ db, clock }, 'mail,status\na@example.com,active\n', { skipInvalid: true }),
    ).toEqual({
      ok: false,
      error: 'the header row has no "email" column (found: mail, status)',
    });
    const broken = await importSubscriberCsv({ db, clock }, 'email\n"a@example.com\n', { skipInvalid: true });
    expect(broken.ok).toBe(false);
    expect(await importSubscriberCsv({ db, clock }, '', { skipInvalid: true })).toMatchObject({ ok: false });
  });

  it('erases a subscriber and everything that refers to them', async () => {
    await addSubscribers({ db, clock }, ['ada@example.com', 'bob@example.com'], {
      status: 'active',
      categories: [],
    });
    const removed = await removeSubscriber({ db, clock }, ' ADA@example.com');
    expect(removed?.email).toBe('ada@example.com');
    expect((await listSubscribers(db)).map((row) => row.email)).toEqual(['bob@example.com']);
    expect(await removeSubscriber({ db, clock }, 'ada@example.com')).toBeUndefined();
  });
});
