import { describe, expect, it } from 'vitest';
import {
  bounceKind,
  type EditionOutcome,
  SOFT_BOUNCES_IN_A_ROW,
  type SuppressionSignal,
  suppressionFor,
} from '../../src/domain/bounce-policy.js';

const soft = (weekKey: string): EditionOutcome => ({ weekKey, softBounced: true });
const fine = (weekKey: string): EditionOutcome => ({ weekKey, softBounced: false });
const transient: SuppressionSignal = { type: 'bounced', kind: 'transient', subType: 'MailboxFull' };

describe('bounceKind', () => {
  it.each([
    ['Permanent', 'permanent'],
    ['Transient', 'transient'],
    ['Undetermined', 'undetermined'],
    ['transient', 'transient'],
    [undefined, 'undetermined'],
    ['Something new', 'undetermined'],
  ])('%j -> %s', (type, kind) => {
    expect(bounceKind(type)).toBe(kind);
  });
});

describe('suppressionFor', () => {
  it('needs three soft bounces in a row', () => {
    expect(SOFT_BOUNCES_IN_A_ROW).toBe(3);
  });

  it.each<[string, Parameters<typeof suppressionFor>, ReturnType<typeof suppressionFor>]>([
    [
      'a permanent bounce suppresses at once, keeping the cause',
      [
        'active',
        { type: 'bounced', kind: 'permanent', subType: 'General', message: 'mailbox does not exist' },
        '2026-W47',
        [soft('2026-W47')],
      ],
      { status: 'bounced', cause: 'permanent bounce on 2026-W47 (General: mailbox does not exist)' },
    ],
    [
      'a complaint suppresses at once',
      ['active', { type: 'complained' }, '2026-W47', []],
      { status: 'complained', cause: 'spam complaint on 2026-W47' },
    ],
    [
      'Resend suppressing a previous bounce',
      ['active', { type: 'suppressed', reason: 'previous_bounce' }, '2026-W47', []],
      { status: 'bounced', cause: 'suppressed by Resend on 2026-W47 (previous_bounce)' },
    ],
    [
      'Resend suppressing a previous complaint',
      ['active', { type: 'suppressed', reason: 'previous_complaint' }, '2026-W47', []],
      { status: 'complained', cause: 'suppressed by Resend on 2026-W47 (previous_complaint)' },
    ],
    [
      'a permanent bounce of the confirmation email',
      ['pending', { type: 'bounced', kind: 'permanent' }, undefined, []],
      { status: 'bounced', cause: 'permanent bounce on an email outside the digest' },
    ],
    ['one transient bounce does not', ['active', transient, '2026-W47', [soft('2026-W47')]], undefined],
    [
      'two in a row do not',
      ['active', transient, '2026-W47', [soft('2026-W47'), soft('2026-W46')]],
      undefined,
    ],
    [
      'three in a row on consecutive editions do',
      ['active', transient, '2026-W47', [soft('2026-W47'), soft('2026-W46'), soft('2026-W45')]],
      {
        status: 'bounced',
        cause: '3 soft bounces in a row (2026-W45, 2026-W46, 2026-W47), the last transient (MailboxFull)',
      },
    ],
    [
      'undetermined bounces count as soft ones',
      [
        'active',
        { type: 'bounced', kind: 'undetermined' },
        '2026-W47',
        [soft('2026-W47'), soft('2026-W46'), soft('2026-W45')],
      ],
      {
        status: 'bounced',
        cause: '3 soft bounces in a row (2026-W45, 2026-W46, 2026-W47), the last undetermined',
      },
    ],
    [
      'a delivered edition in between breaks the streak',
      ['active', transient, '2026-W47', [soft('2026-W47'), fine('2026-W46'), soft('2026-W45')]],
      undefined,
    ],
    [
      'a late soft bounce of an older edition, after a newer one was delivered, does not',
      ['active', transient, '2026-W45', [fine('2026-W47'), soft('2026-W46'), soft('2026-W45')]],
      undefined,
    ],
    [
      'soft bounces on mail outside the digest never do',
      ['active', transient, undefined, [soft('2026-W47'), soft('2026-W46'), soft('2026-W45')]],
      undefined,
    ],
    [
      'an already suppressed reader keeps the first cause',
      ['complained', { type: 'bounced', kind: 'permanent' }, '2026-W47', []],
      undefined,
    ],
    [
      'an unsubscribed reader who complains is marked complained',
      ['unsubscribed', { type: 'complained' }, '2026-W47', []],
      { status: 'complained', cause: 'spam complaint on 2026-W47' },
    ],
  ])('%s', (_name, args, expected) => {
    expect(suppressionFor(...args)).toEqual(expected);
  });
});
