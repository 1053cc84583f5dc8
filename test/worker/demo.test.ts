// npm run demo must run to completion on a fresh clone: import, subscribers, a send to the outbox, and the
// web pages answering. The server is stopped after it answers /healthz.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { listOutbox } from '../../src/adapters/outbox-transport.js';
import { projectRoot } from '../support/child.js';
import { scratchDir } from '../support/cli.js';

describe('npm run demo', () => {
  it('sends the sample week to the outbox and serves the pages until stopped', async () => {
    const dir = scratchDir('digest-demo-');
    const port = String(35_000 + Math.floor(Math.random() * 5000));
    const outbox = join(dir, 'outbox');
    const child = spawn('npm', ['run', '-s', 'demo'], {
      cwd: projectRoot,
      env: { ...process.env, DIGEST_DB: join(dir, 'demo.sqlite'), DIGEST_OUTBOX_DIR: outbox, PORT: port },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      child.on('close', (code, signal) => resolve({ code, signal })),
    );
    try {
      let healthy = false;
      for (let attempt = 0; attempt < 60 && !healthy; attempt++) {
        await sleep(500);
        healthy = await fetch(`http://127.0.0.1:${port}/healthz`).then(
          (response) => response.ok,
          () => false,
        );
      }
      expect(healthy, output).toBe(true);
      expect(output).toMatch(/sent\. Sent 4, skipped 2/);
      expect(output).toContain(`http://localhost:${port}/editions/`);
      expect(await listOutbox(outbox)).toHaveLength(4);
      const week = /dated into (\d{4}-W\d{2})/.exec(output)?.[1];
      expect((await fetch(`http://127.0.0.1:${port}/editions/${week}`)).status).toBe(200);
    } finally {
      // As Ctrl-C in a terminal does: SIGINT to the whole foreground group (npm and the demo).
      if (child.pid) process.kill(-child.pid, 'SIGINT');
    }
    // npm itself may die of the SIGINT; the demo under it must shut down cleanly.
    const { code, signal } = await exited;
    expect(code === 0 || signal === 'SIGINT', `code ${code}, signal ${signal}`).toBe(true);
    await sleep(200);
    expect(output).toContain('Demo stopped.');
  }, 60_000);
});
