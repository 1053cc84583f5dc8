import { describe, expect, it } from 'vitest';
import { countsAsUnsubscribedBy, linkEdition } from '../../src/domain/unsubscribe-attribution.js';

describe('linkEdition', () => {
  it.each([
    ['2026-W47', '2026-W47'],
    [' 2026-W47 ', '2026-W47'],
    [undefined, undefined],
    ['', undefined],
    ['2026-W54', undefined],
    ['2026-W47"><script>', undefined],
  ])('%j -> %j', (value, expected) => {
    expect(linkEdition(value)).toBe(expected);
  });
});

describe('countsAsUnsubscribedBy', () => {
  it.each([
    ['an active reader who was sent that edition', 'active', { status: 'sent' }, true],
    ['a second POST of the same link (already unsubscribed)', 'unsubscribed', { status: 'sent' }, false],
    ['an edition the reader was not sent (skipped that week)', 'active', { status: 'skipped' }, false],
    ['an edition whose send failed for this reader', 'active', { status: 'failed' }, false],
    ['an edition the reader has no row in', 'active', undefined, false],
    ['a pending reader (never got an edition)', 'pending', { status: 'sent' }, false],
  ] as const)('%s: %s', (_name, before, delivery, expected) => {
    expect(countsAsUnsubscribedBy(before, delivery)).toBe(expected);
  });
});
