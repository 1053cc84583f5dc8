// Several `digest serve` instances behind a load balancer share one PostgreSQL database: each serves the same
// archive, and a reader's requests may land on any of them (sign up on one, confirm on another, unsubscribe
// on a third). Each instance is its own process with its own connection pool, as on its own machine.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import { listOutbox } from '../../src/adapters/outbox-transport.js';
import { fixedClock } from '../../src/domain/clock.js';
import { digest, scratchDir } from '../support/cli.js';
import { freshDatabase } from '../support/db.js';
import { AFTER_W47, comparisonsDir } from '../support/sending.js';
import { startServeChild } from '../support/writers.js';

type Instance = Awaited<ReturnType<typeof startServeChild>>;

async function confirmationPath(outbox: string, to: string): Promise<string | undefined> {
  for (const name of await listOutbox(outbox)) {
    const mail = await simpleParser(readFileSync(join(outbox, name)));
    const recipient = mail.to && !Array.isArray(mail.to) ? mail.to.text : '';
    const link = /https?:\/\/\S+?(\/confirm\?token=[A-Za-z0-9_-]+)/.exec(mail.text ?? '')?.[1];
    if (recipient === to && link) return link;
  }
  return undefined;
}

describe('two digest serve instances on one PostgreSQL database', () => {
  const instances: Instance[] = [];
  afterEach(async () => {
    for (const instance of instances.splice(0)) await instance.stop();
  });

  it('serve the same archive, and a reader moves between them freely', async () => {
    const dir = scratchDir();
    const outbox = join(dir, 'outbox');
    // Behind a load balancer every instance has the same public address.
    const env = {
      DIGEST_DB: await freshDatabase(dir),
      DIGEST_OUTBOX_DIR: outbox,
      DIGEST_PUBLIC_URL: 'https://news.verdicts.test',
    };
    const clock = fixedClock(AFTER_W47);
    expect((await digest(['import', comparisonsDir], env, clock)).code).toBe(0);
    expect((await digest(['subscribers', 'add', 'ada@example.com'], env, clock)).code).toBe(0);
    const sent = await digest(['send', '--week', '2026-W47'], env, clock);
    expect(sent.stdout).toContain('2026-W47 sent.');

    const [one, two] = await Promise.all([startServeChild(env), startServeChild(env)]);
    if (!one || !two) throw new Error('an instance did not start');
    instances.push(one, two);
    for (const path of ['/editions', '/editions/2026-W47', '/feed.xml']) {
      const [first, second] = await Promise.all([fetch(`${one.url}${path}`), fetch(`${two.url}${path}`)]);
      expect([first.status, second.status]).toEqual([200, 200]);
      const [a, b] = [await first.text(), await second.text()];
      expect(a).toBe(b);
      if (path === '/editions/2026-W47') expect(a).toContain('Claude Code vs Aider');
    }

    const signup = await fetch(`${one.url}/subscribe`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'email=grace%40example.com',
    });
    expect(signup.status).toBe(200);
    let path: string | undefined;
    for (let poll = 0; poll < 100 && !path; poll++) {
      path = await confirmationPath(outbox, 'grace@example.com');
      if (!path) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect((await fetch(`${two.url}${path}`)).status).toBe(200);
    const listed = await digest(['subscribers', 'list'], env, clock);
    expect(listed.stdout).toMatch(/grace@example\.com\tactive/);
  });
});
