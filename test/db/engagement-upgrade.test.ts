import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/adapters/database.js';
import type { EmailMessage, Transport } from '../../src/adapters/transport.js';
import { fixedClock } from '../../src/domain/clock.js';
import { engagementStats } from '../../src/services/engagement.js';
import { sendEdition } from '../../src/services/send-edition.js';
import { handleResendWebhook } from '../../src/services/webhook-events.js';
import { upgradedFirstRelease } from '../support/first-release.js';
import { sendDeps } from '../support/sending.js';
import { resendEvent, svixHeaders, WEBHOOK_SECRET } from '../support/webhooks.js';

describe('migration 0004_engagement on a first-release database', () => {
  let db: Db;
  beforeEach(async () => {
    ({ db } = await upgradedFirstRelease());
  });
  afterEach(async () => {
    await db.destroy();
  });

  it('keeps every stored event, ties each to its owner, and backfills the edition figures', async () => {
    const events = await db
      .selectFrom('provider_events')
      .innerJoin('subscribers', 'subscribers.id', 'provider_events.subscriber_id')
      .select(['svix_id', 'subscribers.email'])
      .orderBy('svix_id')
      .execute();
    expect(events).toEqual([
      { svix_id: 'msg_r1_bounced_2', email: 'cy@example.com' },
      { svix_id: 'msg_r1_clicked_0', email: 'ada@example.com' },
      { svix_id: 'msg_r1_delivered_0', email: 'ada@example.com' },
      { svix_id: 'msg_r1_delivered_1', email: 'bob@example.com' },
      { svix_id: 'msg_r1_opened_0', email: 'ada@example.com' },
    ]);
    const click = await db
      .selectFrom('delivery_events')
      .select(['kind', 'link', 'user_agent', 'ip_address', 'occurred_at'])
      .where('type', '=', 'clicked')
      .executeTakeFirstOrThrow();
    expect(click).toEqual({
      kind: 'unclassified',
      link: 'https://example.com/compare/claude-code-vs-aider',
      user_agent: 'Mozilla/5.0',
      ip_address: '198.51.100.7',
      occurred_at: '2026-11-25T11:00:00.000Z',
    });
    const [w47] = await engagementStats({ db }, { week: '2026-W47' });
    expect(w47).toMatchObject({
      eligible: 3,
      sent: 3,
      failed: 0,
      delivered: 2,
      opened: 1,
      bounced: { permanent: 1, transient: 0 },
      // Release 1 kept no machine-click rule: its clicks count as neither until classified.
      clicked: 0,
      machineClicks: 0,
    });
  });

  it('classifies the old clicks of an email when a new event about it arrives, and sends the next week with attributed links', async () => {
    const ada = await db
      .selectFrom('deliveries')
      .innerJoin('subscribers', 'subscribers.id', 'deliveries.subscriber_id')
      .select(['provider_message_id', 'email'])
      .where('email', '=', 'ada@example.com')
      .executeTakeFirstOrThrow();
    const body = resendEvent(
      'email.clicked',
      { id: ada.provider_message_id ?? '', to: ada.email },
      new Date('2026-11-25T12:00:01Z'),
      {
        click: {
          link: 'https://example.com/compare/cursor-3-vs-windsurf-wave-14',
          timestamp: '2026-11-25T12:00:00.000Z',
          userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/124.0 Safari/537.36',
          ipAddress: '198.51.100.7',
        },
      },
    );
    const headers = svixHeaders(body, 'msg_r2_clicked');
    const result = await handleResendWebhook(
      { db, clock: fixedClock(new Date('2026-11-25T12:00:02Z')), secret: WEBHOOK_SECRET },
      body,
      { id: headers['svix-id'], timestamp: headers['svix-timestamp'], signature: headers['svix-signature'] },
    );
    expect(result).toEqual({ status: 'applied', type: 'email.clicked' });
    const [w47] = await engagementStats({ db }, { week: '2026-W47' });
    expect(w47).toMatchObject({ clicked: 1, clicks: 2, machineClicks: 0 });
    expect(w47?.comparisons.filter((comparison) => comparison.clicks > 0)).toEqual([
      { slug: 'claude-code-vs-aider', title: 'Claude Code vs Aider', clicks: 1, clickers: 1, votes: 0 },
      { slug: 'cursor-3-vs-windsurf-wave-14', title: expect.any(String), clicks: 1, clickers: 1, votes: 0 },
    ]);

    const sent: EmailMessage[] = [];
    const transport: Transport = {
      kind: 'outbox',
      sendBatch: async (messages) => {
        sent.push(...messages);
        return { status: 'accepted', ids: messages.map((_, index) => `em-w48-${sent.length + index}`) };
      },
    };
    const report = await sendEdition(
      sendDeps(db, transport, { clock: fixedClock(new Date('2026-12-02T10:00:00Z')) }),
      '2026-W48',
    );
    expect(report.outcome).toBe('sent');
    expect(sent.map((message) => message.to).sort()).toEqual(['ada@example.com', 'bob@example.com']);
    for (const message of sent) {
      expect(message.headers['List-Unsubscribe']).toMatch(/\/unsubscribe\/[\w-]+\?e=2026-W48>$/);
      expect(message.text).toMatch(/\/preferences\/[\w-]+\?e=2026-W48/);
    }
  });
});
