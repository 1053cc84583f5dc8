import { describe, expect, it } from 'vitest';
import {
  editorOf,
  movedOrder,
  returnPath,
  SESSION_IDLE_HOURS,
  sessionOpen,
  signInLinkExpiry,
  signInLinkState,
} from '../../src/domain/console.js';
import { parseAddressList } from '../../src/domain/email-address.js';
import { recentWeeks, weeklyGrowth } from '../../src/domain/subscriber-growth.js';

describe('editorOf', () => {
  const editors = ['Ed@Example.com', 'chief@example.org'];
  it.each([
    ['ed@example.com', 'Ed@Example.com'],
    ['  ED@EXAMPLE.COM ', 'Ed@Example.com'],
    ['chief@example.org', 'chief@example.org'],
    ['ed@example.co', undefined],
    ['not an address', undefined],
    ['', undefined],
  ])('%j is %j', (address, editor) => {
    expect(editorOf(editors, address)).toBe(editor);
  });

  it('knows nobody when no editor is configured', () => {
    expect(editorOf([], 'ed@example.com')).toBeUndefined();
  });
});

describe('signInLinkState', () => {
  const created = new Date('2026-11-25T10:00:00Z');
  const expiresAt = signInLinkExpiry(created).toISOString();
  it.each([
    ['works within 15 minutes', { expiresAt, usedAt: null }, '2026-11-25T10:14:59Z', 'valid'],
    ['expires at 15 minutes', { expiresAt, usedAt: null }, '2026-11-25T10:15:00Z', 'expired'],
    ['works once', { expiresAt, usedAt: '2026-11-25T10:01:00Z' }, '2026-11-25T10:02:00Z', 'used'],
    ['used and late is used', { expiresAt, usedAt: '2026-11-25T10:01:00Z' }, '2026-11-26T10:00:00Z', 'used'],
    ['unknown', undefined, '2026-11-25T10:01:00Z', 'unknown'],
  ] as const)('%s', (_name, link, now, state) => {
    expect(signInLinkState(link, new Date(now))).toBe(state);
  });
});

describe('sessionOpen', () => {
  const seen = '2026-11-25T10:00:00.000Z';
  const after = (ms: number) => new Date(new Date(seen).getTime() + ms);
  it.each([
    ['just used', 0, true],
    ['a minute short of the idle limit', SESSION_IDLE_HOURS * 3_600_000 - 60_000, true],
    ['at the idle limit', SESSION_IDLE_HOURS * 3_600_000, false],
    ['a day later', 24 * 3_600_000, false],
  ])('%s', (_name, ms, open) => {
    expect(sessionOpen(seen, after(ms))).toBe(open);
  });
});

describe('returnPath', () => {
  it.each([
    [undefined, '/admin'],
    ['', '/admin'],
    ['/admin', '/admin'],
    ['/admin/', '/admin'],
    ['/admin/subscribers?q=ada%40example', '/admin/subscribers?q=ada%40example'],
    ['/admin/editions', '/admin/editions'],
    ['/admin?week=2026-W48&category=Coding+Agents', '/admin?week=2026-W48&category=Coding+Agents'],
    ['https://evil.example/admin', '/admin'],
    ['//evil.example/admin', '/admin'],
    ['/admin/../editions', '/admin'],
    ['/admin/login', '/admin'],
    ['/admin/sign-out', '/admin'],
    ['/admin/preview?week=2026-W47', '/admin'],
    ['/admin\\evil', '/admin'],
    ['/admin?next=<script>', '/admin'],
    ['/editions/2026-W47', '/admin'],
  ])('%j returns to %j', (requested, path) => {
    expect(returnPath(requested)).toBe(path);
  });
});

describe('movedOrder', () => {
  const slugs = ['a', 'b', 'c'];
  it.each([
    ['b', 'up', ['b', 'a', 'c']],
    ['b', 'down', ['a', 'c', 'b']],
    ['a', 'down', ['b', 'a', 'c']],
    ['c', 'up', ['a', 'c', 'b']],
    ['a', 'up', undefined],
    ['c', 'down', undefined],
    ['z', 'up', undefined],
  ] as const)('%s %s', (slug, direction, order) => {
    expect(movedOrder(slugs, slug, direction)).toEqual(order);
  });

  it('leaves its input as it was', () => {
    movedOrder(slugs, 'b', 'up');
    expect(slugs).toEqual(['a', 'b', 'c']);
  });
});

describe('parseAddressList', () => {
  it.each([
    ['ed@example.com', { ok: true, addresses: ['ed@example.com'] }],
    [
      ' Ed@Example.com, rev@example.org ,, ed@example.com',
      { ok: true, addresses: ['Ed@Example.com', 'rev@example.org'] },
    ],
    ['', { ok: true, addresses: [] }],
    ['ed@example.com, nobody', { ok: false, reason: '"nobody" has no @' }],
    [
      'ed@example.com; rev@example.org',
      {
        ok: false,
        reason: expect.stringContaining('the part before @ has characters an address cannot have'),
      },
    ],
  ])('%j', (input, list) => {
    expect(parseAddressList(input)).toEqual(list);
  });
});

describe('weeklyGrowth', () => {
  const now = new Date('2026-11-25T10:00:00Z'); // Wednesday of 2026-W48
  const weeks = recentWeeks(now, 'UTC', 3);

  it('covers the weeks up to the current one, newest first', () => {
    expect(weeks).toEqual(['2026-W48', '2026-W47', '2026-W46']);
    expect(recentWeeks(new Date('2027-01-02T12:00:00Z'), 'UTC', 2)).toEqual(['2026-W53', '2026-W52']);
  });

  it.each([
    [
      'a reader confirmed this week',
      { status: 'active', confirmedAt: '2026-11-24T08:00:00Z', statusChangedAt: '2026-11-24T08:00:00Z' },
      { '2026-W48': [1, 0, 0] },
    ],
    [
      'confirmed one week, unsubscribed the next',
      {
        status: 'unsubscribed',
        confirmedAt: '2026-11-12T08:00:00Z',
        statusChangedAt: '2026-11-18T08:00:00Z',
      },
      { '2026-W46': [1, 0, 0], '2026-W47': [0, 1, 0] },
    ],
    [
      'bounced: suppressed',
      { status: 'bounced', confirmedAt: '2026-10-01T08:00:00Z', statusChangedAt: '2026-11-23T00:00:00Z' },
      { '2026-W48': [0, 0, 1] },
    ],
    [
      'complained: suppressed',
      { status: 'complained', confirmedAt: null, statusChangedAt: '2026-11-16T00:00:00Z' },
      { '2026-W47': [0, 0, 1] },
    ],
    [
      'pending: nothing yet',
      { status: 'pending', confirmedAt: null, statusChangedAt: '2026-11-24T08:00:00Z' },
      {},
    ],
    [
      'before the weeks shown: nothing',
      {
        status: 'unsubscribed',
        confirmedAt: '2026-09-01T08:00:00Z',
        statusChangedAt: '2026-11-01T08:00:00Z',
      },
      {},
    ],
  ] as const)('%s', (_name, record, expected) => {
    const counted = Object.fromEntries(
      weeklyGrowth([record], weeks, 'UTC')
        .filter((week) => week.confirmed + week.unsubscribed + week.suppressed > 0)
        .map((week) => [week.week, [week.confirmed, week.unsubscribed, week.suppressed]]),
    );
    expect(counted).toEqual(expected);
  });

  it('reads weeks in the newsletter time zone', () => {
    // Sunday 23:30 in UTC is already Monday in Berlin: the next week there.
    const record = {
      status: 'active',
      confirmedAt: '2026-11-22T23:30:00Z',
      statusChangedAt: '2026-11-22T23:30:00Z',
    } as const;
    expect(weeklyGrowth([record], weeks, 'UTC').find((week) => week.confirmed)?.week).toBe('2026-W47');
    expect(weeklyGrowth([record], weeks, 'Europe/Berlin').find((week) => week.confirmed)?.week).toBe(
      '2026-W48',
    );
  });
});
