import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/adapters/database.js';
import { findEdition, loadEditionItems } from '../../src/adapters/edition-repository.js';
import { createOutboxTransport, listOutbox } from '../../src/adapters/outbox-transport.js';
import { fixedClock } from '../../src/domain/clock.js';
import {
  approve,
  type DraftChange,
  type DraftDeps,
  defaultDraftWeek,
  holdItem,
  type Refusal,
  releaseItem,
  setNote,
  setOrder,
  setSubject,
  unapprove,
  viewDraft,
} from '../../src/services/draft.js';
import type { ContentRenderer } from '../../src/services/freeze-edition.js';
import { importComparisons } from '../../src/services/import-comparisons.js';
import { planEdition } from '../../src/services/plan-edition.js';
import { sendEdition } from '../../src/services/send-edition.js';
import { addSubscribers } from '../../src/services/subscribers.js';
import { scratchDir } from '../support/cli.js';
import { testDatabase } from '../support/db.js';
import {
  AFTER_W47,
  addReaders,
  comparisonsDir,
  importSamples,
  sendDeps,
  testConfig,
} from '../support/sending.js';

const W47 = '2026-W47';
const CLAUDE = 'claude-code-vs-aider';
const CURSOR = 'cursor-3-vs-windsurf-wave-14';
const HUGGING = 'hugging-face-inference-providers-hub-vs-mistral-3-small-22b';
const FLUX = 'flux-2-pro-vs-midjourney-v8';
/** Wednesday after 2026-W48. */
const AFTER_W48 = new Date('2026-12-02T10:00:00Z');

const slugsOf = (plan: { items: readonly { view: { slug: string } }[] }) =>
  plan.items.map((item) => item.view.slug);

function ok(result: DraftChange | Refusal): DraftChange {
  if (!result.ok) throw new Error(`refused: ${result.reason}`);
  return result;
}

function refusal(result: DraftChange | Refusal): string {
  if (result.ok) throw new Error(`expected a refusal, got: ${result.message}`);
  return result.reason;
}

/** Imports a sample comparison document changed by `edit`, as an editor re-importing it would. */
async function importEdited(
  db: Db,
  file: string,
  edit: (document: Record<string, unknown>) => void,
  at = new Date('2026-11-24T12:00:00Z'),
): Promise<void> {
  const document = JSON.parse(readFileSync(join(comparisonsDir, file), 'utf8'));
  edit(document);
  const path = join(scratchDir(), file);
  writeFileSync(path, JSON.stringify(document));
  const result = await importComparisons({ db, clock: fixedClock(at) }, [path]);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
}

describe('the draft service', () => {
  let db: Db;
  let deps: DraftDeps;
  let outbox: string;
  beforeEach(async () => {
    db = await testDatabase();
    await importSamples(db);
    await addReaders(db, 2);
    await addSubscribers({ db, clock: fixedClock(AFTER_W47) }, ['coder@example.com'], {
      status: 'active',
      categories: ['Coding Agents'],
    });
    deps = { db, clock: fixedClock(AFTER_W47), config: testConfig() };
    outbox = join(scratchDir(), 'outbox');
  });
  afterEach(async () => {
    await db.destroy();
  });

  const send = (weekKey = W47, overrides: Parameters<typeof sendDeps>[2] = {}) =>
    sendEdition(sendDeps(db, createOutboxTransport(outbox), overrides), weekKey);

  it('shows the upcoming week as it stands: items newest first, review state, due time and audience', async () => {
    expect(await defaultDraftWeek(deps)).toBe(W47);
    const view = await viewDraft(deps, W47);
    if (view.kind !== 'draft') throw new Error('expected a draft');
    expect(slugsOf(view.plan)).toEqual([CLAUDE, CURSOR, HUGGING]);
    expect(view.plan).toMatchObject({ note: null, subjectOverride: null, approval: { state: 'unapproved' } });
    expect(view.due?.toISOString()).toBe('2026-11-23T09:00:00.000Z');
    expect(view.audience).toMatchObject({ total: 3, eligible: 3 });
    await send();
    expect(await defaultDraftWeek(deps)).toBe('2026-W48');
  });

  it('sets, replaces and clears the note', async () => {
    expect(ok(await setNote(deps, W47, 'Hello *readers*.')).message).toBe('Set the note of 2026-W47.');
    expect((await planEdition(deps, W47)).note).toBe('Hello *readers*.');
    expect(ok(await setNote(deps, W47, null)).message).toBe('Removed the note of 2026-W47.');
    expect(ok(await setNote(deps, W47, null))).toMatchObject({
      changed: false,
      message: '2026-W47 has no note; nothing to remove.',
    });
    expect(refusal(await setNote(deps, W47, '  '))).toBe('The note is empty; use --clear to remove a note.');
  });

  it('overrides the subject and goes back to the default', async () => {
    const set = ok(await setSubject(deps, W47, '  Three verdicts, one surprise '));
    expect(set.message).toBe(
      'The subject of 2026-W47 is now "Three verdicts, one surprise", was "Claude Code vs Aider, and 2 more verdicts".',
    );
    expect(ok(await setSubject(deps, W47, null)).plan.subject).toBe(
      'Claude Code vs Aider, and 2 more verdicts',
    );
    expect(refusal(await setSubject(deps, W47, 'Hi\r\nBcc: all@example.com'))).toBe(
      'A subject must be one line of text, with no control characters.',
    );
  });

  it('puts ordered items first and the rest newest first; refuses an unknown or repeated slug', async () => {
    const ordered = ok(await setOrder(deps, W47, [HUGGING]));
    expect(slugsOf(ordered.plan)).toEqual([HUGGING, CLAUDE, CURSOR]);
    expect(ordered.message).toBe(`New order of 2026-W47: ${HUGGING}, ${CLAUDE}, ${CURSOR}.`);
    expect(refusal(await setOrder(deps, W47, [FLUX]))).toBe(
      `"${FLUX}" is not in the 2026-W47 draft, which has: ${HUGGING}, ${CLAUDE}, ${CURSOR}.`,
    );
    expect(refusal(await setOrder(deps, W47, [CLAUDE, CLAUDE]))).toBe(
      `"${CLAUDE}" is named twice; name each comparison once.`,
    );
    expect(slugsOf(await planEdition(deps, W47))).toEqual([HUGGING, CLAUDE, CURSOR]);
  });

  it('holds an item back and releases it', async () => {
    const held = ok(await holdItem(deps, W47, CURSOR));
    expect(held.message).toBe(`Held ${CURSOR} back from 2026-W47; the 2026-W48 draft offers it again.`);
    expect(slugsOf(held.plan)).toEqual([CLAUDE, HUGGING]);
    expect(held.plan.held.map((item) => item.view.slug)).toEqual([CURSOR]);
    expect(ok(await holdItem(deps, W47, CURSOR))).toMatchObject({ changed: false });
    expect(refusal(await holdItem(deps, W47, 'nope'))).toMatch(/^"nope" is not in the 2026-W47 draft/);
    const released = ok(await releaseItem(deps, W47, CURSOR));
    expect(released.message).toBe(`Released ${CURSOR}: it goes out in 2026-W47 again.`);
    expect(slugsOf(released.plan)).toEqual([CLAUDE, CURSOR, HUGGING]);
    expect(ok(await releaseItem(deps, W47, CURSOR))).toMatchObject({ changed: false });
  });

  it('approves the draft as it stands, records who, and takes it back', async () => {
    const approved = ok(await approve(deps, W47, 'ada@example.com'));
    expect(approved.message).toBe(
      'Approved 2026-W47 as ada@example.com: 3 comparisons, subject "Claude Code vs Aider, and 2 more verdicts".',
    );
    expect(approved.plan.approval).toEqual({
      state: 'approved',
      by: 'ada@example.com',
      at: AFTER_W47.toISOString(),
    });
    expect(ok(await approve(deps, W47, 'grace'))).toMatchObject({ changed: false });
    expect(ok(await unapprove(deps, W47)).message).toBe(
      'Took back the approval of 2026-W47 by ada@example.com.',
    );
    expect((await planEdition(deps, W47)).approval.state).toBe('unapproved');
    expect(ok(await unapprove(deps, W47)).message).toBe('2026-W47 is not approved; nothing to take back.');
  });

  it('refuses to approve a week with nothing in it', async () => {
    expect(refusal(await approve(deps, '2026-W40', 'ada'))).toBe(
      '2026-W40 has nothing to approve: no comparisons are in it.',
    );
    for (const slug of [CLAUDE, CURSOR, HUGGING]) ok(await holdItem(deps, W47, slug));
    expect(refusal(await approve(deps, W47, 'ada'))).toBe(
      '2026-W47 has nothing to approve: every comparison in it is held back.',
    );
  });

  it.each<[string, (deps: DraftDeps) => Promise<DraftChange | Refusal>]>([
    ['setting the note', (d) => setNote(d, W47, 'New note')],
    ['changing the subject', (d) => setSubject(d, W47, 'Another subject')],
    ['reordering', (d) => setOrder(d, W47, [HUGGING])],
    ['holding an item', (d) => holdItem(d, W47, CLAUDE)],
  ])('clears the approval on %s', async (_name, change) => {
    ok(await approve(deps, W47, 'ada'));
    const result = ok(await change(deps));
    expect(result.approvalCleared).toEqual({ by: 'ada', at: AFTER_W47.toISOString() });
    expect(result.plan.approval.state).toBe('unapproved');
    expect((await planEdition(deps, W47)).approval.state).toBe('unapproved');
  });

  it('keeps the approval when a verb changes nothing', async () => {
    ok(await setSubject(deps, W47, 'Fixed'));
    ok(await approve(deps, W47, 'ada'));
    expect(ok(await setSubject(deps, W47, 'Fixed'))).toMatchObject({
      changed: false,
      approvalCleared: undefined,
    });
    expect(ok(await setOrder(deps, W47, [CLAUDE]))).toMatchObject({ changed: false });
    expect((await planEdition(deps, W47)).approval.state).toBe('approved');
  });

  it('voids an approval when the draft changes by itself, and only then', async () => {
    ok(await approve(deps, W47, 'ada'));
    // Re-importing the same documents changes nothing anyone would see.
    await importSamples(db, new Date('2026-11-24T00:00:00Z'));
    expect((await planEdition(deps, W47)).approval.state).toBe('approved');
    // An included comparison re-imported with an edit.
    await importEdited(db, '2026-w47-claude-code-vs-aider.json', (document) => {
      document.headline = 'Rewritten after approval.';
    });
    expect((await planEdition(deps, W47)).approval).toMatchObject({ state: 'changed', by: 'ada' });
    ok(await approve(deps, W47, 'ada'));
    // A comparison published later in the week joins the draft by itself.
    await importEdited(db, '2026-w48-flux-vs-midjourney.json', (document) => {
      document.slug = 'late-arrival';
      document.publishedAt = '2026-11-22T20:00:00Z';
    });
    const plan = await planEdition(deps, W47);
    expect(slugsOf(plan)).toContain('late-arrival');
    expect(plan.approval.state).toBe('changed');
  });

  it('refuses every change once the week has started sending, in one sentence', async () => {
    await send();
    const frozen = '2026-W47 is already sent: a week that has started sending can no longer be changed.';
    for (const result of [
      await setNote(deps, W47, 'Late'),
      await setSubject(deps, W47, 'Late'),
      await setOrder(deps, W47, [CURSOR]),
      await holdItem(deps, W47, CURSOR),
      await releaseItem(deps, W47, CURSOR),
      await approve(deps, W47, 'ada'),
      await unapprove(deps, W47),
    ]) {
      expect(refusal(result)).toBe(frozen);
    }
  });

  it('freezes the edition as shaped: subject, note, order, hold and approver', async () => {
    ok(await setSubject(deps, W47, 'Hugging Face leads this week'));
    ok(await setNote(deps, W47, 'A *short* week. Read [the method](https://example.com/method).'));
    ok(await setOrder(deps, W47, [HUGGING]));
    ok(await holdItem(deps, W47, CURSOR));
    ok(await approve(deps, W47, 'ada'));
    expect((await send()).outcome).toBe('sent');
    const edition = await findEdition(db, W47);
    expect(edition).toMatchObject({
      status: 'sent',
      subject: 'Hugging Face leads this week',
      note: 'A *short* week. Read [the method](https://example.com/method).',
      approved_by: 'ada',
      approved_at: AFTER_W47.toISOString(),
    });
    expect((await loadEditionItems(db, edition?.id ?? 0)).map((item) => item.slug)).toEqual([
      HUGGING,
      CLAUDE,
    ]);
    const files = await listOutbox(outbox);
    expect(files).toHaveLength(3);
    for (const file of files) {
      const mail = await simpleParser(readFileSync(join(outbox, file)));
      expect(mail.subject).toBe('Hugging Face leads this week');
      expect(mail.html).toContain('A <em>short</em> week. Read <a href="https://example.com/method"');
      expect(mail.text).toContain('A _short_ week. Read the method (https://example.com/method).');
      expect(mail.html).not.toContain('Cursor 3 vs Windsurf Wave 14');
    }
    const reader = await simpleParser(
      readFileSync(join(outbox, files.find((file) => file.startsWith('reader-0001')) ?? '')),
    );
    const html = String(reader.html);
    expect(html.indexOf('Hugging Face Inference Providers Hub')).toBeLessThan(
      html.indexOf('Claude Code vs Aider'),
    );
  });

  it('records an edition sent without approval in auto mode as unapproved', async () => {
    await send();
    expect(await findEdition(db, W47)).toMatchObject({
      status: 'sent',
      approved_by: null,
      approved_at: null,
    });
  });

  it('offers a held item in the next week, carries it there, and never twice', async () => {
    ok(await holdItem(deps, W47, CURSOR));
    await send();
    const w48 = { ...deps, clock: fixedClock(AFTER_W48) };
    const next = await planEdition(w48, '2026-W48');
    expect(slugsOf(next)).toEqual([FLUX, CURSOR]);
    expect((await send('2026-W48', { clock: fixedClock(AFTER_W48) })).outcome).toBe('sent');
    const carried = await loadEditionItems(db, (await findEdition(db, '2026-W48'))?.id ?? 0);
    expect(carried.map((item) => item.slug)).toEqual([FLUX, CURSOR]);
    expect(
      slugsOf(
        await planEdition({ ...deps, clock: fixedClock(new Date('2026-12-09T10:00:00Z')) }, '2026-W49'),
      ),
    ).toEqual([]);
  });

  it('keeps a held item riding forward when the next week holds it again', async () => {
    ok(await holdItem(deps, W47, CURSOR));
    await send();
    const w48 = { ...deps, clock: fixedClock(AFTER_W48) };
    ok(await holdItem(w48, '2026-W48', CURSOR));
    await send('2026-W48', { clock: fixedClock(AFTER_W48) });
    const w49 = { ...deps, clock: fixedClock(new Date('2026-12-09T10:00:00Z')) };
    expect(slugsOf(await planEdition(w49, '2026-W49'))).toEqual([CURSOR]);
  });

  it('records a week whose every item is held as skipped, and the next week carries them', async () => {
    for (const slug of [CLAUDE, CURSOR, HUGGING]) ok(await holdItem(deps, W47, slug));
    expect((await send()).outcome).toBe('skipped');
    expect(await findEdition(db, W47)).toMatchObject({
      status: 'skipped',
      reason: 'every comparison held back to the next week',
    });
    expect(slugsOf(await planEdition({ ...deps, clock: fixedClock(AFTER_W48) }, '2026-W48'))).toEqual([
      FLUX,
      CLAUDE,
      CURSOR,
      HUGGING,
    ]);
  });

  describe('with DIGEST_REVIEW=required', () => {
    const required = testConfig({ DIGEST_REVIEW: 'required' });

    it('sends nothing and writes no edition until approved', async () => {
      const refused = await send(W47, { config: required });
      expect(refused).toMatchObject({
        outcome: 'not approved',
        message:
          '2026-W47 is not approved: with DIGEST_REVIEW=required it goes out only after `digest approve --week 2026-W47`.',
      });
      expect(await findEdition(db, W47)).toBeUndefined();
      expect(await listOutbox(outbox)).toEqual([]);
      ok(await approve(deps, W47, 'ada'));
      expect((await send(W47, { config: required })).outcome).toBe('sent');
      expect(await listOutbox(outbox)).toHaveLength(3);
    });

    it('sends nothing when the draft changed after approval', async () => {
      ok(await approve(deps, W47, 'ada'));
      ok(await setNote(deps, W47, 'Changed after approval.'));
      expect((await send(W47, { config: required })).outcome).toBe('not approved');
      expect(await listOutbox(outbox)).toEqual([]);
    });

    it('records an empty week as skipped without asking for approval', async () => {
      expect((await send('2026-W40', { config: required })).outcome).toBe('skipped');
    });

    it('notices an editor changing the draft while the edition is being frozen, and sends nothing unapproved', async () => {
      ok(await approve(deps, W47, 'ada'));
      const real = sendDeps(db, createOutboxTransport(outbox)).renderer;
      let edited = false;
      // The editor saves a new note while the first variant renders, after planning read the draft.
      const renderer: ContentRenderer = {
        async render(input) {
          if (!edited) {
            edited = true;
            ok(await setNote(deps, W47, 'Saved mid-freeze.'));
          }
          return real.render(input);
        },
      };
      expect((await send(W47, { config: required, renderer })).outcome).toBe('not approved');
      expect(await findEdition(db, W47)).toBeUndefined();
      expect(await listOutbox(outbox)).toEqual([]);
    });
  });

  it('freezes the note saved while the edition was being frozen (auto mode plans again)', async () => {
    const real = sendDeps(db, createOutboxTransport(outbox)).renderer;
    let edited = false;
    const renderer: ContentRenderer = {
      async render(input) {
        if (!edited) {
          edited = true;
          ok(await setNote(deps, W47, 'Saved mid-freeze.'));
        }
        return real.render(input);
      },
    };
    expect((await send(W47, { renderer })).outcome).toBe('sent');
    expect(await findEdition(db, W47)).toMatchObject({ note: 'Saved mid-freeze.' });
    const [file] = await listOutbox(outbox);
    expect((await simpleParser(readFileSync(join(outbox, file ?? '')))).text).toContain('Saved mid-freeze.');
  });
});
