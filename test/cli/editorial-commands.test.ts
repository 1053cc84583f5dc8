import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ParsedMail, simpleParser } from 'mailparser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listOutbox } from '../../src/adapters/outbox-transport.js';
import { fixedClock } from '../../src/domain/clock.js';
import { type CliRun, digest, scratchDir } from '../support/cli.js';
import { freshDatabase } from '../support/db.js';
import { type ResendServer, startResendServer } from '../support/resend-server.js';
import { AFTER_W47, comparisonsDir } from '../support/sending.js';

const CLAUDE = 'claude-code-vs-aider';
const CURSOR = 'cursor-3-vs-windsurf-wave-14';
const HUGGING = 'hugging-face-inference-providers-hub-vs-mistral-3-small-22b';
const PUBLIC_URL = 'https://news.verdicts.test';
/** Wednesday after 2026-W48. */
const AFTER_W48 = new Date('2026-12-02T10:00:00Z');

/** A refusal: exit 1, nothing on stdout, exactly one sentence on stderr. */
function expectRefusal(run: CliRun, sentence: string): void {
  expect(run).toEqual({ code: 1, stdout: '', stderr: `${sentence}\n` });
}

async function subscribe(
  env: Record<string, string>,
  clock: ReturnType<typeof fixedClock>,
  { withPending = true } = {},
) {
  expect((await digest(['import', comparisonsDir], env, clock)).code).toBe(0);
  await digest(['subscribers', 'add', 'ada@example.com', 'grace@example.com'], env, clock);
  await digest(['subscribers', 'add', 'coder@example.com', '--categories', 'Coding Agents'], env, clock);
  if (withPending) await digest(['subscribers', 'add', 'pat@example.com', '--status', 'pending'], env, clock);
}

/** The links of a copy's HTML, as a reader's mail client would see them. */
function hrefs(html: string): string[] {
  return [...html.matchAll(/href="([^"]+)"/g)].map((match) => match[1] ?? '');
}

describe('digest draft, approve and unapprove', () => {
  let dir: string;
  let env: Record<string, string>;
  const clock = fixedClock(AFTER_W47);
  beforeEach(async () => {
    clock.set(AFTER_W47);
    dir = scratchDir();
    env = {
      DIGEST_DB: await freshDatabase(dir),
      DIGEST_OUTBOX_DIR: join(dir, 'outbox'),
      DIGEST_PUBLIC_URL: PUBLIC_URL,
    };
    await subscribe(env, clock);
  });
  const run = (...args: string[]) => digest(args, env, clock);

  it('shows the draft: subject, note, items in order, review state, due time and readers', async () => {
    const shown = await run('draft');
    expect(shown.code).toBe(0);
    expect(shown.stdout).toBe(
      [
        '2026-W47 draft (16–22 November 2026)',
        'Subject: Claude Code vs Aider, and 2 more verdicts (default)',
        'Note: (none)',
        'Items, in order (3 comparisons):',
        `  1. ${CLAUDE}\tClaude Code vs Aider`,
        `  2. ${CURSOR}\tCursor 3 vs Windsurf Wave 14`,
        `  3. ${HUGGING}\tHugging Face Inference Providers Hub vs Mistral 3 Small (22B)`,
        'Review: not approved; DIGEST_REVIEW=auto: it goes out at the due time, approved or not',
        'Due: Mon 23 Nov 2026, 09:00 UTC',
        'Readers: 3 would get it; 1 would not: 1 pending confirmation',
        '',
      ].join('\n'),
    );
  });

  it('sets the note from text or a file, prints it, and clears it', async () => {
    const text = await run(
      'draft',
      'note',
      '--text',
      'A *quiet* week.\n\nSee [the method](https://example.com/m).',
    );
    expect(text).toMatchObject({ code: 0, stderr: '' });
    expect(text.stdout).toBe(
      'Set the note of 2026-W47.\n    A _quiet_ week.\n\n    See the method (https://example.com/m).\n',
    );
    const file = join(dir, 'note.md');
    writeFileSync(file, 'From a **file**.\n');
    expect((await run('draft', 'note', '--file', file)).stdout).toContain('    From a *file*.');
    expect((await run('draft')).stdout).toContain('Note:\n    From a *file*.\n');
    expect((await run('draft', 'note', '--clear')).stdout).toBe('Removed the note of 2026-W47.\n');
    expectRefusal(
      await run('draft', 'note'),
      'Give the note with exactly one of --file <note.md>, --text "..." or --clear.',
    );
    expectRefusal(
      await run('draft', 'note', '--file', join(dir, 'absent.md')),
      `cannot read ${join(dir, 'absent.md')}: no such file`,
    );
  });

  it('overrides the subject and clears the override', async () => {
    expect((await run('draft', 'subject', 'Three verdicts')).stdout).toBe(
      'The subject of 2026-W47 is now "Three verdicts", was "Claude Code vs Aider, and 2 more verdicts".\n',
    );
    expect((await run('draft', 'subject', '--clear')).stdout).toContain(
      '(the default), was "Three verdicts"',
    );
    expectRefusal(
      await run('draft', 'subject'),
      'Give the subject in quotes, or --clear to go back to the default subject.',
    );
  });

  it('orders, holds and releases; refuses an unknown slug in one sentence', async () => {
    expect((await run('draft', 'order', HUGGING, CURSOR)).stdout).toBe(
      `New order of 2026-W47: ${HUGGING}, ${CURSOR}, ${CLAUDE}.\n`,
    );
    expectRefusal(
      await run('draft', 'order', 'no-such-comparison'),
      `"no-such-comparison" is not in the 2026-W47 draft, which has: ${HUGGING}, ${CURSOR}, ${CLAUDE}.`,
    );
    expect((await run('draft', 'hold', CURSOR)).stdout).toBe(
      `Held ${CURSOR} back from 2026-W47; the 2026-W48 draft offers it again.\n`,
    );
    const shown = (await run('draft')).stdout;
    expect(shown).toContain(`Items, in order (2 comparisons):\n  1. ${HUGGING}\t`);
    expect(shown).toContain(`Held back (offered again in 2026-W48):\n  - ${CURSOR}\t`);
    expect((await run('draft', 'release', CURSOR)).stdout).toBe(
      `Released ${CURSOR}: it goes out in 2026-W47 again.\n`,
    );
    expectRefusal(
      await run('draft', 'hold', 'nope'),
      `"nope" is not in the 2026-W47 draft, which has: ${HUGGING}, ${CURSOR}, ${CLAUDE}.`,
    );
  });

  it('takes --week before or after the verb', async () => {
    await run('draft', '--week', '2026-W48', 'subject', 'Before');
    expect((await run('draft', '--week', '2026-W48')).stdout).toContain('Subject: Before\n');
    await run('draft', 'subject', 'After', '--week', '2026-W48');
    expect((await run('draft', '--week', '2026-W48')).stdout).toContain('Subject: After\n');
    expect((await run('draft')).stdout).toContain('Subject: Claude Code vs Aider, and 2 more verdicts');
  });

  it('approves (recording who), clears the approval on any change, and unapproves', async () => {
    const approved = await run('approve', '--by', 'ada@example.com');
    expect(approved.stdout).toBe(
      [
        'Approved 2026-W47 as ada@example.com: 3 comparisons, subject "Claude Code vs Aider, and 2 more verdicts".',
        'DIGEST_REVIEW=auto: it goes out at the due time either way; the edition records the approval.',
        '',
      ].join('\n'),
    );
    expect((await run('draft')).stdout).toContain(
      'Review: approved by ada@example.com at Wed 25 Nov 2026, 10:00 UTC;',
    );
    expect((await run('draft', 'hold', CLAUDE)).stdout).toBe(
      [
        `Held ${CLAUDE} back from 2026-W47; the 2026-W48 draft offers it again.`,
        'The approval by ada@example.com (Wed 25 Nov 2026, 10:00 UTC) is cleared: any change to an approved draft clears it.',
        '',
      ].join('\n'),
    );
    await run('approve', '--by', 'grace');
    expect((await run('unapprove')).stdout).toBe('Took back the approval of 2026-W47 by grace.\n');
    expect((await run('draft')).stdout).toContain('Review: not approved;');
  });

  it('refuses approving an empty week and shaping a week that has started sending', async () => {
    expectRefusal(
      await run('approve', '--week', '2026-W40', '--by', 'ada'),
      '2026-W40 has nothing to approve: no comparisons are in it.',
    );
    expect((await run('send')).code).toBe(0);
    const frozen = '2026-W47 is already sent: a week that has started sending can no longer be changed.';
    expectRefusal(await run('draft', 'note', '--week', '2026-W47', '--text', 'Late'), frozen);
    expectRefusal(await run('draft', 'order', '--week', '2026-W47', CURSOR), frozen);
    expectRefusal(await run('approve', '--week', '2026-W47', '--by', 'ada'), frozen);
    expectRefusal(await run('unapprove', '--week', '2026-W47'), frozen);
    const shown = await run('draft', '--week', '2026-W47');
    expect(shown.stdout).toContain(
      '2026-W47 (16–22 November 2026) is sent: its edition can no longer be changed.',
    );
    expect(shown.stdout).toContain('Went out unapproved');
  });
});

describe('preview and test-send as a reader, with inert links', () => {
  let dir: string;
  let env: Record<string, string>;
  const clock = fixedClock(AFTER_W47);
  beforeEach(async () => {
    dir = scratchDir();
    env = {
      DIGEST_DB: await freshDatabase(dir),
      DIGEST_OUTBOX_DIR: join(dir, 'outbox'),
      DIGEST_PUBLIC_URL: PUBLIC_URL,
    };
    await subscribe(env, clock);
  });
  const run = (...args: string[]) => digest(args, env, clock);
  /** The test copies in the outbox (a pending subscriber's confirmation email may be there too). */
  const outbox = async (): Promise<ParsedMail[]> =>
    (
      await Promise.all(
        (
          await listOutbox(env.DIGEST_OUTBOX_DIR ?? '')
        ).map((file) => simpleParser(readFileSync(join(env.DIGEST_OUTBOX_DIR ?? '', file)))),
      )
    ).filter((mail) => mail.subject?.startsWith('[TEST] '));

  it("previews a subscriber's category variant, and refuses an unknown address in one sentence", async () => {
    const out = join(dir, 'coder.html');
    const previewed = await run('preview', '--as', 'Coder@Example.com', '--out', out);
    expect(previewed.stdout).toMatch(
      /^Wrote the 2026-W47 digest \(2 comparisons, as coder@example\.com gets it, \d+ bytes\)/,
    );
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('Claude Code vs Aider');
    expect(html).not.toContain('Hugging Face Inference Providers Hub');
    expect(html).toContain('You follow: Coding Agents.');
    expectRefusal(
      await run('preview', '--as', 'stranger@example.com'),
      'No subscriber has the address stranger@example.com.',
    );
    expectRefusal(
      await run('preview', '--as', 'pat@example.com'),
      'pat@example.com would get nothing from 2026-W47: pending confirmation.',
    );
  });

  it('test-sends one variant to several addresses, outside the ledger, with no link that changes a subscription', async () => {
    const sent = await run(
      'test-send',
      '--to',
      'ed@example.com, rev@example.org',
      '--as',
      'coder@example.com',
    );
    expect(sent).toMatchObject({ code: 0, stderr: '' });
    expect(sent.stdout).toBe(
      'Sent the 2026-W47 digest (2 comparisons, as coder@example.com gets it) to ed@example.com, rev@example.org.\n',
    );
    const mails = await outbox();
    expect(mails.map((mail) => mail.to && !Array.isArray(mail.to) && mail.to.text).sort()).toEqual([
      'ed@example.com',
      'rev@example.org',
    ]);
    for (const mail of mails) {
      expect(mail.subject).toBe('[TEST] Claude Code vs Aider, and 1 more verdict');
      expect(mail.headers.has('list-unsubscribe')).toBe(false);
      const html = String(mail.html);
      // Nothing that unsubscribes, changes preferences or records a vote, and no web version of a week not
      // sent yet: the only links to this site are the sign-up page ("Forwarded to you?") and the vote
      // links' inert page for editors' copies.
      const inert = [`${PUBLIC_URL}/`, `${PUBLIC_URL}/vote/copy`];
      for (const href of hrefs(html)) if (href.startsWith(PUBLIC_URL)) expect(inert).toContain(href);
      expect(hrefs(html)).toContain(`${PUBLIC_URL}/vote/copy`);
      expect(String(mail.text)).not.toMatch(/\/(unsubscribe|preferences|editions)\//);
      expect(String(mail.text)).toContain(
        "This is a review copy. You follow: Coding Agents. Readers' copies carry their own unsubscribe and preferences links here.",
      );
      expect(html).toContain('This is a review copy.');
      expect(html).not.toContain('Hugging Face Inference Providers Hub');
    }
    expect((await run('editions')).stdout).toBe('No editions yet.\n');
  });

  it('says "1 comparison", and links the web version once the week is sent', async () => {
    await run('draft', 'hold', CURSOR);
    await run('draft', 'hold', HUGGING);
    expect((await run('test-send', '--to', 'ed@example.com')).stdout).toBe(
      'Sent the 2026-W47 digest (1 comparison) to ed@example.com.\n',
    );
    await run('send');
    await run('test-send', '--to', 'ed2@example.com');
    const sentWeek = (await outbox()).find(
      (mail) => mail.to && !Array.isArray(mail.to) && mail.to.text === 'ed2@example.com',
    );
    expect(hrefs(String(sentWeek?.html))).toContain(`${PUBLIC_URL}/editions/2026-W47`);
    expect(String(sentWeek?.html)).not.toContain('/unsubscribe/');
  });

  it('refuses a bad --to address in one sentence, sending nothing', async () => {
    expectRefusal(await run('test-send', '--to', 'ed@example.com,nobody'), '--to: "nobody" has no @');
    expect(await outbox()).toEqual([]);
  });
});

describe('review mode end to end, through the CLI and a Resend-compatible server', () => {
  let server: ResendServer;
  let env: Record<string, string>;
  const clock = fixedClock(AFTER_W47);
  beforeEach(async () => {
    clock.set(AFTER_W47);
    server = await startResendServer();
    const dir = scratchDir();
    env = {
      DIGEST_DB: await freshDatabase(dir),
      RESEND_API_KEY: server.options.apiKey,
      RESEND_BASE_URL: server.url,
      DIGEST_SECRET: 'editorial-test-secret-0123456789abcdef',
      DIGEST_PUBLIC_URL: PUBLIC_URL,
      DIGEST_REVIEW: 'required',
    };
    // Without a pending subscriber, whose confirmation email would be the server's first.
    await subscribe(env, clock, { withPending: false });
  });
  afterEach(async () => {
    await server.close();
  });
  const run = (...args: string[]) => digest(args, env, clock);
  const notApproved = (week: string) =>
    `${week} is not approved: with DIGEST_REVIEW=required it goes out only after \`digest approve --week ${week}\`.`;

  it('sends only an approved draft, once, exactly as shaped; the held item rides the next week', async () => {
    await run('draft', 'subject', 'Hugging Face leads a short week');
    await run('draft', 'note', '--text', 'Two verdicts this week; *Cursor* waits for next week.');
    await run('draft', 'order', HUGGING);
    await run('draft', 'hold', CURSOR);

    // Unapproved: nothing goes out and nothing is frozen.
    expectRefusal(await run('send'), notApproved('2026-W47'));
    expect(server.stats().accepted).toBe(0);
    expect((await run('editions')).stdout).toBe('No editions yet.\n');

    // Approved, then changed: the approval is gone, and still nothing goes out.
    await run('approve', '--by', 'ada');
    const changed = await run('draft', 'note', '--text', 'Two verdicts this week; *Cursor* waits a week.');
    expect(changed.stdout).toContain('The approval by ada');
    expect((await run('send')).code).toBe(1);
    expect(server.stats().accepted).toBe(0);

    // Approved again: it goes out once, to each reader, as shaped.
    expect((await run('approve', '--by', 'ada')).code).toBe(0);
    const sent = await run('send');
    expect(sent.code).toBe(0);
    expect(sent.stdout).toContain('2026-W47 sent.');
    const w47 = server.countsByRecipient('2026-W47');
    expect(Object.fromEntries(w47)).toEqual({
      'ada@example.com': 1,
      'grace@example.com': 1,
      'coder@example.com': 1,
    });
    for (const email of server.accepted()) {
      expect(email.subject).toBe('Hugging Face leads a short week');
      expect(email.text).toContain('Two verdicts this week; _Cursor_ waits a week.');
      expect(email.html).toContain('Two verdicts this week; <em>Cursor</em> waits a week.');
      expect(email.html).not.toContain('Cursor 3 vs Windsurf Wave 14');
    }
    const ada = server.acceptedFor('ada@example.com')[0]?.html ?? '';
    expect(ada.indexOf('Hugging Face Inference Providers Hub')).toBeLessThan(
      ada.indexOf('Claude Code vs Aider'),
    );
    expect((await run('send')).stdout).toContain('2026-W47 was already sent');
    expect(server.stats().accepted).toBe(3);
    expect((await run('draft', '--week', '2026-W47')).stdout).toContain(
      'Approved by ada at Wed 25 Nov 2026, 10:00 UTC',
    );

    // The next week's draft offers the held comparison; it goes out there, and only there.
    clock.set(AFTER_W48);
    const next = await run('draft');
    expect(next.stdout).toContain(`  2. ${CURSOR}\tCursor 3 vs Windsurf Wave 14`);
    expectRefusal(await run('send'), notApproved('2026-W48'));
    await run('approve', '--by', 'grace');
    expect((await run('send')).code).toBe(0);
    const w48 = server.accepted().filter((email) => email.edition === '2026-W48');
    expect(w48.map((email) => email.to).sort()).toEqual([
      'ada@example.com',
      'coder@example.com',
      'grace@example.com',
    ]);
    for (const email of w48) expect(email.html).toContain('Cursor 3 vs Windsurf Wave 14');
    expect(server.duplicates()).toEqual([]);
  });
});
