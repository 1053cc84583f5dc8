// A reader voting from a real sent email in Chromium (playwright-core), 375 px wide: the link opens the
// question, the button records the vote, the thank-you page's button changes it, and the CSP refuses
// nothing. Screenshots of the vote pages land in artifacts/screenshots/.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/adapters/database.js';
import { fixedClock } from '../../src/domain/clock.js';
import type { RunningServer } from '../../src/web/server.js';
import { launchChromium } from '../support/browser.js';
import { projectRoot } from '../support/child.js';
import { testDatabase } from '../support/db.js';
import { type ResendServer, startResendServer } from '../support/resend-server.js';
import { addReaders, importSamples } from '../support/sending.js';
import { emailFor, sendW47, startVoteSite, storedVotes, VOTE_API_KEY, voteLinkOf } from '../support/votes.js';

const SHOTS = join(projectRoot, 'artifacts', 'screenshots');
const CURSOR = 'cursor-3-vs-windsurf-wave-14';

describe('voting from an email in a browser', () => {
  let browser: Browser;
  let site: RunningServer;
  let resend: ResendServer;
  let db: Db;
  let readers: string[];
  const clock = fixedClock(new Date('2026-11-26T09:00:00Z'));

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    db = await testDatabase();
    await importSamples(db);
    readers = await addReaders(db, 2);
    resend = await startResendServer({ apiKey: VOTE_API_KEY });
    await sendW47(db, resend);
    site = await startVoteSite(db, clock, resend);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await resend?.close();
    await db?.destroy();
  });

  /** A phone-sized page that collects console errors and CSP refusals where the test can read them. */
  async function phone(): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
    const context = await browser.newContext({ viewport: { width: 375, height: 667 } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    await context.exposeFunction('reportViolation', (text: string) => problems.push(text));
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        (window as unknown as { reportViolation(text: string): void }).reportViolation(
          `${event.violatedDirective} ${event.blockedURI}`,
        );
      });
    });
    return { context, page, problems };
  }

  /** Full-page shots at 375 px and 1280 px, back at 375 px after. */
  async function shoot(page: Page, name: string) {
    await page.screenshot({ path: join(SHOTS, `${name}-375.png`), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.screenshot({ path: join(SHOTS, `${name}-1280.png`), fullPage: true });
    await page.setViewportSize({ width: 375, height: 667 });
  }

  it('opens the Ship link of an email, and the button records the vote', async () => {
    const link = voteLinkOf(emailFor(resend, readers[0] ?? ''), CURSOR, '0', 'ship');
    const { context, page, problems } = await phone();
    await page.goto(`${site.url}${link.path}`);
    expect(await page.textContent('h1')).toBe('Your verdict on Cursor 3: Ship');
    expect(await page.textContent('.comparison')).toBe('Cursor 3 vs Windsurf Wave 14');
    // Nothing overflows the phone's width.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await shoot(page, 'vote-page');
    expect(await storedVotes(db)).toEqual([]);

    await page.getByRole('button', { name: 'Record Ship' }).click();
    await expect.poll(() => page.textContent('h1')).toBe('Thank you: your verdict is in');
    expect(await page.textContent('[role=status]')).toBe('Recorded: Ship on Cursor 3.');
    await shoot(page, 'vote-recorded');
    expect((await storedVotes(db)).map((vote) => [vote.email, vote.tool, vote.choice])).toEqual([
      [readers[0], 'cursor-3', 'ship'],
    ]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('chooses the other side from the page, then changes it back from the thank-you page', async () => {
    const link = voteLinkOf(emailFor(resend, readers[1] ?? ''), CURSOR, '1', 'ship');
    const { context, page, problems } = await phone();
    await page.goto(`${site.url}${link.path}`);
    await page.getByRole('button', { name: 'Skip instead' }).click();
    await expect.poll(() => page.textContent('[role=status]')).toBe('Recorded: Skip on Windsurf Wave 14.');
    expect((await storedVotes(db)).filter((vote) => vote.email === readers[1])).toMatchObject([
      { tool: 'windsurf-wave-14', choice: 'skip' },
    ]);

    clock.set(new Date('2026-12-03T08:00:00Z'));
    await page.goto(`${site.url}${link.path}`);
    expect(await page.textContent('.ballot [role=status]')).toBe('You said Skip on 26 November 2026.');
    await shoot(page, 'vote-page-voted-before');
    await page.getByRole('button', { name: 'Record Ship' }).click();
    await expect.poll(() => page.textContent('[role=status]')).toBe('Recorded: Ship on Windsurf Wave 14.');
    expect(await page.textContent('main')).toContain(
      'You had said Skip on 26 November 2026; Ship replaces it.',
    );
    await page.getByRole('button', { name: 'Change to Skip' }).click();
    await expect.poll(() => page.textContent('[role=status]')).toBe('Recorded: Skip on Windsurf Wave 14.');
    expect((await storedVotes(db)).filter((vote) => vote.email === readers[1])).toMatchObject([
      { tool: 'windsurf-wave-14', choice: 'skip', updated_at: '2026-12-03T08:00:00.000Z' },
    ]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("shows an editor's copy page that records nothing", async () => {
    const before = await storedVotes(db);
    const { context, page, problems } = await phone();
    await page.goto(`${site.url}/vote/copy`);
    expect(await page.textContent('h1')).toBe("This is an editor's copy");
    await shoot(page, 'vote-copy');
    expect(await storedVotes(db)).toEqual(before);
    expect(problems).toEqual([]);
    await context.close();
  });
});
