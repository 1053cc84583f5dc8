// An editor in a real browser (Debian's Chromium via playwright-core), without JavaScript: signs in with
// the link from the outbox, writes a note, moves an item, holds one back, approves, and sees the change in
// the preview frame; at 1280 and 375 px. Screenshots of every console page land in artifacts/screenshots/.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/adapters/database.js';
import { silentLogger } from '../../src/adapters/logger.js';
import { createOutboxTransport, listOutbox } from '../../src/adapters/outbox-transport.js';
import { fixedClock } from '../../src/domain/clock.js';
import { viewDraft } from '../../src/services/draft.js';
import { sendEdition } from '../../src/services/send-edition.js';
import { addSubscribers } from '../../src/services/subscribers.js';
import { type RunningServer, startServer } from '../../src/web/server.js';
import { launchChromium } from '../support/browser.js';
import { projectRoot } from '../support/child.js';
import { scratchDir } from '../support/cli.js';
import { testDatabase } from '../support/db.js';
import { AFTER_W47, addReaders, importSamples, sendDeps, testConfig } from '../support/sending.js';

const SHOTS = join(projectRoot, 'artifacts', 'screenshots');
const CLAUDE = 'Claude Code vs Aider';
const CURSOR = 'Cursor 3 vs Windsurf Wave 14';
const HUGGING = 'Hugging Face Inference Providers Hub vs Mistral 3 Small (22B)';

describe.each([
  ['desktop', 1280],
  ['phone', 375],
])('the editor console on a %s (%i px)', (name, width) => {
  let browser: Browser;
  let server: RunningServer;
  let db: Db;
  let outbox: string;
  const clock = fixedClock(AFTER_W47);
  const config = testConfig({ DIGEST_PUBLIC_URL: 'http://127.0.0.1', DIGEST_EDITORS: 'ed@example.com' });
  /**
   * The whole page, photographed as one tall window rather than with `fullPage` (which leaves sandboxed
   * frames, rendered in their own process, blank).
   */
  async function shot(page: Page, file: string) {
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.setViewportSize({ width, height });
    await page.screenshot({ path: join(SHOTS, `console-${name}-${file}.png`) });
    await page.setViewportSize({ width, height: 900 });
  }

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  beforeEach(async () => {
    clock.set(AFTER_W47);
    outbox = join(scratchDir(), 'outbox');
    db = await testDatabase();
    await importSamples(db);
    await addReaders(db, 12);
    const subscribers = { db, clock: fixedClock(new Date('2026-11-18T08:00:00Z')) };
    await addSubscribers(subscribers, ['coder@example.com'], {
      status: 'active',
      categories: ['Coding Agents'],
    });
    await addSubscribers(subscribers, ['pat@example.com'], { status: 'pending', categories: [] });
    // Last week went out: the console shows it among the past editions, and this week's draft upcoming.
    const transport = createOutboxTransport(join(outbox, 'sent'), clock);
    const sent = await sendEdition(
      sendDeps(db, transport, { clock: fixedClock(new Date('2026-11-18T10:00:00Z')) }),
      '2026-W46',
    );
    expect(sent.outcome).toBe('sent');
    server = await startServer(
      { db, clock, config, transport: createOutboxTransport(outbox, clock), log: silentLogger },
      0,
      '127.0.0.1',
    );
  });
  afterEach(async () => {
    await server?.close();
    await db?.destroy();
  });

  /** The sign-in email: its HTML, and its link re-pointed at the test server's port. */
  async function signInEmail(): Promise<{ html: string; link: string }> {
    for (const file of await listOutbox(outbox)) {
      const mail = await simpleParser(readFileSync(join(outbox, file)));
      const url = /http:\/\/\S+\/admin\/sign-in\?token=[\w-]+/.exec(mail.text ?? '')?.[0];
      if (url)
        return {
          html: String(mail.html),
          link: `${server.url}${new URL(url).pathname}${new URL(url).search}`,
        };
    }
    throw new Error('no sign-in email in the outbox');
  }

  /** The page never scrolls sideways: everything fits the window (frames scroll inside their own box). */
  async function expectNoSidewaysScroll(page: Page) {
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
  }

  /**
   * The text of the email the preview frames show (both frames load the same address). Read through the
   * frame's document as loaded, not by running code in it: the frames are sandboxed, and Playwright's
   * in-frame queries leave Chromium ignoring the next click on the page.
   */
  async function frameText(page: Page): Promise<string> {
    await page.waitForLoadState('load');
    const frames = page.frames().filter((frame) => frame.url().includes('/admin/preview'));
    expect(frames).toHaveLength(2);
    const html = (await frames[0]?.content()) ?? '';
    return html
      .replace(/<(style|title)[^>]*>[^<]*<\/\1>/g, '')
      .replace(/<[^>]+>/g, '')
      .replace(/&#x27;/g, "'")
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&');
  }

  it('signs in from the outbox, shapes and approves the draft, and sees it in the preview', async () => {
    const context = await browser.newContext({ viewport: { width, height: 900 }, javaScriptEnabled: false });
    const page = await context.newPage();

    await page.goto(`${server.url}/admin`);
    expect(new URL(page.url()).pathname).toBe('/admin/login');
    await shot(page, '1-sign-in');
    await expectNoSidewaysScroll(page);
    await page.getByLabel('Editor address').fill('ed@example.com');
    await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
    await expect.poll(() => page.textContent('h1')).toBe('Check your inbox');
    await shot(page, '2-check-inbox');

    const signIn = await signInEmail();
    const mail = await context.newPage();
    await mail.setContent(signIn.html);
    expect(await mail.getByRole('link', { name: 'Open the sign-in page' }).count()).toBe(1);
    await shot(mail, '2-email');
    await mail.close();

    await page.goto(signIn.link);
    await shot(page, '3-link');
    expect(await page.textContent('h1')).toBe('Sign in to the editor console');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.url()).toBe(`${server.url}/admin`);
    expect(await page.getByText('Signed in as ed@example.com').count()).toBe(1);
    expect(await frameText(page)).toContain(CLAUDE);

    await page
      .getByLabel('Note, shown under the masthead')
      .fill('A *quiet* week: three verdicts, one held back.');
    await page.getByRole('button', { name: 'Save the note' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toBe('Set the note of 2026-W47.');

    await page.getByRole('button', { name: `Move down: ${CLAUDE}` }).click();
    await expect
      .poll(() => page.locator('ol.items strong').allTextContents())
      .toEqual([`1. ${CURSOR}`, `2. ${CLAUDE}`, `3. ${HUGGING}`]);
    await page.getByRole('button', { name: `Hold back: ${CURSOR}` }).click();
    await expect
      .poll(() => page.locator('ol.items strong').allTextContents())
      .toEqual([`1. ${CLAUDE}`, `2. ${HUGGING}`]);
    expect(await page.getByRole('button', { name: `Release: ${CURSOR}` }).count()).toBe(1);

    await page.getByRole('button', { name: 'Approve this edition' }).click();
    await expect.poll(() => page.locator('.state').first().textContent()).toBe('Approved by ed@example.com');
    await shot(page, '4-upcoming');
    await expectNoSidewaysScroll(page);

    const email = await frameText(page);
    expect(email).toContain('A quiet week: three verdicts, one held back.');
    expect(email.indexOf(CLAUDE)).toBeLessThan(email.indexOf(HUGGING));
    expect(email).not.toContain(CURSOR);

    const view = await viewDraft({ db, clock, config }, '2026-W47');
    expect(view.kind === 'draft' && view.plan.approval).toMatchObject({
      state: 'approved',
      by: 'ed@example.com',
    });

    // The email as one reader gets it: coder@example.com follows Coding Agents only.
    await page.getByLabel('Or as this subscriber gets it').fill('coder@example.com');
    await page.getByRole('button', { name: 'Show' }).click();
    await expect.poll(() => frameText(page)).toContain('You follow: Coding Agents.');
    expect(await frameText(page)).not.toContain(HUGGING);

    await page.getByRole('link', { name: 'Past editions' }).click();
    await expect.poll(() => page.textContent('h1')).toBe('Past editions');
    expect(await page.locator('section.card h2').first().textContent()).toContain('2026-W46');
    await shot(page, '6-editions');
    await expectNoSidewaysScroll(page);

    await page.getByRole('link', { name: 'Subscribers' }).click();
    await expect.poll(() => page.textContent('h1')).toBe('Subscribers');
    await page.getByLabel('Find by part of an address').fill('coder');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect
      .poll(() => page.locator('article.subscriber h3').allTextContents())
      .toEqual(['coder@example.com']);
    await shot(page, '7-subscribers');
    await expectNoSidewaysScroll(page);

    await page.getByRole('link', { name: 'Comparisons' }).click();
    await expect.poll(() => page.textContent('h1')).toBe('Comparisons');
    expect(await page.getByText('2026-W48 (upcoming, held back from 2026-W47)').count()).toBe(1);
    await shot(page, '8-comparisons');
    await expectNoSidewaysScroll(page);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toBe('You are signed out.');
    await page.goto(`${server.url}/admin`);
    expect(new URL(page.url()).pathname).toBe('/admin/login');
    await context.close();
  });
});
