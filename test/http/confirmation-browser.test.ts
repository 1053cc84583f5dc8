// A person opening the confirmation link in Chromium (playwright-core): with JavaScript the page submits
// itself, so the click in the email is all it takes, and the CSP lets that one script run; without
// JavaScript the page waits for the button. Screenshots of the page land in artifacts/screenshots/.
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

describe('opening a confirmation link in a browser', () => {
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

  /** Signs `email` up over HTTP and returns the confirmation link's path, once its email is out. */
  const confirmationPath = async (email: string) => {
    const signup = await fetch(`${server.url}/subscribe`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email }),
    });
    expect(signup.status).toBe(200);
    const find = async () => {
      for (const name of await listOutbox(outbox)) {
        const mail = await simpleParser(readFileSync(join(outbox, name)));
        if (!JSON.stringify(mail.to).includes(email)) continue;
        const path = /https?:\/\/\S+?(\/confirm\?token=[\w-]+)/.exec(mail.text ?? '')?.[1];
        if (path) return path;
      }
      return undefined;
    };
    await expect.poll(find).toBeDefined();
    return (await find()) ?? '';
  };
  const status = async (email: string) => (await findSubscriberByKey(db, email))?.status;

  it('confirms in one step: the page submits itself, and the CSP refuses nothing', async () => {
    const path = await confirmationPath('one.click@example.com');
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    // Records any CSP refusal on either page (the link's and the POST's answer) where the test can read it.
    await context.exposeFunction('reportViolation', (text: string) => problems.push(text));
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        (window as unknown as { reportViolation(text: string): void }).reportViolation(
          `${event.violatedDirective} ${event.blockedURI}`,
        );
      });
    });
    const posts: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST') posts.push(new URL(request.url()).pathname);
    });
    await page.goto(`${server.url}${path}`);
    await expect.poll(() => page.textContent('h1')).toBe("You're subscribed");
    expect(await status('one.click@example.com')).toBe('active');
    expect(posts).toEqual(['/confirm']);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('shows the button without JavaScript, and the button confirms', async () => {
    const path = await confirmationPath('no.script@example.com');
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.setViewportSize({ width: 375, height: 667 });
    await page.goto(`${server.url}${path}`);
    expect(await page.textContent('h1')).toBe('Confirm your subscription');
    expect(await status('no.script@example.com')).toBe('pending');
    await page.screenshot({ path: join(SHOTS, 'confirm-page-375.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.screenshot({ path: join(SHOTS, 'confirm-page-1280.png'), fullPage: true });
    await page.getByRole('button', { name: 'Confirm my subscription' }).click();
    await expect.poll(() => page.textContent('h1')).toBe("You're subscribed");
    expect(await status('no.script@example.com')).toBe('active');
    // Back on the link later: where they stand, not an error.
    await page.goto(`${server.url}${path}`);
    expect(await page.textContent('h1')).toBe("You're subscribed");
    await context.close();
  });
});
