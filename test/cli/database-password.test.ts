// A PostgreSQL password never reaches the terminal, whatever characters it holds: `digest editions` against
// a port nothing listens on fails in one line, naming DIGEST_DB with the password masked. The two halves of
// each password are distinctive, so a half-masked one (`user:p@ss@host` once showed `ss`) shows too.
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { runDigestProcess } from '../support/child.js';
import { engine } from '../support/db.js';

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

// The outcome does not depend on the engine under test: run once.
describe.skipIf(engine === 'postgres')('a DIGEST_DB password in error messages', () => {
  it.each([
    ['#', (port: number) => `postgres://digest:Qzx1#Wvk2@127.0.0.1:${port}/digest`],
    ['/', (port: number) => `postgres://digest:Qzx1/Wvk2@127.0.0.1:${port}/digest`],
    ['?', (port: number) => `postgresql://digest:Qzx1?Wvk2@127.0.0.1:${port}/digest`],
    ['@', (port: number) => `postgres://digest:Qzx1@Wvk2@127.0.0.1:${port}/digest`],
    [':', (port: number) => `postgres://digest:Qzx1:Wvk2@127.0.0.1:${port}/digest`],
    ['percent-encoded', (port: number) => `postgres://digest:Qzx1%23%2FWvk2@127.0.0.1:${port}/digest`],
    ['password=', (port: number) => `postgres://digest@127.0.0.1:${port}/digest?password=Qzx1Wvk2`],
    ['no database named', (port: number) => `postgres://digest:Qzx1Wvk2@127.0.0.1:${port}`],
  ])('is masked when it holds %s', async (_kind, url) => {
    const result = await runDigestProcess(['editions'], { DIGEST_DB: url(await closedPort()) });
    expect(result.code).toBe(78);
    const output = `${result.stdout}${result.stderr}`;
    expect(output).toContain('***');
    expect(output).not.toContain('Qzx1');
    expect(output).not.toContain('Wvk2');
    expect(output).not.toMatch(/^\s+at /m);
  });
});
