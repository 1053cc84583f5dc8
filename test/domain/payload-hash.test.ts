import { describe, expect, it } from 'vitest';
import { type Hashable, payloadHash, piecesLength } from '../../src/domain/payload-hash.js';

const message: Hashable = {
  from: 'Digest <digest@example.org>',
  to: 'reader@example.org',
  subject: 'This week',
  html: '<p>Hello</p>',
  text: 'Hello',
  headers: { 'List-Unsubscribe': '<https://example.org/u>' },
  tags: [{ name: 'week', value: '2026-W01' }],
};

describe('piecesLength', () => {
  it.each([
    [[], 0],
    [['abc'], 3],
    [['a', '', 'bcd'], 4],
  ])('%j is %i characters', (pieces, length) => {
    expect(piecesLength(pieces)).toBe(length);
  });
});

describe('payloadHash', () => {
  it('hashes a body in pieces, with or without its UTF-8, as the joined body', () => {
    const whole = payloadHash([message]);
    expect(payloadHash([{ ...message, html: ['<p>', 'Hello', '</p>'], text: ['Hel', 'lo'] }])).toBe(whole);
    const utf8 = { html: [Buffer.from('<p>Hello'), '</p>'], text: [Buffer.from('Hello')] };
    expect(payloadHash([{ ...message, html: ['<p>Hello', '</p>'], text: ['Hello'], utf8 }])).toBe(whole);
  });

  it.each([
    ['text moved between fields', { subject: 'This wee', html: 'k<p>Hello</p>' }],
    ['another recipient', { to: 'other@example.org' }],
    ['another header', { headers: { 'List-Unsubscribe': '<https://example.org/v>' } }],
    ['another tag', { tags: [{ name: 'week', value: '2026-W02' }] }],
  ])('differs for %s', (_, change) => {
    expect(payloadHash([{ ...message, ...change }])).not.toBe(payloadHash([message]));
  });

  it('depends on the order of the messages', () => {
    const other = { ...message, to: 'other@example.org' };
    expect(payloadHash([message, other])).not.toBe(payloadHash([other, message]));
  });
});
