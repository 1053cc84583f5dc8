import { describe, expect, it } from 'vitest';
import { impersonalPayload, parseProviderEvent } from '../../src/domain/provider-event.js';

describe('parseProviderEvent', () => {
  it.each([null, [], 'email.clicked', 42, true])('refuses %j: not an object', (json) => {
    expect(parseProviderEvent(json)).toEqual({ ok: false, reason: 'the body must be a JSON object' });
  });

  it('reads a click as Resend sends it', () => {
    const parsed = parseProviderEvent({
      type: 'email.clicked',
      created_at: '2026-11-25T11:00:01.000Z',
      data: {
        email_id: 'em_1',
        to: ['Reader@Example.com'],
        tags: { edition: '2026-W47' },
        click: {
          link: 'https://example.com/compare/a-vs-b',
          timestamp: '2026-11-25T11:00:00.000Z',
          userAgent: 'Mozilla/5.0',
          ipAddress: '198.51.100.7',
        },
      },
    });
    expect(parsed).toEqual({
      ok: true,
      event: {
        type: 'email.clicked',
        engagement: 'clicked',
        emailId: 'em_1',
        recipients: ['reader@example.com'],
        createdAt: new Date('2026-11-25T11:00:01.000Z'),
        click: {
          link: 'https://example.com/compare/a-vs-b',
          at: new Date('2026-11-25T11:00:00.000Z'),
          userAgent: 'Mozilla/5.0',
          ipAddress: '198.51.100.7',
        },
        bounce: undefined,
        failed: undefined,
        suppressed: undefined,
      },
    });
  });

  it('leaves out fields of the wrong type instead of refusing the event', () => {
    const parsed = parseProviderEvent({
      type: 'email.bounced',
      created_at: 'yesterday',
      data: { email_id: 7, to: 'one@example.com', bounce: { type: 'Transient', subType: 3 }, click: 'x' },
    });
    expect(parsed.ok && parsed.event).toMatchObject({
      engagement: 'bounced',
      emailId: undefined,
      recipients: ['one@example.com'],
      createdAt: undefined,
      click: undefined,
      bounce: { type: 'Transient' },
    });
  });

  it('knows no engagement for other events, and calls a missing type unknown', () => {
    expect(parseProviderEvent({ type: 'email.sent', data: {} })).toMatchObject({
      event: { engagement: undefined },
    });
    expect(parseProviderEvent({ data: 'x' })).toMatchObject({
      ok: true,
      event: { type: 'unknown', emailId: undefined, recipients: [] },
    });
  });
});

describe('impersonalPayload', () => {
  it('keeps type, times, provider id and tags, and nothing that names a person', () => {
    const payload = impersonalPayload({
      type: 'email.bounced',
      created_at: '2026-11-25T10:00:00Z',
      data: {
        email_id: 'em_1',
        to: ['gone@example.com'],
        tags: { edition: '2026-W47' },
        bounce: { message: 'smtp; 550 5.1.1 <gone@example.com>: no such user' },
        click: { ipAddress: '198.51.100.7' },
      },
    });
    expect(JSON.parse(payload)).toEqual({
      type: 'email.bounced',
      created_at: '2026-11-25T10:00:00Z',
      data: { email_id: 'em_1', tags: { edition: '2026-W47' } },
      redacted: true,
    });
    expect(JSON.parse(impersonalPayload(null))).toEqual({ data: {}, redacted: true });
  });
});
