// Several `digest serve` instances behind a load balancer share one PostgreSQL database: each serves the same
// archive (the same stored web version, with the same ETag), and a reader's or an editor's requests may land
// on any of them (sign up on one, confirm on another; sign in to the console on one, work on another). Each
// instance is its own process with its own connection pool, as on its own machine.
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

const PUBLIC_URL = 'https://news.verdicts.test';

/** The path of the console sign-in link in the outbox, if one arrived. */
async function signInPath(outbox: string): Promise<string | undefined> {
  for (const name of await listOutbox(outbox)) {
    const mail = await simpleParser(readFileSync(join(outbox, name)));
    const link = /https?:\/\/\S+?(\/admin\/sign-in\?token=[\w-]+)/.exec(mail.text ?? '')?.[1];
    if (link) return link;
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
      DIGEST_PUBLIC_URL: PUBLIC_URL,
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
      // Both rendered the web version at once; both serve the one stored first.
      if (path === '/editions/2026-W47') expect(first.headers.get('etag')).toBe(second.headers.get('etag'));
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
    // Opening the link shows the page; its form's POST confirms.
    const token = new URLSearchParams(path?.split('?')[1]).get('token') ?? '';
    const confirmed = await fetch(`${two.url}/confirm`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token }),
    });
    expect(confirmed.status).toBe(200);
    const listed = await digest(['subscribers', 'list'], env, clock);
    expect(listed.stdout).toMatch(/grace@example\.com\tactive/);
  });

  it('sign an editor in on one instance and keep the session on the other', async () => {
    const dir = scratchDir();
    const outbox = join(dir, 'outbox');
    const env = {
      DIGEST_DB: await freshDatabase(dir),
      DIGEST_OUTBOX_DIR: outbox,
      DIGEST_PUBLIC_URL: PUBLIC_URL,
      DIGEST_SECRET: 'several-machines-secret-0123456789abcdef',
      DIGEST_EDITORS: 'ed@example.com',
    };
    expect((await digest(['import', comparisonsDir], env, fixedClock(AFTER_W47))).code).toBe(0);
    const [one, two] = await Promise.all([startServeChild(env), startServeChild(env)]);
    if (!one || !two) throw new Error('an instance did not start');
    instances.push(one, two);

    // A browser without JavaScript, its requests landing on whichever instance the load balancer picks.
    const jar = new Map<string, string>();
    const request = async (base: string, path: string, form?: Record<string, string>) => {
      const headers = new Headers();
      if (jar.size > 0) headers.set('cookie', [...jar].map(([name, value]) => `${name}=${value}`).join('; '));
      if (form) {
        headers.set('content-type', 'application/x-www-form-urlencoded');
        headers.set('origin', PUBLIC_URL);
      }
      const response = await fetch(`${base}${path}`, {
        method: form ? 'POST' : 'GET',
        headers,
        body: form ? new URLSearchParams(form) : undefined,
        redirect: 'manual',
      });
      for (const cookie of response.headers.getSetCookie()) {
        const [name = '', value = ''] = (cookie.split(';')[0] ?? '').split('=');
        if (value === '') jar.delete(name);
        else jar.set(name, value);
      }
      return response;
    };
    const formToken = async (response: Response) =>
      /name="csrf" value="([^"]+)"/.exec(await response.text())?.[1] ?? '';

    const login = await request(one.url, '/admin/login');
    const asked = await request(one.url, '/admin/login', {
      email: 'ed@example.com',
      next: '/admin',
      csrf: await formToken(login),
    });
    expect(asked.status).toBe(200);
    let link: string | undefined;
    for (let poll = 0; poll < 100 && !link; poll++) {
      link = await signInPath(outbox);
      if (!link) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (!link) throw new Error('no sign-in link arrived');
    const button = await request(two.url, link);
    const signedIn = await request(two.url, '/admin/sign-in', {
      token: new URL(link, PUBLIC_URL).searchParams.get('token') ?? '',
      csrf: await formToken(button),
    });
    expect(signedIn.status).toBe(303);
    expect(jar.has('digest_editor')).toBe(true);

    const upcoming = await request(one.url, '/admin');
    expect(upcoming.status).toBe(200);
    const token = await formToken(upcoming);
    const noted = await request(two.url, '/admin/draft/note', {
      week: '2026-W47',
      note: 'Written through the other instance.',
      csrf: token,
    });
    expect(noted.status).toBe(303);
    const draft = await digest(['draft', '--week', '2026-W47'], env, fixedClock(AFTER_W47));
    expect(draft.stdout).toContain('Written through the other instance.');
  });
});
