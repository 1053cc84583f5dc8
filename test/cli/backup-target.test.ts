// `digest backup` onto the live database or one of its companion files, however the path is spelled, is
// refused before anything is touched: replacing the file under a running server loses every write it makes
// after (its connection keeps writing to the old, deleted file). Run as the built command in a child
// process, while this process holds the database open as a server would.
import { existsSync, linkSync, mkdirSync, readdirSync, statSync, symlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot, runDigestProcess } from '../support/child.js';
import { scratchDir } from '../support/cli.js';
import { engine, freshDatabase } from '../support/db.js';

const run = (args: string[], env: Record<string, string>) => runDigestProcess(args, env);

describe.skipIf(engine === 'postgres')('digest backup onto the live database', () => {
  let dir: string;
  let live: string;
  let server: SQLite.Database;
  let inode: number;

  beforeAll(async () => {
    dir = scratchDir('digest-backup-target-');
    live = await freshDatabase(dir);
    const added = await run(['subscribers', 'add', 'one@example.com', 'two@example.com'], {
      DIGEST_DB: live,
    });
    expect(added.code).toBe(0);
    // The running server: its connection keeps the -wal and -shm files in place.
    server = new SQLite(live);
    server.pragma('journal_mode = WAL');
    server.exec(
      "create table server_writes (note text not null); insert into server_writes values ('first')",
    );
    expect(existsSync(`${live}-wal`)).toBe(true);
    expect(existsSync(`${live}-shm`)).toBe(true);
    inode = statSync(live).ino;
    mkdirSync(join(dir, 'sub'));
    symlinkSync(live, join(dir, 'link-to-db.sqlite'));
    symlinkSync(`${live}-wal`, join(dir, 'link-to-wal'));
    symlinkSync(dir, join(dir, 'same-folder'));
    linkSync(live, join(dir, 'hard-link.sqlite'));
    linkSync(`${live}-wal`, join(dir, 'hard-link-wal'));
  });

  afterAll(() => {
    server?.close();
  });

  it.each([
    ['the path itself', () => live, 'the live database (DIGEST_DB) itself'],
    ['./ relative to the working directory', () => `./${relative(projectRoot, live)}`, 'itself'],
    ['with ./ and .. inside', () => `${join(dir, 'sub')}/.././digest.sqlite`, 'itself'],
    ['a symlink to the file', () => join(dir, 'link-to-db.sqlite'), 'itself'],
    ['through a symlinked folder', () => join(dir, 'same-folder', 'digest.sqlite'), 'itself'],
    ['a hard link', () => join(dir, 'hard-link.sqlite'), 'itself'],
    ['the -wal file', () => `${live}-wal`, 'write-ahead log'],
    ['the -shm file', () => `${live}-shm`, 'shared-memory index'],
    ['a symlink to the -wal file', () => join(dir, 'link-to-wal'), 'write-ahead log'],
    ['a hard link to the -wal file', () => join(dir, 'hard-link-wal'), 'write-ahead log'],
    ['the -journal, not there yet', () => `${live}-journal`, 'rollback journal'],
    [
      'the -wal through a symlinked folder',
      () => join(dir, 'same-folder', 'digest.sqlite-wal'),
      'write-ahead log',
    ],
  ])('refuses %s in one sentence, exit 73, touching nothing', async (_spelling, target, what) => {
    const before = readdirSync(dir).sort();
    const result = await run(['backup', target()], { DIGEST_DB: live });
    expect(result.code).toBe(73);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(
      /^Cannot write the backup .*: it is .*; write the backup to another file\.\n$/,
    );
    expect(result.stderr).toContain(what);
    expect(readdirSync(dir).sort()).toEqual(before);

    // The server's file is the database still: same file, every row, and its writes are seen by others.
    expect(statSync(live).ino).toBe(inode);
    const note = `after ${target()}`;
    server.prepare('insert into server_writes values (?)').run(note);
    const reader = new SQLite(live, { readonly: true });
    try {
      const emails = reader.prepare('select email from subscribers order by email').pluck().all();
      expect(emails).toEqual(['one@example.com', 'two@example.com']);
      const notes = reader.prepare('select note from server_writes').pluck().all();
      expect(notes).toEqual(expect.arrayContaining(['first', note]));
    } finally {
      reader.close();
    }
  });

  it('still writes a backup to another file beside it', async () => {
    const target = join(dir, 'digest-copy.sqlite');
    const result = await run(['backup', target], { DIGEST_DB: live });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const copy = new SQLite(target, { readonly: true });
    try {
      expect(copy.prepare('select count(*) from subscribers').pluck().get()).toBe(2);
      expect(copy.prepare('select note from server_writes').pluck().all()).toContain('first');
    } finally {
      copy.close();
    }
  });
});
