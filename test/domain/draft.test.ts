import { describe, expect, it } from 'vitest';
import {
  type ApprovalState,
  approvalState,
  approverProblem,
  arrangeItems,
  type DraftContent,
  draftFingerprint,
  frozenReason,
  type ReviewCopyKind,
  reviewAllows,
  reviewBanner,
  reviewCopyDue,
  subjectProblem,
  upcomingWeek,
} from '../../src/domain/draft.js';

const items = ['e', 'd', 'c', 'b', 'a'].map((slug) => ({ slug })); // newest first
const slugs = (list: readonly { slug: string }[]) => list.map((item) => item.slug);

describe('arrangeItems', () => {
  it.each([
    ['no shaping keeps newest first', [], [], ['e', 'd', 'c', 'b', 'a'], []],
    ['ordered slugs lead, the rest follow newest first', ['b', 'd'], [], ['b', 'd', 'e', 'c', 'a'], []],
    ['a held item is left out', [], ['c'], ['e', 'd', 'b', 'a'], ['c']],
    ['held wins over ordered', ['c', 'a'], ['c'], ['a', 'e', 'd', 'b'], ['c']],
    ['slugs no longer in the week are ignored', ['gone', 'a'], ['vanished'], ['a', 'e', 'd', 'c', 'b'], []],
    ['everything held', [], ['a', 'b', 'c', 'd', 'e'], [], ['e', 'd', 'c', 'b', 'a']],
  ])('%s', (_name, order, held, included, heldOut) => {
    const arranged = arrangeItems(items, { order, held });
    expect(slugs(arranged.included)).toEqual(included);
    expect(slugs(arranged.held)).toEqual(heldOut);
  });
});

describe('draftFingerprint', () => {
  const base: DraftContent = {
    subject: 'Subject',
    note: null,
    items: [{ slug: 'a', title: 'A' } as { slug: string }, { slug: 'b' }],
    held: [],
  };
  const print = draftFingerprint(base);

  it('is stable for the same content', () => {
    expect(draftFingerprint({ ...base, items: [...base.items] })).toBe(print);
  });

  it.each<[string, Partial<DraftContent>]>([
    ['the subject changes', { subject: 'Other' }],
    ['a note is added', { note: 'Hello' }],
    ['the order changes', { items: [{ slug: 'b' }, base.items[0] as { slug: string }] }],
    ['an item is held back', { items: [{ slug: 'b' }], held: ['a'] }],
    ['an item joins', { items: [...base.items, { slug: 'c' }] }],
    ['an item is edited', { items: [{ slug: 'a', title: 'A, edited' } as { slug: string }, { slug: 'b' }] }],
  ])('changes when %s', (_name, change) => {
    expect(draftFingerprint({ ...base, ...change })).not.toBe(print);
  });
});

describe('approvalState', () => {
  it.each<[string, Parameters<typeof approvalState>[0], ApprovalState['state']]>([
    ['no draft', undefined, 'unapproved'],
    ['a draft never approved', { by: null, at: null, fingerprint: null }, 'unapproved'],
    ['approved as it stands', { by: 'ada', at: '2026-11-23T08:00:00Z', fingerprint: 'f1' }, 'approved'],
    ['approved before it changed', { by: 'ada', at: '2026-11-23T08:00:00Z', fingerprint: 'f0' }, 'changed'],
  ])('%s', (_name, stored, state) => {
    expect(approvalState(stored, 'f1').state).toBe(state);
  });
});

describe('reviewAllows', () => {
  const approved: ApprovalState = { state: 'approved', by: 'ada', at: 'now' };
  const changed: ApprovalState = { state: 'changed', by: 'ada', at: 'now' };
  const none: ApprovalState = { state: 'unapproved' };
  it.each([
    ['auto', none, 3, true],
    ['required', approved, 3, true],
    ['required', none, 3, false],
    ['required', changed, 3, false],
    // Nothing to send: the week is recorded as skipped, nobody can approve it, so review does not block it.
    ['required', none, 0, true],
  ] as const)('%s, %o, %i items: %s', (mode, approval, count, allowed) => {
    expect(reviewAllows(mode, approval, count)).toBe(allowed);
  });
});

describe('upcomingWeek', () => {
  it.each([
    ['2026-11-25T10:00:00Z', false, '2026-W47'],
    ['2026-11-25T10:00:00Z', true, '2026-W48'],
    ['2027-01-04T00:30:00Z', false, '2026-W53'],
    ['2027-01-04T00:30:00Z', true, '2027-W01'],
  ])('at %s, last completed week frozen %s: %s', (now, frozen, week) => {
    expect(upcomingWeek(new Date(now), 'UTC', frozen)).toBe(week);
  });
});

describe('frozenReason', () => {
  it('lets a week without an edition be shaped, and names the state of one that has started', () => {
    expect(frozenReason('2026-W47', undefined)).toBeUndefined();
    expect(frozenReason('2026-W47', 'sending')).toBe(
      '2026-W47 is sending: a week that has started sending can no longer be changed.',
    );
    expect(frozenReason('2026-W47', 'sent')).toBe(
      '2026-W47 is already sent: a week that has started sending can no longer be changed.',
    );
    expect(frozenReason('2026-W47', 'skipped')).toBe(
      '2026-W47 was recorded as skipped: its edition can no longer be changed.',
    );
  });
});

describe('reviewCopyDue', () => {
  const due = new Date('2026-11-23T09:00:00Z');
  const at = (hoursFromDue: number) => new Date(due.getTime() + hoursFromDue * 3_600_000);
  const base = {
    due,
    leadHours: 12,
    catchUpHours: 72,
    mode: 'required' as const,
    approved: false,
    itemCount: 3,
    frozen: false,
    sent: new Set<ReviewCopyKind>(),
  };
  it.each<[string, Partial<Parameters<typeof reviewCopyDue>[0]> & { now: Date }, ReviewCopyKind | undefined]>(
    [
      ['nothing before the lead time', { now: at(-12.5) }, undefined],
      ['the lead copy at the lead time', { now: at(-12) }, 'lead'],
      ['the lead copy late, while still before the due time', { now: at(-1) }, 'lead'],
      ['the lead copy only once', { now: at(-1), sent: new Set(['lead']) }, undefined],
      ['the lead copy even when approved', { now: at(-1), approved: true }, 'lead'],
      ['no lead copy with a lead time of 0', { now: at(-0.01), leadHours: 0 }, undefined],
      ['the due copy when due and unapproved', { now: at(0), sent: new Set(['lead']) }, 'due'],
      ['the due copy only once', { now: at(1), sent: new Set(['lead', 'due']) }, undefined],
      ['no due copy once approved', { now: at(1), approved: true }, undefined],
      ['no due copy in auto mode', { now: at(1), mode: 'auto' }, undefined],
      ['no due copy past the catch-up window', { now: at(73) }, undefined],
      ['nothing for a frozen week', { now: at(-1), frozen: true }, undefined],
      ['nothing for an empty week', { now: at(-1), itemCount: 0 }, undefined],
    ],
  )('%s', (_name, input, expected) => {
    expect(reviewCopyDue({ ...base, ...input })).toBe(expected);
  });
});

describe('subjectProblem and approverProblem', () => {
  it.each([
    ['Claude Code vs Aider, and 2 more verdicts', undefined],
    ['   ', 'The subject is empty; use --clear to go back to the default subject.'],
    ['Line one\nBcc: victim@example.com', 'A subject must be one line of text, with no control characters.'],
    ['x'.repeat(201), 'The subject has 201 characters; keep it to 200 or fewer.'],
  ])('subject %j', (subject, problem) => {
    expect(subjectProblem(subject)).toBe(problem);
  });

  it.each([
    ['ada@example.com', undefined],
    ['', 'Say who approves with --by <name or email>.'],
    ['ada\nroot', 'The approver must be a name or an address on one line.'],
  ])('approver %j', (by, problem) => {
    expect(approverProblem(by)).toBe(problem);
  });
});

describe('reviewBanner', () => {
  const input = {
    label: '16–22 November 2026',
    due: 'Monday, 23 November 2026 at 09:00 UTC',
    consoleUrl: 'https://news.verdicts.test/admin',
  };
  it('says where the edition stands and links the console', () => {
    expect(
      reviewBanner({ ...input, kind: 'lead', mode: 'required', approval: { state: 'unapproved' } }),
    ).toBe(
      '**Review copy.** The 16–22 November 2026 edition is due Monday, 23 November 2026 at 09:00 UTC. It goes out only once an editor approves it. [Review it in the editor console](https://news.verdicts.test/admin).',
    );
    expect(
      reviewBanner({ ...input, kind: 'due', mode: 'required', approval: { state: 'unapproved' } }),
    ).toContain(
      'was due Monday, 23 November 2026 at 09:00 UTC and has not gone out: it is not approved yet.',
    );
  });

  it('escapes an approver name that looks like Markdown', () => {
    const banner = reviewBanner({
      ...input,
      kind: 'lead',
      mode: 'auto',
      approval: { state: 'approved', by: '[ada](https://evil.test)', at: 'now' },
    });
    expect(banner).toContain('approved by \\[ada\\]\\(https://evil.test\\).');
  });
});
