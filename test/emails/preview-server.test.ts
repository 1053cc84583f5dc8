// The editors' preview: `npm run email:dev` must start offline and render every template from its PreviewProps.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../support/child.js';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}

describe('npm run email:dev', () => {
  it('serves the preview server and renders each template', async () => {
    const port = await freePort();
    const child = spawn('npm', ['run', '-s', 'email:dev', '--', '--port', String(port)], {
      cwd: projectRoot,
      detached: true,
      stdio: 'ignore',
    });
    try {
      let ready = false;
      for (let attempt = 0; attempt < 60 && !ready; attempt++) {
        await sleep(1000);
        ready = await fetch(`http://127.0.0.1:${port}/`).then(
          (response) => response.ok,
          () => false,
        );
      }
      expect(ready).toBe(true);
      const expectations = {
        'weekly-digest': 'Claude Code vs Aider',
        'confirm-subscription': 'Confirm my subscription',
        welcome: 'Welcome to Weekly AI Tool Verdicts',
        'editor-sign-in': 'Sign in to the editor console',
      };
      for (const [template, text] of Object.entries(expectations)) {
        const page = await (await fetch(`http://127.0.0.1:${port}/preview/${template}`)).text();
        expect(page, template).toContain(text);
      }
    } finally {
      if (child.pid) process.kill(-child.pid, 'SIGTERM');
    }
  }, 120_000);
});
