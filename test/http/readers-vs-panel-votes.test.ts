// "Readers vs panel" from end to end: week W47 sent by `digest send` through the Resend-compatible server,
// readers press the vote buttons of the links their emails carry, and `digest send` for W48 carries the
// block in every reader's copy once five readers voted on a tool, and not with four.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Db, openDatabase } from '../../src/adapters/database.js';
import { fixedClock } from '../../src/domain/clock.js';
import type { RunningServer } from '../../src/web/server.js';
import { digest, scratchDir } from '../support/cli.js';
import { freshDatabase } from '../support/db.js';
import { type ResendServer, startResendServer } from '../support/resend-server.js';
import { AFTER_W47, addReaders, importSamples, testConfig } from '../support/sending.js';
import { emailFor, startVoteSite, storedVotes, VOTE_API_KEY, voteLinkOf } from '../support/votes.js';

const HUGGING = 'hugging-face-inference-providers-hub-vs-mistral-3-small-22b';
const VOTED = new Date('2026-11-27T08:00:00Z');
const AFTER_W48 = new Date('2026-12-02T10:00:00Z');
// The sends and the site sign and check vote links with one secret, as a deployment's do.
const SECRET = 'readers-vs-panel-test-secret-0123456789abcdef';
const BLOCK_LINE = 'The panel said Ship on Mistral 3 Small (22B); 100% of you said Skip';

describe('readers vs panel from the readers’ votes', () => {
  let dbPath: string;
  let db: Db;
  let resend: ResendServer;
  let site: RunningServer;
  let readers: string[];
  let env: Record<string, string>;

  beforeEach(async () => {
    dbPath = await freshDatabase(scratchDir());
    db = await openDatabase(dbPath);
    await importSamples(db);
    readers = await addReaders(db, 6);
    resend = await startResendServer({ apiKey: VOTE_API_KEY });
    const config = testConfig({ DIGEST_SECRET: SECRET });
    env = {
      DIGEST_DB: dbPath,
      DIGEST_PUBLIC_URL: config.publicUrl,
      DIGEST_FROM: config.from,
      DIGEST_SEND_RATE: '1000',
      DIGEST_SECRET: SECRET,
      RESEND_API_KEY: VOTE_API_KEY,
      RESEND_BASE_URL: resend.url,
    };
    const w47 = await digest(['send', '--week', '2026-W47'], env, fixedClock(AFTER_W47));
    expect(w47.code, w47.stderr).toBe(0);
    site = await startVoteSite(db, fixedClock(VOTED), resend, config);
  });
  afterEach(async () => {
    await site?.close();
    await resend.close();
    await db.destroy();
  });

  /** The first `voters` readers press Skip on Mistral 3 Small in their own W47 email's vote page. */
  async function voteSkip(voters: number) {
    for (const reader of readers.slice(0, voters)) {
      const link = voteLinkOf(emailFor(resend, reader), HUGGING, '1', 'skip');
      const response = await fetch(`${site.url}${link.path}`, { method: 'POST', redirect: 'manual' });
      expect(response.status).toBe(200);
    }
    expect(await storedVotes(db)).toHaveLength(voters);
  }

  async function sendW48() {
    const run = await digest(['send', '--week', '2026-W48'], env, fixedClock(AFTER_W48));
    expect(run.code, run.stderr).toBe(0);
    return readers.map((reader) => {
      const copy = resend.acceptedFor(reader).find((email) => email.edition === '2026-W48');
      if (!copy?.html || !copy.text) throw new Error(`no W48 email for ${reader}`);
      return copy;
    });
  }

  it('carries the block in every W48 copy when five readers voted', async () => {
    await voteSkip(5);
    for (const copy of await sendW48()) {
      expect(copy.html).toContain('Readers vs panel');
      expect(copy.html).toContain(BLOCK_LINE);
      expect(copy.text).toContain('READERS VS PANEL');
      expect(copy.text).toContain(`${BLOCK_LINE} (5 votes)`);
    }
  });

  it('leaves it out when four readers voted', async () => {
    await voteSkip(4);
    for (const copy of await sendW48()) {
      expect(copy.html).not.toContain('Readers vs panel');
      expect(copy.text).not.toContain('READERS VS PANEL');
    }
  });
});
