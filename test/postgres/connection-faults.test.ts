// A DIGEST_DB that names a PostgreSQL server the program cannot use is one sentence naming the variable and
// the URL with its password masked (exit 78), and a server that refuses writes mid-command is a fault
// (exit 74) with nothing half-written: the Postgres counterparts of SQLite's file faults.
import { describe, expect, inject, it } from 'vitest';
import { runDigestProcess } from '../support/child.js';
import { adminClient, freshDatabase } from '../support/db.js';
import { comparisonsDir } from '../support/sending.js';
import { freePort } from '../support/writers.js';

const admin = () => new URL(inject('postgresAdminUrl'));

function expectOneSentence(stderr: string) {
  expect(stderr.trim().split('\n')).toHaveLength(1);
  expect(stderr).not.toMatch(/^\s+at /m);
}

describe('a PostgreSQL DIGEST_DB that cannot be used', () => {
  it.each([
    [
      'no server at that port',
      async () => {
        const url = admin();
        url.port = String(await freePort());
        url.password = 'no-one-listens';
        return url;
      },
      'the server cannot be reached; check that PostgreSQL runs and the host and port in the URL',
    ],
    [
      'a wrong password',
      async () => {
        const url = admin();
        url.password = 'wrong-password-4711';
        return url;
      },
      'the server refused the user name or password; check them in the URL',
    ],
    [
      'a database that does not exist',
      async () => {
        const url = admin();
        url.pathname = '/no_such_database';
        return url;
      },
      'that database does not exist on the server',
    ],
  ])('%s: one line naming DIGEST_DB, password masked, exit 78', async (_name, makeUrl, sentence) => {
    const url = await makeUrl();
    const run = await runDigestProcess(['editions'], { DIGEST_DB: url.toString() });
    expect(run.code).toBe(78);
    expectOneSentence(run.stderr);
    const masked = new URL(url);
    masked.password = '***';
    expect(run.stderr).toContain(`DIGEST_DB (${decodeURIComponent(masked.toString())}) cannot be used: `);
    expect(run.stderr).toContain(sentence);
    expect(run.stderr).not.toContain(url.password);
  });

  it('a URL without a database name is a configuration error, exit 78', async () => {
    const run = await runDigestProcess(['editions'], { DIGEST_DB: 'postgres://digest@db.internal' });
    expect(run.code).toBe(78);
    expect(run.stderr).toContain('DIGEST_DB: must be a SQLite file path or a URL such as postgres://');
  });

  it('a server that accepts only reads (a standby): the import stops in one sentence, exit 74, nothing written', async () => {
    const location = await freshDatabase();
    const name = new URL(location).pathname.slice(1);
    await (await adminClient()).query(`alter database ${name} set default_transaction_read_only = on`);
    const run = await runDigestProcess(['import', comparisonsDir], { DIGEST_DB: location });
    expect(run.code).toBe(74);
    expectOneSentence(run.stderr);
    expect(run.stderr).toContain(
      'the server accepts reads only (a standby?); point DIGEST_DB at the primary',
    );
    expect(run.stderr).not.toContain(new URL(location).password);
    const listed = await runDigestProcess(['comparisons', 'list'], { DIGEST_DB: location });
    expect(listed).toMatchObject({ code: 0, stdout: '' });
  });
});
