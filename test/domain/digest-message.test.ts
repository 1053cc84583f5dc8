import { describe, expect, it } from 'vitest';
import { digestMessage, listHeaders, listId, recipientLinks } from '../../src/domain/digest-message.js';

const envelope = {
  from: 'Verdicts <news@verdicts.example>',
  publicUrl: 'https://news.verdicts.example',
  unsubscribeMailto: null,
};

describe('digest message headers', () => {
  it('carries one-click unsubscribe (RFC 8058) with an https URL and an opaque token', () => {
    const links = recipientLinks(envelope.publicUrl, 'tok_123');
    expect(listHeaders(envelope, links)).toEqual({
      'List-Unsubscribe': '<https://news.verdicts.example/unsubscribe/tok_123>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'List-Id': 'Weekly AI Tool Verdicts <weekly-verdicts.verdicts.example>',
    });
  });

  it("names the edition in the reader's links when given one, and only then", () => {
    expect(recipientLinks(envelope.publicUrl, 'tok_123', '2026-W47')).toEqual({
      unsubscribeUrl: 'https://news.verdicts.example/unsubscribe/tok_123?e=2026-W47',
      preferencesUrl: 'https://news.verdicts.example/preferences/tok_123?e=2026-W47',
      reason:
        'You get this email because you subscribed to Weekly AI Tool Verdicts at https://news.verdicts.example and confirmed your address.',
      token: 'tok_123',
    });
    expect(recipientLinks('', 'a/b')).toMatchObject({
      unsubscribeUrl: '/unsubscribe/a%2Fb',
      preferencesUrl: '/preferences/a%2Fb',
      token: 'a%2Fb',
    });
  });

  it('adds a mailto when one is configured', () => {
    const headers = listHeaders(
      { ...envelope, unsubscribeMailto: 'unsub@verdicts.example' },
      recipientLinks(envelope.publicUrl, 't'),
    );
    expect(headers['List-Unsubscribe']).toBe(
      '<https://news.verdicts.example/unsubscribe/t>, <mailto:unsub@verdicts.example?subject=unsubscribe>',
    );
  });

  it('derives List-Id from a bare sender address too', () => {
    expect(listId('news@example.org')).toBe('Weekly AI Tool Verdicts <weekly-verdicts.example.org>');
  });

  it('addresses one recipient and tags the edition', () => {
    const links = recipientLinks(envelope.publicUrl, 'abc');
    const message = digestMessage(
      envelope,
      'ada@example.com',
      links,
      { subject: 'S', html: '<p>h</p>', text: 't' },
      '2026-W47',
    );
    expect(message).toMatchObject({
      from: envelope.from,
      to: 'ada@example.com',
      subject: 'S',
      tags: [{ name: 'edition', value: '2026-W47' }],
    });
  });
});
