// A person in a real browser (Debian's Chromium via playwright-core): sign up, confirm from the email,
// choose categories, unsubscribe with the button. Screenshots land in artifacts/screenshots/.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/adapters/database.js';
import { silentLogger } from '../../src/adapters/logger.js';
import { createOutboxTransport, listOutbox } from '../../src/adapters/outbox-transport.js';
import { findSubscriberByKey } from '../../src/adapters/subscriber-repository.js';
import { systemClock } from '../../src/domain/clock.js';
import { type RunningServer, startServer } from '../../src/web/server.js';
import { launchChromium } from '../support/browser.js';
import { projectRoot } from '../support/child.js';
import { scratchDir } from '../support/cli.js';
import { testDatabase } from '../support/db.js';
import { importSamples, testConfig } from '../support/sending.js';

const SHOTS = join(projectRoot, 'artifacts', 'screenshots');

/** The links in `subject` emails. */
async function linksFromOutbox(outbox: string, subject: string, pattern: RegExp): Promise<string[]> {
  const links: string[] = [];
  for (const name of await listOutbox(outbox)) {
    const mail = await simpleParser(readFileSync(join(outbox, name)));
    const match = mail.subject?.startsWith(subject) ? pattern.exec(mail.text ?? '') : null;
    if (match) links.push(match[0]);
  }
  return links;
}

/**
 * Waits for a link not seen before (sign-up emails are sent just after the page answers; outbox file names
 * do not sort by time).
 */
async function linkFromOutbox(
  outbox: string,
  subject: string,
  pattern: RegExp,
  seen: readonly string[] = [],
): Promise<string> {
  const fresh = async () =>
    (await linksFromOutbox(outbox, subject, pattern)).find((link) => !seen.includes(link));
  await expect.poll(fresh).toBeDefined();
  return (await fresh()) ?? '';
}

describe('in a browser', () => {
  let browser: Browser;
  let server: RunningServer;
  let db: Db;
  const outbox = join(scratchDir(), 'outbox');

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    db = await testDatabase();
    await importSamples(db);
    server = await startServer(
      {
        db,
        clock: systemClock,
        config: testConfig({ DIGEST_PUBLIC_URL: 'http://127.0.0.1' }),
        transport: createOutboxTransport(outbox),
        log: silentLogger,
      },
      0,
      '127.0.0.1',
    );
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await db?.destroy();
  });

  it('signs up, confirms from the email, picks categories and unsubscribes with the button', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    // Links in emails use DIGEST_PUBLIC_URL; here they are re-pointed at the test server's port.
    const local = (url: string) => `${server.url}${new URL(url).pathname}${new URL(url).search}`;

    await page.goto(`${server.url}/`);
    await page.screenshot({ path: join(SHOTS, 'web-1-signup.png'), fullPage: true });
    await page.getByLabel('Email address').fill('browser.reader@example.com');
    await page.getByLabel('Coding Agents').check();
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await expect.poll(() => page.textContent('h1')).toBe('Check your inbox');
    await page.screenshot({ path: join(SHOTS, 'web-2-check-inbox.png'), fullPage: true });

    const confirmUrl = await linkFromOutbox(
      outbox,
      'Confirm your subscription',
      /https?:\/\/\S+\/confirm\?token=[\w-]+/,
    );
    // The page confirms by submitting its own form: one click in the email is all it takes.
    await page.goto(local(confirmUrl));
    await expect.poll(() => page.textContent('h1')).toBe("You're subscribed");
    expect((await findSubscriberByKey(db, 'browser.reader@example.com'))?.status).toBe('active');

    const preferencesUrl = await linkFromOutbox(outbox, 'Welcome', /https?:\/\/\S+\/preferences\/[\w-]+/);
    await page.goto(local(preferencesUrl));
    expect(await page.getByLabel('Coding Agents').isChecked()).toBe(true);
    await page.getByLabel('Local Inference').check();
    await page.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(() => page.getByRole('status').textContent())
      .toContain('You follow: Coding Agents, Local Inference.');
    await page.screenshot({ path: join(SHOTS, 'web-3-preferences.png'), fullPage: true });

    await page.getByRole('link', { name: 'Unsubscribe' }).click();
    await expect.poll(() => page.textContent('h1')).toBe('Unsubscribe from Weekly AI Tool Verdicts?');
    expect((await findSubscriberByKey(db, 'browser.reader@example.com'))?.status).toBe('active');
    await page.screenshot({ path: join(SHOTS, 'web-4-unsubscribe.png'), fullPage: true });
    await page.getByRole('button', { name: 'Unsubscribe' }).click();
    await expect.poll(() => page.textContent('h1')).toBe("You're unsubscribed");
    await page.screenshot({ path: join(SHOTS, 'web-5-unsubscribed.png'), fullPage: true });
    expect((await findSubscriberByKey(db, 'browser.reader@example.com'))?.status).toBe('unsubscribed');

    // Back on the preferences link later: the page says they are unsubscribed and offers to come back.
    await page.goto(local(preferencesUrl));
    await expect
      .poll(() => page.getByRole('status').textContent())
      .toBe('You unsubscribed: this address gets no digests.');
    await page.screenshot({ path: join(SHOTS, 'web-6-preferences-unsubscribed.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.screenshot({ path: join(SHOTS, 'web-6-preferences-unsubscribed-1280.png'), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('button', { name: 'Subscribe again' }).click();
    await expect.poll(() => page.textContent('h1')).toBe('Check your inbox');
    // Still unsubscribed until the new link is confirmed.
    expect((await findSubscriberByKey(db, 'browser.reader@example.com'))?.status).toBe('unsubscribed');
    const again = await linkFromOutbox(
      outbox,
      'Confirm your subscription',
      /https?:\/\/\S+\/confirm\?token=[\w-]+/,
      [confirmUrl],
    );
    await page.goto(local(again));
    await expect.poll(() => page.textContent('h1')).toBe("You're subscribed");
    expect((await findSubscriberByKey(db, 'browser.reader@example.com'))?.status).toBe('active');
  });
});
