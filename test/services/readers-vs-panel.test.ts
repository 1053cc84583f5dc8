// "Readers vs panel" end to end: week W sent, readers vote on its comparisons, week W+1's digest carries the
// block (HTML and text, every reader's copy) and so does W+1's web version; too few votes, or none, no block.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { VoteChoice } from '../../db/schema.js';
import type { Db } from '../../src/adapters/database.js';
import { silentLogger } from '../../src/adapters/logger.js';
import type { Transport } from '../../src/adapters/transport.js';
import { fixedClock } from '../../src/domain/clock.js';
import type { EmailMessage } from '../../src/domain/email-message.js';
import { HTML_BUDGET_BYTES } from '../../src/domain/size-budget.js';
import { renderCopy } from '../../src/services/review-copies.js';
import { sendEdition } from '../../src/services/send-edition.js';
import { createApp } from '../../src/web/app.js';
import { testDatabase } from '../support/db.js';
import { AFTER_W47, addReaders, importSamples, sendDeps, testConfig } from '../support/sending.js';
import { storeVote } from '../support/votes.js';

const HUGGING = 'hugging-face-inference-providers-hub-vs-mistral-3-small-22b';
const CURSOR = 'cursor-3-vs-windsurf-wave-14';
const AFTER_W48 = new Date('2026-12-02T10:00:00Z');
/** Between the two sends: readers vote on the W47 digest. */
const VOTED = new Date('2026-11-27T08:00:00Z');

describe('readers vs panel in the next edition', () => {
  let db: Db;
  let readers: string[];
  let sent: EmailMessage[];
  const transport: Transport = {
    kind: 'outbox',
    sendBatch: async (messages) => {
      sent.push(...messages);
      return { status: 'accepted', ids: messages.map((_, index) => `em-${sent.length - index}`) };
    },
  };

  beforeEach(async () => {
    db = await testDatabase();
    await importSamples(db);
    readers = await addReaders(db, 6);
    sent = [];
    const w47 = await sendEdition(sendDeps(db, transport, { clock: fixedClock(AFTER_W47) }), '2026-W47');
    expect(w47.outcome).toBe('sent');
  });
  afterEach(async () => {
    await db.destroy();
  });

  /** Reader number `n` (1-based) votes `choice` on tool `tool` of the W47 comparison `slug`. */
  const vote = (n: number, slug: string, tool: 0 | 1, choice: VoteChoice, at = VOTED) =>
    storeVote(db, readers[n - 1] ?? '', slug, tool, choice, at);

  /** Sends W48 and answers the copies it sent. */
  async function sendW48(): Promise<EmailMessage[]> {
    sent = [];
    const report = await sendEdition(sendDeps(db, transport, { clock: fixedClock(AFTER_W48) }), '2026-W48');
    expect(report.outcome).toBe('sent');
    expect(sent).toHaveLength(readers.length);
    return sent;
  }

  const webVersion = async () => {
    const app = createApp({
      db,
      clock: fixedClock(AFTER_W48),
      config: testConfig(),
      transport,
      log: silentLogger,
    });
    const response = await app.request('/editions/2026-W48');
    expect(response.status).toBe(200);
    return response.text();
  };

  it('carries the block under "In this issue", the biggest disagreement first, in HTML, text and the web version', async () => {
    // Mistral 3 Small: the panel says Ship; all five voters say Skip (100 points apart).
    for (const n of [1, 2, 3, 4, 5]) await vote(n, HUGGING, 1, 'skip');
    // Cursor 3: the panel says Ship; four of five agree (20 apart). Reader 5 changed their mind once.
    for (const n of [1, 2, 3, 4]) await vote(n, CURSOR, 0, 'ship');
    await vote(5, CURSOR, 0, 'ship', new Date('2026-11-26T08:00:00Z'));
    await vote(5, CURSOR, 0, 'skip');
    // Claude Code vs Aider: 4 votes, fewer than 5: left out.
    for (const n of [1, 2, 3, 4]) await vote(n, 'claude-code-vs-aider', 1, 'ship');

    const copies = await sendW48();
    const mistral = 'The panel said Ship on Mistral 3 Small (22B); 100% of you said Skip';
    const cursor = 'The panel said Ship on Cursor 3; 80% of you agreed';
    for (const copy of copies) {
      expect(Buffer.byteLength(copy.html)).toBeLessThanOrEqual(HTML_BUDGET_BYTES);
      const text = copy.text;
      const block = text.slice(text.indexOf('READERS VS PANEL'), text.indexOf('='.repeat(60)));
      expect(text.indexOf('IN THIS ISSUE')).toBeLessThan(text.indexOf('READERS VS PANEL'));
      expect(block).toContain(`  ${mistral} (5 votes)\n`);
      expect(block).toContain(`  ${cursor} (5 votes)\n`);
      expect(block.indexOf(mistral)).toBeLessThan(block.indexOf(cursor));
      expect(block).toContain(`https://news.verdicts.test/editions/2026-W47#${HUGGING}`);
      expect(block).not.toContain('Claude Code vs Aider');

      const html = copy.html;
      const heading = html.indexOf('Readers vs panel');
      expect(html.indexOf('In this issue')).toBeLessThan(heading);
      expect(heading).toBeLessThan(html.indexOf(`id="flux-2-pro-vs-midjourney-v8"`));
      expect(html.indexOf(mistral)).toBeGreaterThan(heading);
      expect(html.indexOf(mistral)).toBeLessThan(html.indexOf(cursor));
      expect(html).toContain(`href="https://news.verdicts.test/editions/2026-W47#${CURSOR}"`);
    }

    // The web version shows what the email showed: votes cast after the freeze do not move it.
    await vote(6, CURSOR, 0, 'skip', new Date('2026-12-03T08:00:00Z'));
    const page = await webVersion();
    expect(page).toContain('Readers vs panel');
    expect(page.indexOf(mistral)).toBeLessThan(page.indexOf(cursor));
    expect(page).toContain(cursor);
  });

  it('shows editors the block as readers will get it: in the draft’s review copy, then the frozen one’s', async () => {
    for (const n of [1, 2, 3, 4, 5]) await vote(n, HUGGING, 1, 'skip');
    const deps = { db, clock: fixedClock(AFTER_W48), config: testConfig() };
    const line = 'The panel said Ship on Mistral 3 Small (22B); 100% of you said Skip';
    const draft = await renderCopy(deps, '2026-W48');
    if (!draft.ok) throw new Error(draft.reason);
    expect(draft.html).toContain('Readers vs panel');
    expect(draft.text).toContain(`  ${line} (5 votes)`);

    await sendW48();
    // A vote after the freeze is not in the frozen edition's copy, as it is not in the readers' emails.
    await vote(6, HUGGING, 1, 'ship', new Date('2026-12-03T08:00:00Z'));
    const frozen = await renderCopy(
      { ...deps, clock: fixedClock(new Date('2026-12-03T09:00:00Z')) },
      '2026-W48',
    );
    if (!frozen.ok) throw new Error(frozen.reason);
    expect(frozen.text).toContain(`  ${line} (5 votes)`);
  });

  it('leaves the block out with 4 votes on a comparison', async () => {
    for (const n of [1, 2, 3, 4]) await vote(n, HUGGING, 1, 'skip');
    const [copy] = await sendW48();
    expect(copy?.html).not.toContain('Readers vs panel');
    expect(copy?.text).not.toContain('READERS VS PANEL');
    expect(await webVersion()).not.toContain('Readers vs panel');
  });

  it('leaves the block out without votes', async () => {
    const [copy] = await sendW48();
    expect(copy?.html).not.toContain('Readers vs panel');
    expect(copy?.text).not.toContain('READERS VS PANEL');
  });

  it('counts a vote of a reader erased before the freeze no more', async () => {
    for (const n of [1, 2, 3, 4, 5]) await vote(n, HUGGING, 1, 'skip');
    await db
      .deleteFrom('subscribers')
      .where('email', '=', readers[5 - 1] ?? '')
      .execute();
    readers = readers.filter((_, index) => index !== 4);
    const [copy] = await sendW48();
    expect(copy?.text).not.toContain('READERS VS PANEL');
  });
});
